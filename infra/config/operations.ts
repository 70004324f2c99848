/**
 * Day-two configuration, pure like the rest of `config.ts` (which calls these readers): what a routine
 * `pulumi up` may replace (the bastion's image), how the cache's data survives a delete or replace, and which
 * CloudWatch alarms page whom. Kept apart from `config.ts` so each concern reads on its own.
 */
import type { ConfigKey, Reader } from "./index";

/** Keys read here; `config.ts` adds them to `CONFIG_KEYS`. */
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

export interface BastionImageConfig {
    /**
     * A pinned AMI: the bastion runs exactly this image and a new pin replaces it (the deliberate upgrade).
     * Default: none, the image is resolved once from AL2023's "latest" SSM parameter and a later release never
     * replaces the running bastion (the instance ignores changes to `ami`).
     */
    readonly amiId?: string;
}

export interface DataProtectionConfig {
    /**
     * Pulumi `protect` on the replication group: the engine refuses to delete it, or to replace it (a replace
     * deletes the old group). Default false; prod sets true.
     */
    readonly protect: boolean;
    /** Take a final snapshot when the replication group is deleted (or replaced). Default true. */
    readonly finalSnapshot: boolean;
    /** Apply modifications now (a restart or failover mid-day) instead of in the maintenance window. Default false; dev sets true. */
    readonly applyImmediately: boolean;
}

/** Alarm thresholds; the reasons behind each default are in Pulumi.yaml's descriptions and the README. */
export interface AlarmThresholds {
    /** EngineCPUUtilization, percent, averaged over 3 consecutive 5-minute periods. Default 80. */
    readonly cpuPercent: number;
    /** DatabaseMemoryUsagePercentage, percent of maxmemory. Default 80. */
    readonly memoryPercent: number;
    /** Evictions summed over 5 minutes. Default 1. */
    readonly evictions: number;
    /** ReplicationLag, seconds, over 3 consecutive minutes. Default 10. */
    readonly replicationLagSeconds: number;
    /** CPUCreditBalance of burstable (t-class) nodes: alarm below this many credits. Default 20. */
    readonly cpuCreditBalance: number;
}

export interface AlarmsConfig {
    /** An email address to subscribe to a topic the stack creates for its alarms. Default: none. */
    readonly email?: string;
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
 * The final snapshot's name: the group's logical name (`redis-<stack>-cache-group`) plus `-final`, known at
 * preview time so that the pack can judge it. Snapshot names are unique per account and region, so a second
 * delete with the first final snapshot still there fails (the group and its data stay) until that snapshot is
 * copied away or deleted: never a silent overwrite. ElastiCache: letters, digits and single hyphens, starting
 * with a letter, at most 255 characters.
 */
export function finalSnapshotName(groupName: string): string {
    return `${groupName}-final`;
}
