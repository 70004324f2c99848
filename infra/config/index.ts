/**
 * Parses and validates the stack configuration. Pure: no Pulumi, no AWS. Every problem is collected and
 * reported at once, each naming the key, the bad value and what is allowed, so that a bad stack file stops
 * the program before any resource is registered. This layer is the only place a `redis-stack:` key is judged:
 * components and renderers take its validated values as they are.
 *
 * This module holds the reader, the key list and the stack-name rule; `network.ts`, `bastion.ts` (with
 * `redis-cli.ts`, the pin's rules and defaults), `cache.ts` and `operations.ts` hold their keys.
 */
import { replicationGroupIdProblem } from "../../policy/shared";
import { type AuthConfig, readAuth } from "./auth";
import { type CacheConfig, readCache } from "./cache";
import { type BastionConfig, readBastion } from "./bastion";
import { type NetworkConfig, readNetwork } from "./network";

export { type AuthConfig, type AuthMode, type RedisUserConfig } from "./auth";
export { type BastionConfig } from "./bastion";
export { type NetworkConfig } from "./network";
export {
    type CacheConfig,
    type ClusterMode,
    type Engine,
    automaticFailover,
    nodeCount,
    parameterGroupFamily,
} from "./cache";
export {
    DEFAULT_REDIS_CLI_SHA256,
    DEFAULT_REDIS_CLI_VERSION,
    defaultRedisCliSourceUrl,
    REDIS_CLI_SOURCE_URL_MAX_LENGTH,
} from "./redis-cli";
import {
    type AlarmsConfig,
    type BastionImageConfig,
    type DataProtectionConfig,
    OPERATIONS_CONFIG_KEYS,
    readAlarms,
    readBastionImage,
    readDataProtection,
} from "./operations";

export const PROJECT = "redis-stack";

export interface StackConfig {
    readonly network: NetworkConfig;
    readonly bastion: BastionConfig & BastionImageConfig;
    readonly cache: CacheConfig & DataProtectionConfig & AuthConfig;
    readonly alarms: AlarmsConfig;
}

export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/** Every key this program reads, so that a typo in a stack file is an error rather than a silent default. */
export const CONFIG_KEYS = [
    "vpcCidr",
    "availabilityZoneCount",
    "vpcId",
    "privateSubnetIds",
    "publicSubnetId",
    "bastionInstanceType",
    "bastionKeyName",
    "sshAllowedCidrs",
    "redisCliVersion",
    "redisCliSourceUrl",
    "redisCliSha256",
    "redisEngine",
    "redisEngineVersion",
    "redisNodeType",
    "redisClusterMode",
    "redisShards",
    "redisReplicasPerShard",
    "redisPort",
    "redisAuthToken",
    "snapshotRetentionDays",
    "snapshotWindow",
    "maintenanceWindow",
    "logRetentionDays",
    "notificationTopicArn",
    "snapshotArns",
    "clientSecurityGroupIds",
    // Authentication (auth.ts).
    "redisAuthMode",
    "redisUsers",
    // Day two: the bastion's image, data protection, alarms (operations.ts).
    ...OPERATIONS_CONFIG_KEYS,
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Reads typed values out of the raw config (all strings, as the Pulumi CLI passes them) and records problems. */
export class Reader {
    readonly problems: string[] = [];

    constructor(private readonly raw: Readonly<Record<string, string | undefined>>) {}

    private value(key: ConfigKey): string {
        const value = this.raw[`${PROJECT}:${key}`];
        if (value === undefined) {
            this.problems.push(
                `${PROJECT}:${key} is missing (Pulumi.yaml declares its default; is the project file intact?)`,
            );
            return "";
        }
        return value;
    }

    fail(key: ConfigKey, value: unknown, allowed: string): void {
        this.problems.push(`${PROJECT}:${key} ${allowed}, got ${JSON.stringify(value)}`);
    }

    string(key: ConfigKey): string {
        return this.value(key).trim();
    }

    /** A string that must match `pattern` unless it is empty. */
    optional(key: ConfigKey, pattern: RegExp, allowed: string): string | undefined {
        const value = this.string(key);
        if (value === "") {
            return undefined;
        }
        if (!pattern.test(value)) {
            this.fail(key, value, allowed);
        }
        return value;
    }

    /** On a bad value, returns `fallback` so that checks depending on this key raise no follow-on problems. */
    oneOf<T extends string>(key: ConfigKey, choices: readonly T[], fallback: T): T {
        const value = this.string(key);
        if (!(choices as readonly string[]).includes(value)) {
            this.fail(key, value, `must be one of ${choices.join(", ")}`);
            return fallback;
        }
        return value as T;
    }

    integer(key: ConfigKey, min: number, max: number): number {
        const text = this.string(key);
        const value = Number(text);
        if (!/^-?\d+$/.test(text) || value < min || value > max) {
            this.fail(key, text, `must be a whole number from ${min} to ${max}`);
            return min;
        }
        return value;
    }

    list(key: ConfigKey): string[] {
        const text = this.string(key);
        if (text === "") {
            return [];
        }
        let value: unknown;
        try {
            value = JSON.parse(text);
        } catch {
            value = text;
        }
        if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
            this.fail(key, value, "must be a list of strings (YAML list in the stack file)");
            return [];
        }
        return value.map((item: string) => item.trim());
    }

    /** Each item of a list must match; the message names the offending item. */
    listOf(key: ConfigKey, pattern: RegExp, allowed: string): string[] {
        const items = this.list(key);
        for (const item of items.filter((i) => !pattern.test(i))) {
            this.fail(key, item, `items ${allowed}`);
        }
        return items;
    }
}

/**
 * Validates the merged stack configuration (stack values over Pulumi.yaml defaults, keys namespaced
 * `redis-stack:<key>`, all values strings as in `pulumi.runtime.allConfig()`). Throws a ConfigError that lists
 * every problem.
 */
export function parseConfig(raw: Readonly<Record<string, string | undefined>>): StackConfig {
    const r = new Reader(raw);
    for (const key of Object.keys(raw)) {
        const [namespace, name] = splitKey(key);
        if (namespace === PROJECT && !(CONFIG_KEYS as readonly string[]).includes(name)) {
            r.problems.push(`${key} is not a key of this project${suggest(name)}; the keys are listed in Pulumi.yaml`);
        }
    }
    const network = readNetwork(r);
    const bastion = { ...readBastion(r), ...readBastionImage(r) };
    const cacheSettings = readCache(r);
    const cache = { ...cacheSettings, ...readDataProtection(r), ...readAuth(r, cacheSettings) };
    const alarms = readAlarms(r);
    if (r.problems.length > 0) {
        throw new ConfigError(r.problems);
    }
    return { network, bastion, cache, alarms };
}

function splitKey(key: string): [string, string] {
    const colon = key.indexOf(":");
    return colon < 0 ? ["", key] : [key.slice(0, colon), key.slice(colon + 1)];
}

/** " (did you mean redisNodeType?)" for a near miss. */
function suggest(name: string): string {
    const lower = name.toLowerCase();
    const close = CONFIG_KEYS.find((k) => k.toLowerCase() === lower || editDistance(k.toLowerCase(), lower) <= 2);
    return close ? ` (did you mean ${close}?)` : "";
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
            );
        }
        previous = current;
    }
    return previous[b.length];
}

/**
 * The ID pulumi-aws auto-names the replication group with, for a stack: the component's logical name
 * `redis-<stack>-cache-group`, lower-cased, a hyphen and 7 random hex characters (pulumi-aws
 * provider/resources.go AutoNameTransform("replicationGroupId", 40, strings.ToLower)).
 */
export function autoNamedReplicationGroupId(stack: string, suffix = "0000000"): string {
    return `redis-${stack}-cache-group-${suffix}`.toLowerCase();
}

/**
 * Stack names this program cannot deploy: the replication group's auto-named ID must be a valid ElastiCache ID
 * (at most 40 letters, digits and single hyphens), which limits the stack name to 14 letters, digits and
 * single hyphens. Refused up front, in one line, instead of at `pulumi up`.
 */
export function stackNameProblems(stack: string): string[] {
    const id = autoNamedReplicationGroupId(stack);
    const problem = replicationGroupIdProblem(id);
    return problem === undefined
        ? []
        : [
              `stack name "${stack}" cannot be deployed: the cache's replication group ID "${autoNamedReplicationGroupId(stack, "xxxxxxx")}" ${problem}; use a stack name of at most 14 letters, digits and single hyphens (pulumi stack rename)`,
          ];
}
