/**
 * Day-two configuration, pure like the rest of `index.ts` (which calls these readers): what a routine
 * `pulumi up` may replace (the bastion's image), how the cache's data survives a delete or replace, and which
 * CloudWatch alarms page whom. Kept apart from `index.ts` so each concern reads on its own.
 */
import type { ConfigKey, Reader } from "./index";

/** Keys read here; `index.ts` adds them to `CONFIG_KEYS`. */
export const OPERATIONS_CONFIG_KEYS = [
    "bastionAmiId",
    "redisProtect",
    "redisFinalSnapshot",
    "redisApplyImmediately",
    "alarmEmail",
    "alarmCpuPercent",
    "alarmMemoryPercent",
    "alarmEvictions",
    "alarmReplicationLagSeconds",
    "alarmCpuCreditBalance",
] as const;

/**
 * Which image the bastion runs. Each `@default` is what the Pulumi.yaml defaults validate to
 * (test/unit/component-docs.test.ts checks it).
 */
export interface BastionImageConfig {
    /**
     * A pinned AMI (`bastionAmiId`): the bastion runs exactly this image and a new pin replaces it (the
     * deliberate upgrade). None: the image is resolved once from AL2023's "latest" SSM parameter and a later
     * release never replaces the running bastion (the instance ignores changes to `ami`).
     * @default undefined
     * @example "ami-0123456789abcdef0"
     */
    readonly amiId?: string;
}

/**
 * How the cache's data survives a delete or replace. Each `@default` is what the Pulumi.yaml defaults validate
 * to (test/unit/component-docs.test.ts checks it).
 */
export interface DataProtectionConfig {
    /**
     * Pulumi `protect` on the replication group (`redisProtect`): the engine refuses to delete it, or to
     * replace it (a replace deletes the old group). Prod sets true.
     * @default false
     * @example true
     */
    readonly protect: boolean;
    /**
     * Take a final snapshot when the replication group is deleted or replaced (`redisFinalSnapshot`).
     * @default true
     * @example false
     */
    readonly finalSnapshot: boolean;
    /**
     * Apply modifications now (a restart or failover mid-day) instead of in the maintenance window
     * (`redisApplyImmediately`). Dev sets true.
     * @default false
     * @example true
     */
    readonly applyImmediately: boolean;
}

/**
 * Alarm thresholds; the reasons behind each default are in Pulumi.yaml's descriptions and the README. Each
 * `@default` is what the Pulumi.yaml defaults validate to (test/unit/component-docs.test.ts checks it).
 */
export interface AlarmThresholds {
    /**
     * EngineCPUUtilization, percent, averaged over 3 consecutive 5-minute periods (`alarmCpuPercent`).
     * @default 80
     * @example 90
     */
    readonly cpuPercent: number;
    /**
     * DatabaseMemoryUsagePercentage, percent of maxmemory (`alarmMemoryPercent`).
     * @default 80
     * @example 85
     */
    readonly memoryPercent: number;
    /**
     * Evictions summed over 5 minutes (`alarmEvictions`).
     * @default 1
     * @example 1000
     */
    readonly evictions: number;
    /**
     * ReplicationLag, seconds, over 3 consecutive minutes (`alarmReplicationLagSeconds`).
     * @default 10
     * @example 30
     */
    readonly replicationLagSeconds: number;
    /**
     * CPUCreditBalance of burstable (t-class) nodes: alarm below this many credits (`alarmCpuCreditBalance`).
     * @default 20
     * @example 50
     */
    readonly cpuCreditBalance: number;
}

/**
 * Who is paged and when. Each `@default` is what the Pulumi.yaml defaults validate to
 * (test/unit/component-docs.test.ts checks it).
 */
export interface AlarmsConfig {
    /**
     * An email address to subscribe to a topic the stack creates for its alarms (`alarmEmail`).
     * @default undefined
     * @example "ops@example.com"
     */
    readonly email?: string;
    /**
     * When each alarm fires (the `alarm*` keys; see `AlarmThresholds`).
     * @default {"cpuPercent":80,"memoryPercent":80,"evictions":1,"replicationLagSeconds":10,"cpuCreditBalance":20}
     * @example { ...config.alarms.thresholds, cpuPercent: 90 }
     */
    readonly thresholds: AlarmThresholds;
}

const PATTERNS = {
    amiId: /^ami-[0-9a-f]{8,17}$/,
    // Deliberately loose: SNS validates and the subscriber must confirm; this catches typos like a missing @.
    email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
};

/** A `true`/`false` key (Pulumi stores booleans from YAML as the strings "true" and "false"). */
function readBoolean(r: Reader, key: ConfigKey): boolean {
    const text = r.string(key);
    if (text !== "true" && text !== "false") {
        r.fail(key, text, "must be true or false");
        return false;
    }
    return text === "true";
}

export function readBastionImage(r: Reader): BastionImageConfig {
    return { amiId: r.optional("bastionAmiId", PATTERNS.amiId, "must be an AMI id such as ami-0123456789abcdef0") };
}

export function readDataProtection(r: Reader): DataProtectionConfig {
    return {
        protect: readBoolean(r, "redisProtect"),
        finalSnapshot: readBoolean(r, "redisFinalSnapshot"),
        applyImmediately: readBoolean(r, "redisApplyImmediately"),
    };
}

export function readAlarms(r: Reader): AlarmsConfig {
    return {
        email: r.optional("alarmEmail", PATTERNS.email, "must be an email address such as ops@example.com"),
        thresholds: {
            cpuPercent: r.integer("alarmCpuPercent", 1, 100),
            memoryPercent: r.integer("alarmMemoryPercent", 1, 100),
            evictions: r.integer("alarmEvictions", 1, 1_000_000_000),
            replicationLagSeconds: r.integer("alarmReplicationLagSeconds", 1, 3600),
            cpuCreditBalance: r.integer("alarmCpuCreditBalance", 1, 10_000),
        },
    };
}

/**
 * The final snapshot's name without its per-deploy suffix: the group's logical name (`redis-<stack>-cache-group`)
 * plus `-final`; RedisCluster appends `-<8 hex digits>` drawn once per life of the cache, so a destroy, up and
 * destroy again never asks for a name the first destroy's snapshot still holds (snapshot names are unique per
 * account and region: that delete would fail, the group and its data staying). ElastiCache: letters, digits and
 * single hyphens, starting with a letter, at most 255 characters.
 */
export function finalSnapshotName(groupName: string): string {
    return `${groupName}-final`;
}
