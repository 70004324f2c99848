/**
 * How clients authenticate to the cache (`redisAuthMode`, `redisUsers`). Pure, like the rest of the config layer
 * (index.ts calls `readAuth`); AWS's rules on users, groups and IAM come from policy/shared/rbac.ts.
 */
import { accessStringProblems, elasticacheUserIdProblem, iamCacheProblem } from "../../policy/shared";
import type { Engine } from "./cache";
import { PROJECT, type Reader } from "./reader";

export type AuthMode = "token" | "iam";

/** An extra IAM-authenticated RBAC user (`redisUsers`). */
export interface RedisUserConfig {
    /**
     * Suffix of the user: its ID and name (equal, as IAM requires) are `redis-<stack>-<name>`.
     * @example "app"
     */
    readonly name: string;
    /**
     * The user's ACL rules.
     * @example "on ~app:* +@read +@write -@dangerous"
     */
    readonly accessString: string;
}

/**
 * The cache's authentication. Each `@default` is what the Pulumi.yaml defaults validate to
 * (test/unit/component-docs.test.ts checks it).
 */
export interface AuthConfig {
    /**
     * `token`: one AUTH token (generated, or `redisAuthToken`) kept in SSM, the tutorial's way. `iam`: no password
     * anywhere: an RBAC user group with a disabled `default` user and IAM-authenticated users; clients sign a
     * 15-minute token with their IAM identity (`redisAuthMode`; staging and prod set iam).
     * @default "token"
     * @example "iam"
     */
    readonly authMode: AuthMode;
    /**
     * Extra IAM-authenticated users besides the bastion's, in iam mode (`redisUsers`).
     * @default []
     * @example [{ name: "app", accessString: "on ~app:* +@read +@write -@dangerous" }]
     */
    readonly users: RedisUserConfig[];
}

/** Names the program gives its own users (infra/redis.ts), so config users cannot take them. */
export const RESERVED_USER_NAMES = ["default", "bastion"] as const;

/** A stand-in stack prefix to judge a user's full ID by (the stack name has its own rule, stackNameProblems). */
const SAMPLE_PREFIX = "redis-stack-";

export function readAuth(r: Reader, cache: { engine: Engine; engineVersion: string; authToken?: string }): AuthConfig {
    const authMode = r.oneOf<AuthMode>("redisAuthMode", ["token", "iam"], "token");
    const users = readUsers(r);
    if (authMode === "iam") {
        // The program always turns TLS on (transitEncryptionMode required).
        const problem = iamCacheProblem({ ...cache, transitEncryptionEnabled: true });
        if (problem) {
            r.problems.push(`${PROJECT}:redisAuthMode iam: ${problem} (${PROJECT}:redisEngineVersion)`);
        }
        if (cache.authToken !== undefined) {
            r.problems.push(
                `${PROJECT}:redisAuthToken is set but ${PROJECT}:redisAuthMode is iam, which uses no token: remove it (pulumi config rm redisAuthToken)`,
            );
        }
    } else if (users.length > 0) {
        r.problems.push(
            `${PROJECT}:redisUsers needs ${PROJECT}:redisAuthMode iam (token mode has one shared token, no users)`,
        );
    }
    return { authMode, users };
}

function readUsers(r: Reader): RedisUserConfig[] {
    const value = r.structured("redisUsers");
    if (value === undefined) {
        return [];
    }
    const shape =
        'must be a list of { name, accessString } objects, e.g. [{"name":"app","accessString":"on ~app:* +@read"}]';
    if (!Array.isArray(value)) {
        r.fail("redisUsers", value, shape);
        return [];
    }
    const users: RedisUserConfig[] = [];
    value.forEach((item: unknown, i) => {
        const o = item as Record<string, unknown> | null;
        if (typeof o !== "object" || o === null || typeof o.name !== "string" || typeof o.accessString !== "string") {
            r.fail("redisUsers", item, `item ${i} ${shape}`);
            return;
        }
        const extra = Object.keys(o).filter((k) => k !== "name" && k !== "accessString");
        if (extra.length > 0) {
            r.problems.push(
                `${PROJECT}:redisUsers item ${i} has ${extra.map((k) => `"${k}"`).join(", ")}; a user has only name and accessString (passwords are never configured: users authenticate with IAM)`,
            );
        }
        const name = o.name.trim();
        const idProblem = elasticacheUserIdProblem(`${SAMPLE_PREFIX}${name}`);
        if (name === "" || !/^[a-z0-9][a-z0-9-]*$/.test(name) || idProblem) {
            r.fail(
                "redisUsers",
                name,
                `item ${i} name must be lower-case letters, digits and hyphens (the user ID becomes redis-<stack>-<name>${idProblem ? `, which ${idProblem}` : ""})`,
            );
        } else if ((RESERVED_USER_NAMES as readonly string[]).includes(name)) {
            r.fail(
                "redisUsers",
                name,
                `item ${i} name is reserved for the program's own users (${RESERVED_USER_NAMES.join(", ")})`,
            );
        } else if (users.some((u) => u.name === name)) {
            r.fail("redisUsers", name, `item ${i} name is given twice`);
        }
        for (const problem of accessStringProblems(o.accessString)) {
            r.problems.push(`${PROJECT}:redisUsers item ${i} (${name}) accessString ${problem}`);
        }
        users.push({ name, accessString: o.accessString.trim() });
    });
    return users;
}
