/**
 * The cache's keys: engine, version, node type, topology, port, AUTH token, backups, windows, logs and clients.
 * Pure, like the rest of the config layer (index.ts calls `readCache`).
 */
import {
    authTokenProblem,
    authTokenRefusedCharacters,
    AUTH_TOKEN_SPECIAL_CHARACTERS,
    cacheNodeTypeProblem,
    checkWindows,
    engineVersionProblem,
    LOG_RETENTION_DAYS,
    parameterGroupFamilyFor,
} from "../../policy/shared";
import { PROJECT, type Reader } from "./reader";

export type Engine = "redis" | "valkey";
export type ClusterMode = "enabled" | "disabled";
/** ElastiCache's AuthTokenUpdateStrategy for a token change (ModifyReplicationGroup); DELETE is RBAC's. */
export type AuthTokenUpdateStrategy = "ROTATE" | "SET";

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
     * How a changed token reaches the cache (`redisAuthTokenUpdateStrategy`): ROTATE keeps the old token valid
     * beside the new one; SET, deployed after a ROTATE, revokes the old one (ElastiCache's AuthTokenUpdateStrategy).
     * @default "ROTATE"
     * @example "SET"
     */
    readonly authTokenUpdateStrategy: AuthTokenUpdateStrategy;
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

/**
 * The defaults, and the oldest versions that support `transitEncryptionMode` (redis >= 7.0.5, valkey >= 7.2);
 * which versions exist at all is the catalog's (policy/shared/catalog-data.ts).
 */
const ENGINES: Record<Engine, { readonly defaultVersion: string; readonly minimum: [number, number] }> = {
    redis: { defaultVersion: "7.1", minimum: [7, 0] },
    valkey: { defaultVersion: "8.0", minimum: [7, 2] },
};

const PATTERNS = {
    securityGroupId: /^sg-[0-9a-f]{8,17}$/,
    engineVersion: /^(\d+)\.(\d+|x)(\.\d+)?$/,
    snsTopicArn: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
    s3ObjectArn: /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/,
};

export function readCache(r: Reader): CacheConfig {
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
    const nodeTypeProblem = cacheNodeTypeProblem(nodeType, engine);
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
    if (tokenText !== "" && authTokenProblem(tokenText) !== undefined) {
        // Never echo a secret back: describe it instead.
        r.problems.push(
            `${PROJECT}:redisAuthToken must be 16 to 128 characters of letters, digits and ${AUTH_TOKEN_SPECIAL_CHARACTERS} only, got a value of ${tokenText.length} characters${authTokenRefusedCharacters(tokenText).length > 0 ? " with other characters" : ""}`,
        );
    }

    // DELETE belongs to a move to RBAC user groups, not to a token change.
    const authTokenUpdateStrategy = r.oneOf<AuthTokenUpdateStrategy>(
        "redisAuthTokenUpdateStrategy",
        ["ROTATE", "SET"],
        "ROTATE",
    );

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
        authTokenUpdateStrategy,
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

/** Nodes in the replication group. */
export function nodeCount(cache: Pick<CacheConfig, "shards" | "replicasPerShard">): number {
    return cache.shards * (1 + cache.replicasPerShard);
}
