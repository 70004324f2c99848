// RBAC and IAM authentication: no password anywhere a reviewer cannot see, no user anyone can be, no connect
// grant on every cache. AWS's rules themselves come from shared/rbac.ts (each with its source).

import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_USER_NAME } from "./shared/elasticache-users";
import { defaultUserProblem } from "./shared/rbac";
import { NO_CONFIG, forTypes, isSet, knownValue, label } from "./lib/util";

const USER = "aws:elasticache/user:User";
const USER_GROUP = "aws:elasticache/userGroup:UserGroup";

/** Whether a user's inputs give it a password (plain, write-only, or by authentication type). */
function hasPassword(props: Record<string, unknown>): boolean {
    const mode = knownValue<{ type?: string; passwords?: unknown[] }>(props, "authenticationMode");
    return (
        isSet(props, "passwords") ||
        isSet(props, "passwordsWo") ||
        mode?.type === "password" ||
        (Array.isArray(mode?.passwords) && mode.passwords.length > 0)
    );
}

// --- elasticache-default-user-disabled ---

export const DEFAULT_USER_POLICY = "elasticache-default-user-disabled";

/**
 * Every unauthenticated connection to a cache with a user group is its `default` user. A user group must hold
 * one (a redis group; AWS RBAC docs), so it must be one that cannot log in and is granted nothing; and the group
 * must not hold ElastiCache's own user of ID "default", which is enabled, requires no password and may run
 * every command ("on ~* +@all"): with it, RBAC would authenticate nobody.
 */
export const elasticacheDefaultUserDisabled: StackValidationPolicy = {
    name: DEFAULT_USER_POLICY,
    description:
        'An ElastiCache user group\'s "default" user must have no password and no access ("off -@all"); a group must not hold ElastiCache\'s built-in, open "default" user.',
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateStack: (args, report) => {
        const users = args.resources.filter((r) => r.type === USER);
        for (const user of users) {
            if (knownValue<string>(user.props, "userName") !== DEFAULT_USER_NAME) {
                continue;
            }
            const accessString = knownValue<string>(user.props, "accessString");
            if (accessString === undefined) {
                continue; // unknown in this preview
            }
            const problem = defaultUserProblem({ accessString, hasPassword: hasPassword(user.props) });
            if (problem) {
                report(
                    `${label(user.type, user.name)}: this "default" user ${problem}. Every connection that has not authenticated is this user. ` +
                        `Fix: accessString "off -@all" and authenticationMode { type: "no-password-required" }.`,
                    user.urn,
                );
            }
        }
        for (const group of args.resources.filter((r: PolicyResource) => r.type === USER_GROUP)) {
            const ids = knownValue<unknown[]>(group.props, "userIds") ?? [];
            if (ids.some((id) => typeof id === "string" && id.toLowerCase() === DEFAULT_USER_NAME)) {
                report(
                    `${label(group.type, group.name)}: userIds holds "default", ElastiCache's built-in user, which is enabled, needs no password and may run every command. ` +
                        `Fix: create a user with user name "default", another ID, accessString "off -@all", and list that ID instead.`,
                    group.urn,
                );
            }
        }
    },
};

// --- elasticache-user-no-plaintext-password ---

export const PLAINTEXT_PASSWORD_POLICY = "elasticache-user-no-plaintext-password";

/**
 * The provider keeps `passwords` (and `authenticationMode.passwords`) in the stack's state in plain text
 * (pulumi-aws elasticache/user.d.ts: "All arguments including the username and passwords will be stored in the
 * raw state as plain-text unless you use the write-only passwordsWo argument"). IAM authentication needs no
 * password at all.
 */
export const elasticacheUserNoPlaintextPassword: ResourceValidationPolicy = {
    name: PLAINTEXT_PASSWORD_POLICY,
    description:
        "An ElastiCache user must not set passwords or authenticationMode.passwords, which the state keeps in plain text: use IAM authentication, or the write-only passwordsWo.",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateResource: forTypes([USER], (args, report) => {
        const mode = knownValue<{ passwords?: unknown[] }>(args.props, "authenticationMode");
        const where = isSet(args.props, "passwords")
            ? "passwords"
            : Array.isArray(mode?.passwords) && mode.passwords.length > 0
              ? "authenticationMode.passwords"
              : undefined;
        if (where !== undefined) {
            report(
                `${label(args.type, args.name)}: ${where} is set; the provider stores it in the stack's state in plain text. ` +
                    `Fix: authenticationMode { type: "iam" } (no password at all), or passwordsWo with passwordsWoVersion (write-only, never in state).`,
            );
        }
    }),
};

// --- elasticache-connect-not-wildcard ---

export const CONNECT_POLICY = "elasticache-connect-not-wildcard";

const IAM_POLICY_TYPES = [
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/policy:Policy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
];

interface Statement {
    Effect?: string;
    Action?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Whether an IAM action pattern (with * and ? wildcards, case-insensitive) covers elasticache:Connect. */
export function coversConnect(action: string): boolean {
    const pattern = new RegExp(
        `^${action
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "i",
    );
    return pattern.test("elasticache:Connect");
}

/**
 * The statements of a policy document that allow elasticache:Connect on every cache and user: Resource "*" (or
 * a wildcard over every cache, "arn:aws:elasticache:*"), or NotResource.
 */
export function wildcardConnectStatements(document: string): number[] {
    let statements: Statement[];
    try {
        const doc = JSON.parse(document) as { Statement?: Statement | Statement[] };
        statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    } catch {
        return []; // not JSON: the provider's Check refuses it first.
    }
    return statements.flatMap((s, i) => {
        if (s.Effect !== "Allow" || !list(s.Action).some(coversConnect)) {
            return [];
        }
        const everything =
            s.NotResource !== undefined ||
            list(s.Resource).some((r) => r === "*" || /^arn:[^:]*:elasticache:[^:]*:[^:]*:\*$/.test(r));
        return everything ? [i] : [];
    });
}

/**
 * elasticache:Connect authorizes an IAM identity to connect as an ElastiCache user; granted on "*" it would let
 * the identity connect to every cache of the account as every IAM-enabled user. AWS auth-iam ("Setup") grants it
 * on the cache's ARN and the user's ARN.
 */
export const elasticacheConnectNotWildcard: ResourceValidationPolicy = {
    name: CONNECT_POLICY,
    description:
        "An IAM policy must not allow elasticache:Connect on Resource \"*\" (or NotResource): grant it on the replication group's ARN and the user's ARN.",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateResource: forTypes(IAM_POLICY_TYPES, (args, report) => {
        const document = knownValue<string>(args.props, "policy");
        if (document === undefined) {
            return; // unknown in this preview; checked when it is known (at pulumi up)
        }
        for (const i of wildcardConnectStatements(document)) {
            report(
                `${label(args.type, args.name)}: statement ${i} allows elasticache:Connect on every cache and user (Resource "*"). ` +
                    `Fix: Resource: [<replication group ARN>, <ElastiCache user ARN>].`,
            );
        }
    }),
};
