/**
 * Parses and validates the stack configuration. Pure: no Pulumi, no AWS. Every problem is collected and
 * reported at once, each naming the key, the bad value and what is allowed, so that a bad stack file stops
 * the program before any resource is registered. This layer is the only place a `redis-stack:` key is judged:
 * components and renderers take its validated values as they are.
 *
 * This module holds the reader, the key list and the cache's keys; `network.ts` and `bastion.ts` (with
 * `redis-cli.ts`, the pin's rules and defaults) hold theirs.
 */
import {
    cacheNodeTypeProblem,
    checkWindows,
    engineVersionProblem,
    parameterGroupFamilyFor,
    replicationGroupIdProblem,
} from "../../policy/shared";
import { type BastionConfig, readBastion } from "./bastion";
import { type NetworkConfig, readNetwork } from "./network";

export { type BastionConfig } from "./bastion";
export { type NetworkConfig } from "./network";
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

export type Engine = "redis" | "valkey";
export type ClusterMode = "enabled" | "disabled";

/**
 * The cache's settings, from the `redis-*`, snapshot, window, log and client keys of the stack configuration.
 * Each `@default` is what the Pulumi.yaml defaults validate to (test/unit/component-docs.test.ts checks it).
 */
export interface CacheConfig {
    /**
     * The engine (`redisEngine`).
     * @default "redis"
     * @example "valkey"
     */
    readonly engine: Engine;
    /**
     * Engine version (`redisEngineVersion`); empty in the stack config means 7.1 for redis, 8.0 for valkey. TLS
     * mode needs redis >= 7.0 or valkey >= 7.2.
     * @default "7.1"
     * @example "8.0"
     */
    readonly engineVersion: string;
    /**
     * Node type (`redisNodeType`); the default is the free tier's.
     * @default "cache.t3.micro"
     * @example "cache.r7g.large"
     */
    readonly nodeType: string;
    /**
     * `enabled`: sharded, with a configuration endpoint; `disabled`: one shard, primary and reader endpoints
     * (`redisClusterMode`).
     * @default "disabled"
     * @example "enabled"
     */
    readonly clusterMode: ClusterMode;
    /**
     * Node groups (`redisShards`); 1 with cluster mode disabled.
     * @default 1
     * @example 3
     */
    readonly shards: number;
    /**
     * Replicas per shard (`redisReplicasPerShard`); at least 1 turns on Multi-AZ. Automatic failover is on with a
     * replica, and always in cluster mode (which requires it, with or without replicas).
     * @default 0
     * @example 1
     */
    readonly replicasPerShard: number;
    /**
     * The cache port (`redisPort`).
     * @default 6379
     * @example 6380
     */
    readonly port: number;
    /**
     * The AUTH token (`redisAuthToken`, set with `pulumi config set --secret`); undefined generates one.
     * @default undefined
     * @example "a-token-of-16-to-128-characters"
     */
    readonly authToken?: string;
    /**
     * Days of daily backups, 0 to 35; 0 turns backups off (`snapshotRetentionDays`).
     * @default 7
     * @example 35
     */
    readonly snapshotRetentionDays: number;
    /**
     * Daily backup window `hh24:mi-hh24:mi` UTC (`snapshotWindow`).
     * @default "03:00-04:00"
     * @example "05:00-06:00"
     */
    readonly snapshotWindow: string;
    /**
     * Weekly window `ddd:hh24:mi-ddd:hh24:mi` UTC (`maintenanceWindow`); the default is the tutorial's.
     * @default "mon:00:00-mon:01:00"
     * @example "sun:23:00-mon:01:30"
     */
    readonly maintenanceWindow: string;
    /**
     * Retention of the slow-log and engine-log groups, in days (`logRetentionDays`); 0: never expire.
     * @default 14
     * @example 90
     */
    readonly logRetentionDays: number;
    /**
     * SNS topic for ElastiCache events (`notificationTopicArn`).
     * @default undefined
     * @example "arn:aws:sns:us-east-1:123456789012:ops"
     */
    readonly notificationTopicArn?: string;
    /**
     * S3 RDB files to seed the cache from (`snapshotArns`).
     * @default []
     * @example ["arn:aws:s3:::my-bucket/backup.rdb"]
     */
    readonly snapshotArns: string[];
    /**
     * Security groups allowed in on the cache port besides the bastion's (`clientSecurityGroupIds`).
     * @default []
     * @example ["sg-0123456789abcdef0"]
     */
    readonly clientSecurityGroupIds: string[];
}

export interface StackConfig {
    readonly network: NetworkConfig;
    readonly bastion: BastionConfig & BastionImageConfig;
    readonly cache: CacheConfig & DataProtectionConfig;
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
    // Day two: the bastion's image, data protection, alarms (operations.ts).
    ...OPERATIONS_CONFIG_KEYS,
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/**
 * The defaults, and the oldest versions that support `transitEncryptionMode` (redis >= 7.0.5, valkey >= 7.2);
 * which versions exist at all is the catalog's (policy/shared/catalog-data.ts).
 */
const ENGINES: Record<Engine, { readonly defaultVersion: string; readonly minimum: [number, number] }> = {
    redis: { defaultVersion: "7.1", minimum: [7, 0] },
    valkey: { defaultVersion: "8.0", minimum: [7, 2] },
};

/**
 * CloudWatch Logs retention values (PutRetentionPolicy, and the provider's retention_in_days validator);
 * 0 means never expire: the log groups then get no retention.
 */
const LOG_RETENTION_DAYS = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** AWS: 16-128 printable characters; of the non-alphanumerics only these. */
const AUTH_TOKEN = /^[A-Za-z0-9!&#$^<>-]{16,128}$/;

const PATTERNS = {
    securityGroupId: /^sg-[0-9a-f]{8,17}$/,
    engineVersion: /^(\d+)\.(\d+|x)(\.\d+)?$/,
    snsTopicArn: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
    s3ObjectArn: /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/,
};

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
    const cache = { ...readCache(r), ...readDataProtection(r) };
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

function readCache(r: Reader): CacheConfig {
    const engine = r.oneOf<Engine>("redisEngine", ["redis", "valkey"], "redis");
    const versionText = r.string("redisEngineVersion");
    const engineVersion = versionText === "" ? ENGINES[engine].defaultVersion : versionText;
    const versionProblem = engineVersionProblem(engine, engineVersion);
    const version = PATTERNS.engineVersion.exec(engineVersion);
    if (versionProblem) {
        r.problems.push(`${PROJECT}:redisEngineVersion: ${versionProblem}`);
    } else if (version) {
        const [minMajor, minMinor] = ENGINES[engine].minimum;
        const major = Number(version[1]);
        const minor = version[2] === "x" ? 0 : Number(version[2]);
        if (major < minMajor || (major === minMajor && minor < minMinor)) {
            r.fail(
                "redisEngineVersion",
                engineVersion,
                `must be ${engine} ${minMajor}.${minMinor} or later: transitEncryptionMode (TLS required) needs redis >= 7.0.5 or valkey >= 7.2`,
            );
        }
    }

    const nodeType = r.string("redisNodeType");
    const nodeTypeProblem = cacheNodeTypeProblem(nodeType);
    if (nodeTypeProblem) {
        r.problems.push(`${PROJECT}:redisNodeType: ${nodeTypeProblem}`);
    }

    const clusterMode = r.oneOf<ClusterMode>("redisClusterMode", ["enabled", "disabled"], "disabled");
    const shards = r.integer("redisShards", 1, 500);
    const replicasPerShard = r.integer("redisReplicasPerShard", 0, 5);
    if (clusterMode === "disabled" && shards !== 1) {
        r.fail(
            "redisShards",
            shards,
            "must be 1 when redisClusterMode is disabled (one shard; set redisClusterMode: enabled to shard)",
        );
    }
    if (clusterMode === "enabled" && shards * (1 + replicasPerShard) > 500) {
        r.fail(
            "redisShards",
            shards,
            `times ${1 + replicasPerShard} nodes per shard must stay within ElastiCache's 500 nodes per cluster`,
        );
    }

    const port = r.integer("redisPort", 1024, 65535);
    const tokenText = r.string("redisAuthToken");
    if (tokenText !== "" && !AUTH_TOKEN.test(tokenText)) {
        // Never echo a secret back: describe it instead.
        r.problems.push(
            `${PROJECT}:redisAuthToken must be 16 to 128 characters of letters, digits and !&#$^<>- only, got a value of ${tokenText.length} characters${/[^A-Za-z0-9!&#$^<>-]/.test(tokenText) ? " with other characters" : ""}`,
        );
    }

    const snapshotRetentionDays = r.integer("snapshotRetentionDays", 0, 35);
    const snapshotWindow = r.string("snapshotWindow");
    const maintenanceWindow = r.string("maintenanceWindow");
    for (const problem of checkWindows({ maintenanceWindow, snapshotWindow })) {
        const keys = problem.field
            .split("+")
            .map((key) => `${PROJECT}:${key}`)
            .join(" and ");
        r.problems.push(`${keys}: ${problem.message}`);
    }

    const logRetentionText = r.string("logRetentionDays");
    const logRetentionDays = Number(logRetentionText);
    if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
        r.fail(
            "logRetentionDays",
            logRetentionText,
            `must be a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(", ")} (0: never expire)`,
        );
    }

    return {
        engine,
        engineVersion,
        nodeType,
        clusterMode,
        shards,
        replicasPerShard,
        port,
        authToken: tokenText === "" ? undefined : tokenText,
        snapshotRetentionDays,
        snapshotWindow,
        maintenanceWindow,
        logRetentionDays,
        notificationTopicArn: r.optional(
            "notificationTopicArn",
            PATTERNS.snsTopicArn,
            "must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:ops",
        ),
        snapshotArns: r.listOf(
            "snapshotArns",
            PATTERNS.s3ObjectArn,
            "must be S3 object ARNs such as arn:aws:s3:::my-bucket/backup.rdb",
        ),
        clientSecurityGroupIds: r.listOf(
            "clientSecurityGroupIds",
            PATTERNS.securityGroupId,
            "must look like sg-0123456789abcdef0",
        ),
    };
}

/** The ElastiCache parameter group family of an engine version, e.g. redis 7.1 -> redis7, valkey 8.0 -> valkey8. */
export function parameterGroupFamily(engine: Engine, engineVersion: string): string {
    const family = parameterGroupFamilyFor(engine, engineVersion);
    if (family === undefined) {
        throw new Error(
            `no parameter group family for ${engine} ${engineVersion} (parseConfig accepts only catalogued versions)`,
        );
    }
    return family;
}

/** Whether the replication group runs with automatic failover: with a replica, and always in cluster mode. */
export function automaticFailover(cache: Pick<CacheConfig, "clusterMode" | "replicasPerShard">): boolean {
    return cache.clusterMode === "enabled" || cache.replicasPerShard > 0;
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

/** Nodes in the replication group. */
export function nodeCount(cache: Pick<CacheConfig, "shards" | "replicasPerShard">): number {
    return cache.shards * (1 + cache.replicasPerShard);
}
