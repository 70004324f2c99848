/**
 * Parses and validates the stack configuration. Pure: no Pulumi, no AWS. Every problem is collected and
 * reported at once, each naming the key, the bad value and what is allowed, so that a bad stack file stops
 * the program before any resource is registered.
 */
import { type Ipv4Cidr, ipv6PrefixLength, isCanonicalIpv4, parseIpv4Cidr } from "./cidr";
import { DEFAULT_REDIS_CLI_SHA256, DEFAULT_REDIS_CLI_VERSION, defaultRedisCliSourceUrl } from "./bastion/user-data";
import {
    cacheNodeTypeProblem,
    checkWindows,
    engineVersionProblem,
    instanceArchitecture,
    parameterGroupFamilyFor,
    replicationGroupIdProblem,
} from "../policy/shared";

export const PROJECT = "redis-stack";

export type Engine = "redis" | "valkey";
export type ClusterMode = "enabled" | "disabled";

export interface NetworkConfig {
    /**
     * IPv4 range of the VPC to create; split into a public subnet (the bastion's) and one private subnet per
     * availability zone (the cache's), see `planSubnets`. Ignored when `existing` is set.
     */
    readonly vpcCidr: Ipv4Cidr;
    /** How many AZs get a private subnet for the cache; at least 2 so that Multi-AZ has somewhere to fail over. */
    readonly availabilityZoneCount: number;
    /** Bring your own VPC: nothing but the cache subnet group is created. Default: create a VPC. */
    readonly existing?: {
        readonly vpcId: string;
        readonly privateSubnetIds: string[];
        readonly publicSubnetId: string;
    };
}

export interface BastionConfig {
    /** Instance type. Default in Pulumi.yaml: `t3.micro` (free tier). */
    readonly instanceType: string;
    /** CPU architecture of the AMI, derived from the instance type (`arm64` for Graviton, see the catalog). */
    readonly architecture: "x86_64" | "arm64";
    /** Optional EC2 key pair for SSH. Default: none (Session Manager needs none). */
    readonly keyName?: string;
    /** CIDRs allowed to reach port 22. Default: none, so the bastion has no inbound rule at all. */
    readonly sshAllowedCidrs: string[];
    /** The pinned redis-cli build: Redis release, tarball URL and its SHA-256, verified before anything runs. */
    readonly redisCliVersion: string;
    readonly redisCliSourceUrl: string;
    readonly redisCliSha256: string;
}

export interface CacheConfig {
    /** `redis` (default) or `valkey`. */
    readonly engine: Engine;
    /** Engine version; default 7.1 for redis, 8.0 for valkey (TLS mode needs redis >= 7.0 or valkey >= 7.2). */
    readonly engineVersion: string;
    /** Node type. Default: `cache.t3.micro` (free tier). */
    readonly nodeType: string;
    /** `enabled`: sharded, with a configuration endpoint; `disabled` (default): one shard, primary and reader endpoints. */
    readonly clusterMode: ClusterMode;
    /** Node groups; 1 (default) with cluster mode disabled. */
    readonly shards: number;
    /**
     * Replicas per shard, default 0; at least 1 turns on Multi-AZ. Automatic failover is on with a replica, and
     * always in cluster mode (which requires it, with or without replicas).
     */
    readonly replicasPerShard: number;
    /** Default 6379. */
    readonly port: number;
    /** The AUTH token; default undefined: one is generated. */
    readonly authToken?: string;
    /** Days of daily backups, 0 to 35 (0: none). Default 7. */
    readonly snapshotRetentionDays: number;
    /** Daily backup window `hh24:mi-hh24:mi` UTC. Default `03:00-04:00`. */
    readonly snapshotWindow: string;
    /** Weekly window `ddd:hh24:mi-ddd:hh24:mi` UTC. Default `mon:00:00-mon:01:00` (the tutorial's). */
    readonly maintenanceWindow: string;
    /** Retention of the slow-log and engine-log groups; 0: never expire. Default 14. */
    readonly logRetentionDays: number;
    /** SNS topic for ElastiCache events. Default: none. */
    readonly notificationTopicArn?: string;
    /** S3 RDB files to seed the cache from. Default: none. */
    readonly snapshotArns: string[];
    /** Security groups allowed in on the cache port besides the bastion's. Default: none. */
    readonly clientSecurityGroupIds: string[];
}

export interface StackConfig {
    readonly network: NetworkConfig;
    readonly bastion: BastionConfig;
    readonly cache: CacheConfig;
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
    instanceType: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
    vpcId: /^vpc-[0-9a-f]{8,17}$/,
    subnetId: /^subnet-[0-9a-f]{8,17}$/,
    securityGroupId: /^sg-[0-9a-f]{8,17}$/,
    keyName: /^[\x20-\x7e]{1,255}$/,
    redisCliVersion: /^\d+\.\d+\.\d+$/,
    sha256: /^[0-9a-f]{64}$/,
    engineVersion: /^(\d+)\.(\d+|x)(\.\d+)?$/,
    snsTopicArn: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
    s3ObjectArn: /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/,
};

/** Reads typed values out of the raw config (all strings, as the Pulumi CLI passes them) and records problems. */
class Reader {
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
    const bastion = readBastion(r);
    const cache = readCache(r);
    if (r.problems.length > 0) {
        throw new ConfigError(r.problems);
    }
    return { network, bastion, cache };
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

function readNetwork(r: Reader): NetworkConfig {
    const cidrText = r.string("vpcCidr");
    const parsed = parseIpv4Cidr(cidrText);
    let vpcCidr: Ipv4Cidr = { address: 0, prefixLength: 16 };
    if (!parsed || parsed.prefixLength < 16 || parsed.prefixLength > 24 || !isCanonicalIpv4(parsed)) {
        r.fail("vpcCidr", cidrText, "must be an IPv4 network from /16 to /24 with no host bits set, e.g. 10.42.0.0/16");
    } else {
        vpcCidr = parsed;
    }
    const availabilityZoneCount = r.integer("availabilityZoneCount", 2, 6);

    const vpcId = r.optional("vpcId", PATTERNS.vpcId, "must look like vpc-0123456789abcdef0");
    const privateSubnetIds = r.listOf("privateSubnetIds", PATTERNS.subnetId, "must look like subnet-0123456789abcdef0");
    const publicSubnetId = r.optional("publicSubnetId", PATTERNS.subnetId, "must look like subnet-0123456789abcdef0");
    if (vpcId === undefined) {
        if (privateSubnetIds.length > 0 || publicSubnetId !== undefined) {
            r.fail(
                "vpcId",
                "",
                "must be set when privateSubnetIds or publicSubnetId is (they belong to an existing VPC)",
            );
        }
        return { vpcCidr, availabilityZoneCount };
    }
    if (new Set(privateSubnetIds).size < 2) {
        r.fail(
            "privateSubnetIds",
            privateSubnetIds,
            "must list at least 2 distinct subnets (in different AZs) when vpcId is set",
        );
    }
    if (publicSubnetId === undefined) {
        r.fail("publicSubnetId", "", "must name the bastion's public subnet when vpcId is set");
    }
    return {
        vpcCidr,
        availabilityZoneCount,
        existing: { vpcId, privateSubnetIds, publicSubnetId: publicSubnetId ?? "" },
    };
}

function readBastion(r: Reader): BastionConfig {
    const instanceType = r.string("bastionInstanceType");
    if (!PATTERNS.instanceType.test(instanceType)) {
        r.fail("bastionInstanceType", instanceType, "must be an EC2 instance type such as t3.micro");
    }
    const keyName = r.optional(
        "bastionKeyName",
        PATTERNS.keyName,
        "must be an EC2 key pair name (1-255 printable ASCII characters)",
    );
    const sshAllowedCidrs = r.list("sshAllowedCidrs");
    for (const cidr of sshAllowedCidrs) {
        const v4 = parseIpv4Cidr(cidr);
        const prefix = v4 ? v4.prefixLength : ipv6PrefixLength(cidr);
        if (prefix === undefined) {
            r.fail("sshAllowedCidrs", cidr, "items must be IPv4 or IPv6 CIDRs such as 203.0.113.7/32");
        } else if (prefix === 0) {
            r.fail(
                "sshAllowedCidrs",
                cidr,
                "must not open SSH to the whole internet; list your own addresses, or use Session Manager (no SSH needed)",
            );
        }
    }

    const redisCliVersion = r.string("redisCliVersion");
    const versionValid = PATTERNS.redisCliVersion.test(redisCliVersion);
    if (!versionValid) {
        r.fail("redisCliVersion", redisCliVersion, "must be a Redis release such as 7.2.15");
    }
    const sourceUrlText = r.string("redisCliSourceUrl");
    const redisCliSourceUrl =
        sourceUrlText === "" && versionValid ? defaultRedisCliSourceUrl(redisCliVersion) : sourceUrlText;
    if (versionValid && !/^https:\/\/[^\s/]+\/\S+$/.test(redisCliSourceUrl)) {
        r.fail(
            "redisCliSourceUrl",
            sourceUrlText,
            "must be an https:// URL of a Redis source tarball (empty for download.redis.io)",
        );
    }
    const shaText = r.string("redisCliSha256").toLowerCase();
    let redisCliSha256 = shaText;
    if (shaText === "") {
        if (redisCliVersion === DEFAULT_REDIS_CLI_VERSION && sourceUrlText === "") {
            redisCliSha256 = DEFAULT_REDIS_CLI_SHA256;
        } else {
            r.fail(
                "redisCliSha256",
                "",
                `must be set to the tarball's SHA-256 when redisCliVersion or redisCliSourceUrl differ from the default (only ${DEFAULT_REDIS_CLI_VERSION} from download.redis.io has a built-in hash; see github.com/redis/redis-hashes)`,
            );
        }
    } else if (!PATTERNS.sha256.test(shaText)) {
        r.fail("redisCliSha256", shaText, "must be 64 hexadecimal characters (a SHA-256)");
    }
    return {
        instanceType,
        architecture: instanceArchitecture(instanceType),
        keyName,
        sshAllowedCidrs,
        redisCliVersion,
        redisCliSourceUrl,
        redisCliSha256,
    };
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
