/**
 * Which CloudWatch alarms the stack needs, as pure data: one set per cache node, named after the node's
 * member-cluster position so that a preview already shows every alarm. Pure: no Pulumi, no AWS.
 */
import type { CacheConfig } from "./config";
import type { AlarmThresholds } from "./config/alarms";

/** The cache's shape, as configured: which nodes exist and whether they burst. */
export type CacheTopology = Pick<CacheConfig, "clusterMode" | "shards" | "replicasPerShard" | "nodeType">;

/**
 * The member clusters' ids after the replication group's id, as ElastiCache assigns them: cluster mode enabled
 * `<group>-<shard, 4 digits>-<node, 3 digits>` (`redis-0001-001`), disabled `<group>-<node, 3 digits>`
 * (`redis-001`); node groups are numbered from 0001 (AWS API reference, NodeGroup.NodeGroupId). Roles move on
 * failover, so no suffix means "the primary" for good.
 */
export function memberClusterSuffixes(topology: Pick<CacheTopology, "clusterMode" | "shards" | "replicasPerShard">) {
    const nodes = Array.from({ length: 1 + topology.replicasPerShard }, (_, i) => String(i + 1).padStart(3, "0"));
    if (topology.clusterMode === "disabled") {
        return nodes;
    }
    return Array.from({ length: topology.shards }, (_, s) => String(s + 1).padStart(4, "0")).flatMap((shard) =>
        nodes.map((node) => `${shard}-${node}`),
    );
}

/** T-class nodes (cache.t3.micro, cache.t4g.small) run on CPU credits and publish CPUCreditBalance. */
export function isBurstable(nodeType: string): boolean {
    return /^cache\.t\d/.test(nodeType);
}

export type Comparison = "GreaterThanOrEqualToThreshold" | "LessThanThreshold";

export interface AlarmSpec {
    /** Logical-name suffix, unique in the stack: `<member>-<kind>`. */
    readonly key: string;
    /** Member-cluster suffix the alarm watches (dimension CacheClusterId = `<group id>-<member>`). */
    readonly member: string;
    readonly metricName: string;
    readonly statistic: "Average" | "Maximum" | "Minimum" | "Sum";
    readonly comparison: Comparison;
    readonly threshold: number;
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    /** `notBreaching` where a healthy node publishes no data (a primary has no ReplicationLag). */
    readonly treatMissingData: "missing" | "notBreaching";
    /** What the page means and what to do, shown in the alarm and the notification. */
    readonly description: string;
}

/**
 * Per node: engine CPU, memory use, evictions; replication lag when the group has replicas (on every node,
 * since any node can become a replica after a failover); CPU credits on burstable nodes.
 */
export function planCacheAlarms(topology: CacheTopology, t: AlarmThresholds): AlarmSpec[] {
    const burstable = isBurstable(topology.nodeType);
    const replicated = topology.replicasPerShard > 0;
    return memberClusterSuffixes(topology).flatMap((member) => {
        const specs: AlarmSpec[] = [
            {
                key: `${member}-cpu`,
                member,
                metricName: "EngineCPUUtilization",
                statistic: "Average",
                comparison: "GreaterThanOrEqualToThreshold",
                threshold: t.cpuPercent,
                periodSeconds: 300,
                evaluationPeriods: 3,
                treatMissingData: "missing",
                description: `Redis engine thread at >= ${t.cpuPercent}% CPU for 15 minutes: commands queue and latency climbs. Scale up or out, or find hot keys and slow commands (slow-log).`,
            },
            {
                key: `${member}-memory`,
                member,
                metricName: "DatabaseMemoryUsagePercentage",
                statistic: "Average",
                comparison: "GreaterThanOrEqualToThreshold",
                threshold: t.memoryPercent,
                periodSeconds: 300,
                evaluationPeriods: 3,
                treatMissingData: "missing",
                description: `>= ${t.memoryPercent}% of maxmemory for 15 minutes: evictions and failing backups come next. Scale up or out, or shorten TTLs.`,
            },
            {
                key: `${member}-evictions`,
                member,
                metricName: "Evictions",
                statistic: "Sum",
                comparison: "GreaterThanOrEqualToThreshold",
                threshold: t.evictions,
                periodSeconds: 300,
                evaluationPeriods: 1,
                treatMissingData: "missing",
                description: `>= ${t.evictions} key(s) evicted in 5 minutes: memory is full and written data is being dropped.`,
            },
        ];
        if (replicated) {
            specs.push({
                key: `${member}-replication-lag`,
                member,
                metricName: "ReplicationLag",
                statistic: "Maximum",
                comparison: "GreaterThanOrEqualToThreshold",
                threshold: t.replicationLagSeconds,
                periodSeconds: 60,
                evaluationPeriods: 3,
                treatMissingData: "notBreaching",
                description: `Replica >= ${t.replicationLagSeconds} s behind its primary for 3 minutes: a failover now would lose those writes.`,
            });
        }
        if (burstable) {
            specs.push({
                key: `${member}-cpu-credits`,
                member,
                metricName: "CPUCreditBalance",
                statistic: "Minimum",
                comparison: "LessThanThreshold",
                threshold: t.cpuCreditBalance,
                periodSeconds: 300,
                evaluationPeriods: 1,
                treatMissingData: "missing",
                description: `Fewer than ${t.cpuCreditBalance} CPU credits left: at 0 the node is held to its baseline CPU. Move to a non-burstable node type or reduce load.`,
            });
        }
        return specs;
    });
}

/** CloudWatch's free tier: 10 standard-resolution alarm metrics a month; dev must stay within it. */
export const FREE_TIER_ALARMS = 10;
