/**
 * Day two under the mock runtime: what a routine `pulumi up` must not replace, how the cache's data survives a
 * delete, and the alarms that page, for each shipped stack and for the options that change them.
 */
import * as assert from "assert";
import { FREE_TIER_ALARMS, memberClusterSuffixes } from "../../infra/alarm-plan";
import { parseConfig } from "../../infra/config";
import { finalSnapshotName } from "../../infra/config/data-protection";
import { stackConfig } from "./stack-config";
import { isSecret, Plan, recordStack, recordWith, TYPES, UNKNOWN } from "./program";

const STACKS = ["dev", "staging", "prod"] as const;
const AMI_X86 = "ami-0a3c14e1ddbe7f23c"; // the offline mock's answer for the AL2023 x86_64 parameter

for (const stack of STACKS) {
    describe(`stack ${stack}: day two`, function () {
        const config = parseConfig(stackConfig(stack));
        let plan: Plan;
        before(async () => {
            plan = new Plan(await recordStack(stack));
        });

        it("keeps the bastion on its image when AL2023 releases a new one, and shows which image in clear", () => {
            const instance = plan.one(TYPES.instance);
            assert.strictEqual(instance.inputs.ami, AMI_X86);
            assert.ok(!isSecret(instance.inputs.ami), "an AMI id is public: a diff must show it");
            assert.deepStrictEqual(instance.options.ignoreChanges, ["ami"]);
            assert.strictEqual(plan.recording.outputs.bastionLatestAmiId, AMI_X86);
            assert.ok(!isSecret(plan.recording.outputs.bastionAmiId));
        });

        it("protects the cache's data as the stack decides: final snapshot, protect, apply window", () => {
            const group = plan.one(TYPES.replicationGroup);
            // `<group>-final-<hex>`: the suffix is a RandomId of the cache, unknown until its first deploy (as in a
            // real preview), then fixed for the cache's life; the next life draws another, so a destroy never
            // collides with the final snapshot the previous destroy left.
            assert.strictEqual(group.inputs.finalSnapshotIdentifier, UNKNOWN);
            const suffix = plan.one(TYPES.randomId);
            assert.strictEqual(suffix.name, `redis-${stack}-cache-final-snapshot-suffix`);
            assert.strictEqual(suffix.inputs.byteLength, 4);
            assert.deepStrictEqual(group.propertyDependencies.finalSnapshotIdentifier, [suffix.urn]);
            assert.strictEqual(group.options.protect, stack !== "dev", "staging and prod are protected");
            assert.strictEqual(group.inputs.applyImmediately, stack === "dev", "dev only applies at once");
            assert.ok(config.cache.snapshotRetentionDays > 0 && config.cache.finalSnapshot);
        });

        it("rotates the AUTH token with the configured strategy; SSM names it only once the cache accepts it", async () => {
            const group = plan.one(TYPES.replicationGroup);
            assert.strictEqual(group.inputs.authTokenUpdateStrategy, "ROTATE", "the default keeps both tokens valid");
            const token = plan.all(TYPES.ssmParameter).find((p) => p.inputs.type === "SecureString")!;
            assert.ok(token.dependencies.includes(group.urn), "the token parameter waits for the group's update");
            const set = new Plan(await recordWith({ redisAuthTokenUpdateStrategy: "SET" }));
            assert.strictEqual(set.one(TYPES.replicationGroup).inputs.authTokenUpdateStrategy, "SET");
        });

        it("alarms on every cache node and on the bastion, with no actions unless a topic is configured", () => {
            const alarms = plan.all(TYPES.metricAlarm);
            const cache = alarms.filter((a) => a.inputs.namespace === "AWS/ElastiCache");
            const members = memberClusterSuffixes(config.cache);
            assert.strictEqual(members.length, config.cache.shards * (1 + config.cache.replicasPerShard));
            for (const member of members) {
                const metrics = cache
                    .filter((a) => a.name.startsWith(`redis-${stack}-alarms-${member}-`))
                    .map((a) => a.inputs.metricName)
                    .sort();
                const expected = ["DatabaseMemoryUsagePercentage", "EngineCPUUtilization", "Evictions"];
                if (config.cache.replicasPerShard > 0) expected.push("ReplicationLag");
                if (config.cache.nodeType.startsWith("cache.t")) expected.push("CPUCreditBalance");
                assert.deepStrictEqual(metrics, expected.sort(), member);
            }
            for (const alarm of cache) {
                const dimensions = alarm.inputs.dimensions as Record<string, unknown>;
                // The group id is known only after create; the member suffix and node are fixed.
                assert.strictEqual(dimensions.CacheClusterId, UNKNOWN);
                assert.strictEqual(dimensions.CacheNodeId, "0001");
                assert.deepStrictEqual(
                    plan.dependenciesOf(alarm, "dimensions").map((r) => r.type),
                    [TYPES.replicationGroup],
                );
                assert.deepStrictEqual(alarm.inputs.alarmActions, []);
            }
            const bastion = plan.one(TYPES.metricAlarm, "-bastion-status");
            assert.strictEqual(bastion.inputs.metricName, "StatusCheckFailed_System");
            assert.deepStrictEqual(bastion.inputs.alarmActions, ["arn:aws:automate:us-east-1:ec2:recover"]);
            assert.deepStrictEqual(
                plan.dependenciesOf(bastion, "dimensions").map((r) => r.type),
                [TYPES.instance],
            );
            if (stack === "dev") {
                assert.ok(alarms.length <= FREE_TIER_ALARMS, `dev has ${alarms.length} alarms`);
            }
        });

        it("puts subnets in real availability zones only", () => {
            for (const subnet of plan.all(TYPES.subnet)) {
                assert.match(String(subnet.inputs.availabilityZone), /^us-east-1[a-z]$/);
            }
        });
    });
}

describe("day-two options under the mock runtime", function () {
    it("a pinned bastionAmiId is the image, and changing it replaces the bastion (no ignoreChanges)", async () => {
        const plan = new Plan(await recordWith({ bastionAmiId: "ami-0123456789abcdef0" }));
        const instance = plan.one(TYPES.instance);
        assert.strictEqual(instance.inputs.ami, "ami-0123456789abcdef0");
        assert.deepStrictEqual(instance.options.ignoreChanges, []);
        assert.strictEqual(plan.recording.outputs.bastionLatestAmiId, AMI_X86, "still shows what an upgrade would get");
    });

    it("alarmEmail creates a topic with an email subscription; both topics get alarm and OK notifications", async () => {
        const topicArn = "arn:aws:sns:us-east-1:123456789012:ops";
        const plan = new Plan(await recordWith({ alarmEmail: "ops@example.com", notificationTopicArn: topicArn }));
        const topic = plan.one(TYPES.snsTopic);
        const subscription = plan.one(TYPES.snsSubscription);
        assert.deepStrictEqual(
            [subscription.inputs.protocol, subscription.inputs.endpoint],
            ["email", "ops@example.com"],
        );
        assert.deepStrictEqual(
            plan.dependenciesOf(subscription, "topic").map((r) => r.urn),
            [topic.urn],
        );
        for (const alarm of plan.all(TYPES.metricAlarm)) {
            const actions = alarm.inputs.alarmActions as unknown[];
            assert.ok(actions.includes(topicArn), alarm.name);
            assert.deepStrictEqual(
                plan.dependenciesOf(alarm, "okActions").map((r) => r.urn),
                [topic.urn],
                alarm.name,
            );
        }
    });

    it("redisFinalSnapshot false leaves no final snapshot; redisProtect true protects", async () => {
        const plan = new Plan(await recordWith({ redisFinalSnapshot: false, redisProtect: true }));
        const group = plan.one(TYPES.replicationGroup);
        assert.strictEqual(group.inputs.finalSnapshotIdentifier, undefined);
        assert.strictEqual(group.options.protect, true);
        assert.strictEqual(finalSnapshotName("g"), "g-final");
    });
});
