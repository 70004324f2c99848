// AWS's rules for ElastiCache RBAC users, user groups and IAM authentication: one source for the config layer
// (infra/config/auth.ts), the offline check's provider check and the pack. Each rule names its source:
// - CreateUser / CreateUserGroup API reference (UserId pattern [a-zA-Z][a-zA-Z0-9\-]*, "stored as a lowercase
//   string"; AccessString pattern .*\S.*):
//   https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateUser.html
// - Role-Based Access Control (RBAC), https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html:
//   no passwords in an access string, neither `on` nor `off` means off, no `reset`; a VALKEY user group holds only
//   users that authenticate (password or IAM); a Redis OSS cache takes only a REDIS user group.
// - Authenticating with IAM, https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html: Valkey or
//   Redis OSS 7+, in-transit encryption on; a token is valid 15 minutes; a connection is closed after 12 hours.
// - aws-cdk @aws-cdk/aws-elasticache-alpha lib/iam-user.ts ("For IAM authentication, userName must be equal to
//   userId") and lib/user-group.ts (no two users of one name; a redis user group needs a user named "default").
// - terraform-provider-aws internal/service/elasticache/user.go (engine redis|valkey, case-insensitive;
//   passwords 16-128 characters, at most 2) and user_group.go.

// The user name every Redis OSS user group must hold (the identity of unauthenticated connections) is
// elasticache-users.ts's DEFAULT_USER_NAME, beside the rule that the group holds one.
import { DEFAULT_USER_NAME } from "./elasticache-users";

/** The access string of a disabled default user: cannot log in, and would be granted nothing if it could. */
export const DISABLED_ACCESS_STRING = "off -@all";

/** CreateUser UserId: a letter, then letters, digits and hyphens. */
const USER_ID = /^[a-zA-Z][a-zA-Z0-9-]*$/;

/**
 * Why AWS refuses this user ID, or undefined. (AWS also stores IDs lower-cased; the config layer asks for lower
 * case so that an IAM user's ID, as stored, still equals its name.)
 */
export function elasticacheUserIdProblem(id: string): string | undefined {
    if (id.length === 0) {
        return "is empty; a user ID has at least 1 character";
    }
    if (!USER_ID.test(id)) {
        return "must begin with a letter and contain only letters, digits and hyphens";
    }
    if (id.toLowerCase() === DEFAULT_USER_NAME) {
        return `is the ID of ElastiCache's own "default" user, which cannot be created or changed; give a disabled default user another ID and the user name "default"`;
    }
    return undefined;
}

/** Why this user cannot authenticate with IAM, or undefined (aws-cdk iam-user.ts; AWS auth-iam Limitations). */
export function iamUserProblem(user: { userId: string; userName: string }): string | undefined {
    if (user.userId !== user.userName) {
        return `an IAM-authenticated user's name must equal its ID, got ID "${user.userId}" and name "${user.userName}"`;
    }
    return undefined;
}

/**
 * An ACL rule of an access string, by the Redis ACL grammar (checked against Redis 7's own ACL SETUSER in
 * test/redis/acl-local.int.test.ts; command and category names are not checked here) (https://redis.io/docs/latest/operate/oss_and_stack/management/security/acl/)
 * minus what ElastiCache refuses: passwords (`>p`, `<p`, `#h`, `!h`, `nopass`, `resetpass`) and `reset`.
 */
const RULES: readonly { readonly pattern: RegExp; readonly grants: boolean }[] = [
    { pattern: /^(on|off)$/, grants: false },
    { pattern: /^(allkeys|allchannels|allcommands)$/, grants: true },
    { pattern: /^(resetkeys|resetchannels|nocommands)$/, grants: false },
    // Empty patterns (`~`, `&`, `%R~`) are accepted by Redis, and the %R/%W/%RW prefix in either case.
    { pattern: /^(%(R|W|RW))?~\S*$/i, grants: true },
    { pattern: /^&\S*$/, grants: true },
    { pattern: /^\+(@[a-z-]+|[a-z][a-z0-9_-]*(\|[a-z0-9_-]+)?)$/i, grants: true },
    { pattern: /^-(@[a-z-]+|[a-z][a-z0-9_-]*(\|[a-z0-9_-]+)?)$/i, grants: false },
];
const PASSWORD_RULE = /^([<>#!].*|nopass|resetpass)$/;

/** Every reason AWS (or Redis) refuses this access string; empty when it is valid. */
export function accessStringProblems(accessString: string): string[] {
    if (!/\S/.test(accessString)) {
        return ['is blank; an access string needs at least one rule, e.g. "on ~* +@read"'];
    }
    const problems: string[] = [];
    // Redis (src/acl.c) refuses a key or channel pattern after full access to them (allkeys or ~*, allchannels
    // or &*) unless resetkeys/resetchannels came between: "Adding a pattern after the * pattern ... is not valid".
    let allKeys = false;
    let allChannels = false;
    for (const rule of accessString.trim().split(/\s+/)) {
        if (rule === "allkeys" || rule === "~*") allKeys = true;
        else if (rule === "resetkeys") allKeys = false;
        else if (allKeys && /^(%(R|W|RW))?~\S*$/i.test(rule)) {
            problems.push(
                `adds the key pattern "${rule}" after full key access (allkeys or ~*); Redis refuses it (resetkeys first)`,
            );
            continue;
        }
        if (rule === "allchannels" || rule === "&*") allChannels = true;
        else if (rule === "resetchannels") allChannels = false;
        else if (allChannels && /^&\S*$/.test(rule)) {
            problems.push(
                `adds the channel pattern "${rule}" after full channel access (allchannels or &*); Redis refuses it (resetchannels first)`,
            );
            continue;
        }
        if (PASSWORD_RULE.test(rule)) {
            // Never echo what may be a password.
            problems.push(
                "sets a password; ElastiCache takes passwords only from CreateUser/ModifyUser, never in an access string",
            );
        } else if (rule === "reset") {
            problems.push(
                'uses "reset", which ElastiCache refuses (it would remove the passwords ElastiCache manages)',
            );
        } else if (rule.startsWith("(")) {
            problems.push(`uses a selector "${rule}"; write the rules without parentheses`);
        } else if (!RULES.some((r) => r.pattern.test(rule))) {
            problems.push(
                `has "${rule}", which is not an ACL rule (on, off, ~keys, %R~keys, &channels, +cmd, -cmd, +@category, -@category, allkeys, allcommands, ...)`,
            );
        }
    }
    return problems;
}

/** Whether the user the access string describes is enabled: the last of `on`/`off` wins, neither means off. */
export function accessStringEnabled(accessString: string): boolean {
    const switches = accessString
        .trim()
        .split(/\s+/)
        .filter((r) => r === "on" || r === "off");
    return switches[switches.length - 1] === "on";
}

/** Whether the access string grants anything: keys, channels or commands. */
export function accessStringGrants(accessString: string): boolean {
    return accessString
        .trim()
        .split(/\s+/)
        .some((rule) => RULES.some((r) => r.grants && r.pattern.test(rule)));
}

/** Why a `default` user is not disabled (no password, `off`, nothing granted), or undefined. */
export function defaultUserProblem(user: { accessString: string; hasPassword: boolean }): string | undefined {
    if (user.hasPassword) {
        return "has a password: a default user must have none (every unauthenticated connection is this user)";
    }
    if (accessStringEnabled(user.accessString)) {
        return `has access string "${user.accessString}", which enables it; use "${DISABLED_ACCESS_STRING}"`;
    }
    if (accessStringGrants(user.accessString)) {
        return `has access string "${user.accessString}", which grants keys, channels or commands; use "${DISABLED_ACCESS_STRING}"`;
    }
    return undefined;
}

export type RbacEngine = "redis" | "valkey";
export type AuthenticationType = "password" | "no-password-required" | "iam";

/** A user as a user group sees it. */
export interface GroupMember {
    readonly userId: string;
    readonly userName: string;
    readonly engine: RbacEngine;
    readonly authentication: AuthenticationType;
}

/**
 * Every reason AWS refuses this user group (engine, members), for a cache of `cacheEngine`; empty when valid.
 * RBAC docs: a Redis OSS cache takes only a REDIS user group; a VALKEY group holds only users that authenticate.
 * aws-cdk user-group.ts: user names are unique in a group. That a redis group holds a user named "default"
 * (CreateUserGroup DefaultUserRequired) is elasticache-users.ts's userGroupLacksDefaultUser, judged by the pack's
 * elasticache-user-group-default-user, so it is reported once.
 */
export function userGroupProblems(
    group: { readonly engine: RbacEngine; readonly members: readonly GroupMember[] },
    cacheEngine?: RbacEngine,
): string[] {
    const problems: string[] = [];
    if (cacheEngine === "redis" && group.engine !== "redis") {
        problems.push(`a Redis OSS cache takes only a user group of engine redis, got ${group.engine}`);
    }
    if (group.engine === "redis") {
        for (const m of group.members.filter((m) => m.engine !== "redis")) {
            problems.push(`a redis user group holds only redis users; ${m.userId} is ${m.engine}`);
        }
    } else {
        for (const m of group.members.filter((m) => m.authentication === "no-password-required")) {
            problems.push(
                `a valkey user group holds only users that authenticate (password or IAM); ${m.userId} requires no password`,
            );
        }
    }
    const names = group.members.map((m) => m.userName);
    for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i))) {
        problems.push(`two users of the group are named "${name}"; user names must be unique in a group`);
    }
    const ids = group.members.map((m) => m.userId);
    for (const id of new Set(ids.filter((n, i) => ids.indexOf(n) !== i))) {
        problems.push(`user ID "${id}" is listed twice`);
    }
    return problems;
}

/** The oldest engine versions with IAM authentication (AWS auth-iam: "Valkey or Redis OSS version 7 or above"). */
export const IAM_MINIMUM_VERSION: Readonly<Record<RbacEngine, readonly [number, number]>> = {
    redis: [7, 0],
    valkey: [7, 2],
};

/** Why a cache cannot use IAM authentication (engine version, TLS), or undefined. */
export function iamCacheProblem(cache: {
    engine: RbacEngine;
    engineVersion: string;
    transitEncryptionEnabled: boolean;
}): string | undefined {
    const m = /^(\d+)\.(\d+|x)/.exec(cache.engineVersion);
    const [minMajor, minMinor] = IAM_MINIMUM_VERSION[cache.engine];
    if (m) {
        const major = Number(m[1]);
        const minor = m[2] === "x" ? 0 : Number(m[2]);
        if (major < minMajor || (major === minMajor && minor < minMinor)) {
            return `IAM authentication needs ${cache.engine} ${minMajor}.${minMinor} or later, got ${cache.engineVersion}`;
        }
    }
    if (!cache.transitEncryptionEnabled) {
        return "IAM authentication needs in-transit encryption (TLS) on the cache";
    }
    return undefined;
}

/** CreateReplicationGroup/ModifyReplicationGroup: a replication group is associated with one user group at most. */
export const MAX_USER_GROUPS_PER_REPLICATION_GROUP = 1;
