import { strict as assert } from "assert";
import {
    FREE_PLAN_INSTANCE_TYPES,
    cacheNodeCount,
    ec2FreeTierInstanceType,
    elasticacheFreeTierHours,
    elasticacheFreeTierNodeType,
} from "../../policy/free-tier";
import {
    UNKNOWN,
    assertNotApplicable,
    assertPass,
    assertUnknown,
    assertViolations,
    runResource,
    runStack,
    stackUrn,
} from "./harness";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CL = "aws:elasticache/cluster:Cluster";
const EC2 = "aws:ec2/instance:Instance";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";

describe("cost policies", () => {
    describe("elasticache-free-tier-node-type", () => {
        const run = (props: Record<string, unknown>, type = RG, config?: Record<string, unknown>) =>
            runResource(elasticacheFreeTierNodeType, { type, name: "cache", props, config });
        it("passes cache.t3.micro, on groups and standalone clusters", async () => {
            assertPass(await run({ nodeType: "cache.t3.micro" }));
            assertPass(await run({ nodeType: "cache.t3.micro" }, CL));
        });
        it("flags the tutorial's cache.t2.micro: previous generation, no longer created", async () =>
            assertViolations(
                await run({ nodeType: "cache.t2.micro" }),
                "cache",
                /cache\.t2\.micro" is not allowed; allowed: \[cache\.t3\.micro\]/,
            ));
        it("flags a bigger node type, naming value, limit and fix", async () =>
            assertViolations(
                await run({ nodeType: "cache.m7g.large" }),
                'aws.elasticache.ReplicationGroup "cache"',
                /nodeType "cache\.m7g\.large" is not allowed; allowed: \[cache\.t3\.micro\].*allowedNodeTypes/,
            ));
        it("flags cache.t4g.micro (not in AWS's free tier)", async () =>
            assertViolations(await run({ nodeType: "cache.t4g.micro" }), "cache", /cache\.t4g\.micro/));
        it("flags a missing nodeType", async () => assertViolations(await run({}), "cache", /nodeType is not set/));
        it("follows the per-stack allow-list", async () => {
            const config = { "elasticache-free-tier-node-type": { allowedNodeTypes: ["cache.m7g.large"] } };
            assertPass(await run({ nodeType: "cache.m7g.large" }, RG, config));
            assertViolations(
                await run({ nodeType: "cache.t3.micro" }, RG, config),
                "cache",
                /allowed: \[cache\.m7g\.large\]/,
            );
        });
        it("is not applicable to replication group members and other types", async () => {
            assertNotApplicable(
                await run({ replicationGroupId: UNKNOWN.string }, CL),
                /belongs to a replication group/,
            );
            assertNotApplicable(await run({ nodeType: "x" }, EC2), /only applies/);
        });
        it("is not applicable when a global replication group supplies the type", async () =>
            assertNotApplicable(await run({ globalReplicationGroupId: "g" }), /global replication group/));
        it("an unknown node type gives the engine's preview advisory, not a verdict", async () =>
            assertUnknown(await run({ nodeType: UNKNOWN.string }), "nodeType"));
    });

    describe("ec2-free-tier-instance-type", () => {
        const run = (props: Record<string, unknown>, type = EC2, config?: Record<string, unknown>) =>
            runResource(ec2FreeTierInstanceType, { type, name: "bastion", props, config });
        it("passes t3.micro instances and t2.micro launch templates", async () => {
            assertPass(await run({ instanceType: "t3.micro" }));
            assertPass(await run({ instanceType: "t2.micro" }, LT));
        });
        it("flags t3.small by default, and accepts it with includeFreePlanTypes", async () => {
            assertViolations(
                await run({ instanceType: "t3.small" }),
                'aws.ec2.Instance "bastion"',
                /instanceType "t3\.small" is not allowed; allowed: \[t2\.micro, t3\.micro\].*includeFreePlanTypes/,
            );
            const config = { "ec2-free-tier-instance-type": { includeFreePlanTypes: true } };
            for (const t of FREE_PLAN_INSTANCE_TYPES) assertPass(await run({ instanceType: t }, EC2, config));
            assertViolations(await run({ instanceType: "m5.large" }, EC2, config), "bastion", /m5\.large/);
        });
        it("flags a launch template's type", async () =>
            assertViolations(
                await run({ instanceType: "m5.large" }, LT),
                'aws.ec2.LaunchTemplate "bastion"',
                /m5\.large/,
            ));
        it("flags an instance with no type and no template", async () =>
            assertViolations(await run({}), "bastion", /instanceType is not set/));
        it("defers to the launch template when the instance has none", async () => {
            assertNotApplicable(await run({ launchTemplate: { id: UNKNOWN.string } }), /launch template/);
            assertNotApplicable(await run({}, LT), /leaves the instance type/);
        });
        it("unknown type: preview advisory", async () =>
            assertUnknown(await run({ instanceType: UNKNOWN.string }), "instanceType"));
    });

    describe("elasticache-free-tier-hours (stack)", () => {
        const cache = (name: string, props: Record<string, unknown>, type = RG) => ({ type, name, props });
        it("counts nodes with the provider's defaults", () => {
            const n = (props: Record<string, unknown>, type = RG) => cacheNodeCount(type, props, props);
            assert.equal(n({}), 1);
            assert.equal(n({ numCacheClusters: 2 }), 2);
            assert.equal(n({ numNodeGroups: 2, replicasPerNodeGroup: 1 }), 4);
            assert.equal(n({ numNodeGroups: 3 }), 3);
            assert.equal(n({ replicasPerNodeGroup: 2 }), 3);
            assert.equal(n({ nodeGroupConfigurations: [{ replicaCount: 1 }, {}] }), 3);
            assert.equal(n({}, CL), 1);
            assert.equal(n({ numCacheNodes: 2 }, CL), 2);
        });
        it("passes one node (744 h <= 750 h)", async () =>
            assertPass(await runStack(elasticacheFreeTierHours, [cache("cache", { numCacheClusters: 1 })])));
        it("flags a replica: 2 nodes are 1488 node-hours", async () =>
            assertViolations(
                await runStack(elasticacheFreeTierHours, [cache("cache", { numCacheClusters: 2 })]),
                'aws.elasticache.ReplicationGroup "cache": 2',
                /2 cache node\(s\).*1488 node-hours in a 744-hour month; the free tier covers 750/,
            ));
        it("adds up several caches and skips group members", async () => {
            const out = await runStack(elasticacheFreeTierHours, [
                cache("a", {}),
                cache("b", { nodeType: "cache.t3.micro" }, CL),
                cache("member", { replicationGroupId: "a" }, CL),
            ]);
            assertViolations(out, 'aws.elasticache.ReplicationGroup "a": 1', /2 cache node\(s\)/);
        });
        it("follows freeNodeHours/hoursPerMonth config", async () =>
            assertPass(
                await runStack(elasticacheFreeTierHours, [cache("cache", { numCacheClusters: 2 })], {
                    config: { "elasticache-free-tier-hours": { freeNodeHours: 1500 } },
                }),
            ));
        it("is not applicable without caches", async () =>
            assertNotApplicable(
                await runStack(elasticacheFreeTierHours, [{ type: EC2, name: "b", props: {} }]),
                /no ElastiCache/,
            ));
        it("the program's unknown node count (from another resource's output): preview advisory", async () => {
            const source = { type: EC2, name: "src", props: {} };
            assertUnknown(
                await runStack(elasticacheFreeTierHours, [
                    source,
                    {
                        ...cache("cache", { numCacheClusters: UNKNOWN.number }),
                        propertyDependencies: { numCacheClusters: [stackUrn(source)] },
                    },
                ]),
                "numCacheClusters",
            );
        });
        it("counts computed counts the program left unset (unknown in a preview) from what it set", async () => {
            const planned = (props: Record<string, unknown>) =>
                cache("cache", {
                    numCacheClusters: UNKNOWN.number,
                    numNodeGroups: UNKNOWN.number,
                    replicasPerNodeGroup: UNKNOWN.number,
                    nodeGroupConfigurations: UNKNOWN.array,
                    ...props,
                });
            assertPass(await runStack(elasticacheFreeTierHours, [planned({ numCacheClusters: 1 })]));
            assertPass(await runStack(elasticacheFreeTierHours, [planned({})]));
            assertViolations(
                await runStack(elasticacheFreeTierHours, [planned({ numCacheClusters: 2 })]),
                'aws.elasticache.ReplicationGroup "cache": 2',
                /2 cache node\(s\)/,
            );
            assertViolations(
                await runStack(elasticacheFreeTierHours, [planned({ numNodeGroups: 2 })]),
                'aws.elasticache.ReplicationGroup "cache": 2',
                /2 cache node\(s\)/,
            );
        });
        it("counts a standalone cluster, whose replicationGroupId is computed (unknown in a preview)", async () =>
            assertViolations(
                await runStack(elasticacheFreeTierHours, [
                    cache("a", {}),
                    cache("b", { engine: "redis", replicationGroupId: UNKNOWN.string }, CL),
                ]),
                'aws.elasticache.ReplicationGroup "a": 1',
                /2 cache node\(s\)/,
            ));
    });
});
