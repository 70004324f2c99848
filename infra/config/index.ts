/**
 * Parses and validates the stack configuration. Pure: no Pulumi, no AWS. Every problem is collected and
 * reported at once, each naming the key, the bad value and what is allowed, so that a bad stack file stops
 * the program before any resource is registered. This layer is the only place a `redis-stack:` key is judged:
 * components and renderers take its validated values as they are.
 *
 * This module assembles the concerns and holds the stack-name rule; `reader.ts` holds the reader and the key
 * list; `network.ts`, `bastion.ts` (with `redis-cli.ts`, the pin's rules and defaults), `bastion-image.ts`,
 * `cache.ts`, `auth.ts`, `data-protection.ts` and `alarms.ts` hold their keys.
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
import { type AlarmsConfig, readAlarms } from "./alarms";
import { type BastionImageConfig, readBastionImage } from "./bastion-image";
import { type DataProtectionConfig, readDataProtection } from "./data-protection";
import { CONFIG_KEYS, PROJECT, Reader } from "./reader";

export { CONFIG_KEYS, type ConfigKey, PROJECT, Reader } from "./reader";
export { type AlarmsConfig, type AlarmThresholds } from "./alarms";
export { type BastionImageConfig } from "./bastion-image";
export { type DataProtectionConfig, finalSnapshotName } from "./data-protection";

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
