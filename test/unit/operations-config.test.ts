import * as assert from "assert";
import * as fc from "fast-check";
import { parseConfig } from "../../infra/config";
import { FREE_TIER_ALARMS, isBurstable, memberClusterSuffixes, planCacheAlarms } from "../../infra/alarm-plan";
import { problemsWith, projectDefaults, stackConfig, withConfig } from "../infra/stack-config";

describe("day-two config", () => {
    it("defaults: no AMI pin, final snapshot on, not protected, changes in the maintenance window", () => {
        const config = parseConfig(projectDefaults());
        assert.strictEqual(config.bastion.amiId, undefined);
        assert.deepStrictEqual(
            [config.cache.finalSnapshot, config.cache.protect, config.cache.applyImmediately],
            [true, false, false],
        );
        assert.deepStrictEqual(config.alarms, {
            email: undefined,
            thresholds: {
                cpuPercent: 80,
                memoryPercent: 80,
                evictions: 1,
                replicationLagSeconds: 10,
                cpuCreditBalance: 20,
            },
        });
    });

    it("per stack: dev applies at once, staging and prod are protected, every stack that keeps backups takes a final snapshot", () => {
        const [dev, staging, prod] = ["dev", "staging", "prod"].map((s) => parseConfig(stackConfig(s)).cache);
        assert.deepStrictEqual(
            [dev.applyImmediately, staging.applyImmediately, prod.applyImmediately],
            [true, false, false],
        );
        assert.deepStrictEqual([dev.protect, staging.protect, prod.protect], [false, true, true]);
        for (const cache of [dev, staging, prod]) {
            assert.ok(cache.snapshotRetentionDays > 0 && cache.finalSnapshot);
        }
    });

    it("reads a pin, an email and booleans given as the CLI passes them", () => {
        const config = parseConfig(
            withConfig({ bastionAmiId: "ami-0123456789abcdef0", alarmEmail: "ops@example.com", redisProtect: "true" }),
        );
        assert.strictEqual(config.bastion.amiId, "ami-0123456789abcdef0");
        assert.strictEqual(config.alarms.email, "ops@example.com");
        assert.strictEqual(config.cache.protect, true);
    });

    it("names each bad value", () => {
        assert.deepStrictEqual(
            problemsWith({
                bastionAmiId: "al2023",
                redisProtect: "yes",
                alarmEmail: "ops",
                alarmCpuPercent: 120,
                alarmEvictions: 0,
            }),
            [
                'redis-stack:bastionAmiId must be an AMI id such as ami-0123456789abcdef0, got "al2023"',
                'redis-stack:redisProtect must be true or false, got "yes"',
                'redis-stack:alarmEmail must be an email address such as ops@example.com, got "ops"',
                'redis-stack:alarmCpuPercent must be a whole number from 1 to 100, got "120"',
                'redis-stack:alarmEvictions must be a whole number from 1 to 1000000000, got "0"',
            ],
        );
    });
});

describe("alarm plan", () => {
    const thresholds = parseConfig(projectDefaults()).alarms.thresholds;

    it("names member clusters as ElastiCache does", () => {
        assert.deepStrictEqual(memberClusterSuffixes({ clusterMode: "disabled", shards: 1, replicasPerShard: 2 }), [
            "001",
            "002",
            "003",
        ]);
        assert.deepStrictEqual(memberClusterSuffixes({ clusterMode: "enabled", shards: 2, replicasPerShard: 1 }), [
            "0001-001",
            "0001-002",
            "0002-001",
            "0002-002",
        ]);
    });

    it("knows burstable node types", () => {
        assert.deepStrictEqual(
            ["cache.t3.micro", "cache.t4g.small", "cache.m7g.large", "cache.r7g.xlarge"].map(isBurstable),
            [true, true, false, false],
        );
    });

    it("dev's single free-tier node stays within CloudWatch's free alarms with the bastion's", () => {
        const dev = parseConfig(stackConfig("dev")).cache;
        const alarms = planCacheAlarms(dev, thresholds);
        assert.deepStrictEqual(
            alarms.map((a) => a.metricName),
            ["EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions", "CPUCreditBalance"],
        );
        assert.ok(alarms.length + 1 <= FREE_TIER_ALARMS);
    });

    it("property: per node 3 alarms, +1 with replicas, +1 on burstable nodes; keys unique", () => {
        fc.assert(
            fc.property(
                fc.constantFrom("enabled" as const, "disabled" as const),
                fc.integer({ min: 1, max: 20 }),
                fc.integer({ min: 0, max: 5 }),
                fc.constantFrom("cache.t3.micro", "cache.t4g.small", "cache.m7g.large"),
                (clusterMode, shardCount, replicasPerShard, nodeType) => {
                    const shards = clusterMode === "enabled" ? shardCount : 1;
                    const alarms = planCacheAlarms({ clusterMode, shards, replicasPerShard, nodeType }, thresholds);
                    const nodes = shards * (1 + replicasPerShard);
                    const perNode = 3 + (replicasPerShard > 0 ? 1 : 0) + (isBurstable(nodeType) ? 1 : 0);
                    assert.strictEqual(alarms.length, nodes * perNode);
                    assert.strictEqual(new Set(alarms.map((a) => a.key)).size, alarms.length);
                    assert.strictEqual(new Set(alarms.map((a) => a.member)).size, nodes);
                },
            ),
        );
    });

    it("thresholds come from config, and each alarm says what the page means", () => {
        const custom = { ...thresholds, cpuPercent: 65, cpuCreditBalance: 50 };
        const alarms = planCacheAlarms(
            { clusterMode: "disabled", shards: 1, replicasPerShard: 1, nodeType: "cache.t3.micro" },
            custom,
        );
        const byMetric = (m: string) => alarms.find((a) => a.metricName === m)!;
        assert.strictEqual(byMetric("EngineCPUUtilization").threshold, 65);
        assert.strictEqual(byMetric("CPUCreditBalance").threshold, 50);
        assert.strictEqual(byMetric("CPUCreditBalance").comparison, "LessThanThreshold");
        assert.strictEqual(byMetric("ReplicationLag").treatMissingData, "notBreaching");
        assert.ok(alarms.every((a) => a.description.length > 20));
    });
});
