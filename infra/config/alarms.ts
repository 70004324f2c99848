/**
 * Which CloudWatch alarms page whom (`alarmEmail` and the `alarm*` thresholds). Pure, like the rest of the
 * config layer (index.ts calls `readAlarms`).
 */
import type { Reader } from "./reader";

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

// Deliberately loose: SNS validates and the subscriber must confirm; this catches typos like a missing @.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function readAlarms(r: Reader): AlarmsConfig {
    return {
        email: r.optional("alarmEmail", EMAIL, "must be an email address such as ops@example.com"),
        thresholds: {
            cpuPercent: r.integer("alarmCpuPercent", 1, 100),
            memoryPercent: r.integer("alarmMemoryPercent", 1, 100),
            evictions: r.integer("alarmEvictions", 1, 1_000_000_000),
            replicationLagSeconds: r.integer("alarmReplicationLagSeconds", 1, 3600),
            cpuCreditBalance: r.integer("alarmCpuCreditBalance", 1, 10_000),
        },
    };
}
