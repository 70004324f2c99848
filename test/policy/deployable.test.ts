import {
    elasticacheClusterModeFailover,
    elasticacheCreatable,
    elasticacheParameterGroupFamily,
} from "../../policy/deployable-cache";
import {
    UNKNOWN,
    assertNotApplicable,
    assertPass,
    assertViolations,
    runResource,
    runStack,
    stackUrn,
    type StackResource,
} from "./harness";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CC = "aws:elasticache/cluster:Cluster";
const PG = "aws:elasticache/parameterGroup:ParameterGroup";
const WHO = 'aws.elasticache.ReplicationGroup "cache"';

describe("deployability policies: ElastiCache", () => {
    describe("elasticache-cluster-mode-failover", () => {
        const run = (props: Record<string, unknown>) =>
            runResource(elasticacheClusterModeFailover, { type: RG, name: "cache", props });
        it("passes cluster mode with failover, and leaves cluster mode disabled alone", async () => {
            assertPass(await run({ clusterMode: "enabled", automaticFailoverEnabled: true, replicasPerNodeGroup: 0 }));
            assertPass(await run({ clusterMode: "enabled", automaticFailoverEnabled: UNKNOWN.bool }));
            assertNotApplicable(await run({ clusterMode: "disabled" }), /not enabled/);
        });
        it("flags cluster mode without automatic failover", async () =>
            assertViolations(
                await run({ clusterMode: "enabled", automaticFailoverEnabled: false }),
                WHO,
                /automaticFailoverEnabled off; ElastiCache refuses it/,
            ));
    });

    describe("elasticache-creatable", () => {
        const run = (props: Record<string, unknown>) =>
            runResource(elasticacheCreatable, { type: RG, name: "cache", props });
        it("passes the shipped node types and engine versions", async () => {
            for (const nodeType of ["cache.t3.micro", "cache.t4g.small", "cache.m7g.large"]) {
                assertPass(await run({ nodeType, engine: "redis", engineVersion: "7.1" }));
            }
            assertPass(
                await run({
                    nodeType: "cache.r6gd.xlarge",
                    dataTieringEnabled: true,
                    engine: "valkey",
                    engineVersion: "8.0",
                }),
            );
            assertPass(await run({ nodeType: UNKNOWN.string, engineVersion: UNKNOWN.string }));
        });
        it("flags cache.t2.micro naming cache.t3.micro, and other previous generations", async () => {
            assertViolations(await run({ nodeType: "cache.t2.micro" }), WHO, /the free-tier node is cache\.t3\.micro/);
            assertViolations(await run({ nodeType: "cache.m1.small" }), WHO, /previous-generation/);
        });
        it("flags r6gd without data tiering", async () =>
            assertViolations(await run({ nodeType: "cache.r6gd.xlarge" }), WHO, /requires data tiering/));
        it("flags Redis OSS after 7.1 and Valkey before 7.2", async () => {
            assertViolations(await run({ engineVersion: "7.2" }), WHO, /Redis OSS ends at 7\.1/);
            assertViolations(await run({ engine: "valkey", engineVersion: "7.1" }), WHO, /Valkey starts at 7\.2/);
        });
        it("flags a comma in an S3 snapshot ARN, only in the item that has one", async () =>
            assertViolations(
                await run({ snapshotArns: ["arn:aws:s3:::b/ok.rdb", 7, "arn:aws:s3:::b/a,b.rdb"] }),
                WHO,
                /item "arn:aws:s3:::b\/a,b\.rdb" contains a comma/,
            ));
        it("leaves a replication group's member cluster to its group", async () =>
            assertNotApplicable(
                await runResource(elasticacheCreatable, {
                    type: CC,
                    name: "member",
                    props: { replicationGroupId: "cache", nodeType: "cache.t2.micro" },
                }),
                /belongs to a replication group/,
            ));
        it("checks a standalone cluster, and leaves engine versions of other engines (memcached) alone", async () => {
            const cluster = (props: Record<string, unknown>) =>
                runResource(elasticacheCreatable, { type: CC, name: "solo", props });
            assertViolations(
                await cluster({ engine: "Redis", engineVersion: "7.2" }),
                'aws.elasticache.Cluster "solo"',
                /Redis OSS ends at 7\.1/,
            );
            assertPass(await cluster({ engine: "memcached", engineVersion: "1.6.22", nodeType: "cache.t3.micro" }));
        });
    });

    describe("elasticache-parameter-group-family (stack)", () => {
        const params = (family: string, clusterEnabled: string): StackResource => ({
            type: PG,
            name: "params",
            props: { family, parameters: [{ name: "cluster-enabled", value: clusterEnabled }] },
        });
        const group = (props: Record<string, unknown>): StackResource => ({
            type: RG,
            name: "cache",
            // An undefined value leaves the input unset (the wire has no undefined).
            props: Object.fromEntries(
                Object.entries({
                    engine: "redis",
                    engineVersion: "7.1",
                    clusterMode: "enabled",
                    parameterGroupName: UNKNOWN.string,
                    ...props,
                }).filter(([, v]) => v !== undefined),
            ),
            propertyDependencies: { parameterGroupName: [stackUrn({ type: PG, name: "params" })] },
        });
        it("passes a matching family and cluster-enabled", async () => {
            assertPass(await runStack(elasticacheParameterGroupFamily, [params("redis7", "yes"), group({})]));
            assertPass(
                await runStack(elasticacheParameterGroupFamily, [
                    params("valkey8", "no"),
                    group({ engine: "valkey", engineVersion: "8.0", clusterMode: "disabled" }),
                ]),
            );
        });
        it("flags a family of another engine version", async () =>
            assertViolations(
                await runStack(elasticacheParameterGroupFamily, [params("redis6.x", "yes"), group({})]),
                WHO,
                /family redis6\.x, but redis 7\.1 needs redis7/,
            ));
        it("flags cluster-enabled that contradicts the cluster mode", async () =>
            assertViolations(
                await runStack(elasticacheParameterGroupFamily, [params("redis7", "no"), group({})]),
                WHO,
                /clusterMode "enabled" .* cluster-enabled no\. Fix: set cluster-enabled to yes/,
            ));
        it("flags cluster-enabled yes under clusterMode disabled", async () =>
            assertViolations(
                await runStack(elasticacheParameterGroupFamily, [
                    params("redis7", "yes"),
                    group({ clusterMode: "disabled" }),
                ]),
                WHO,
                /clusterMode "disabled" .* cluster-enabled yes\. Fix: set cluster-enabled to no/,
            ));
        it("reads cluster-enabled among other parameters, defaulting to no when absent", async () => {
            const withParameters = (parameters?: unknown[]): StackResource => ({
                type: PG,
                name: "params",
                props: parameters === undefined ? { family: "redis7" } : { family: "redis7", parameters },
            });
            const lru = { name: "maxmemory-policy", value: "allkeys-lru" };
            assertPass(
                await runStack(elasticacheParameterGroupFamily, [
                    withParameters([lru, { name: "cluster-enabled", value: "yes" }]),
                    group({}),
                ]),
            );
            assertPass(
                await runStack(elasticacheParameterGroupFamily, [withParameters(), group({ clusterMode: "disabled" })]),
            );
            assertPass(
                await runStack(elasticacheParameterGroupFamily, [
                    withParameters([lru]),
                    group({ clusterMode: "disabled" }),
                ]),
            );
            assertViolations(
                await runStack(elasticacheParameterGroupFamily, [withParameters([lru]), group({})]),
                WHO,
                /cluster-enabled no\. Fix: set cluster-enabled to yes/,
            );
        });
        it("checks the family of a Valkey group and of a group with the default engine", async () => {
            assertViolations(
                await runStack(elasticacheParameterGroupFamily, [
                    params("redis7", "yes"),
                    group({ engine: "valkey", engineVersion: "8.0" }),
                ]),
                WHO,
                /family redis7, but valkey 8\.0 needs valkey8/,
            );
            assertViolations(
                await runStack(elasticacheParameterGroupFamily, [
                    params("redis6.x", "yes"),
                    group({ engine: undefined }),
                ]),
                WHO,
                /family redis6\.x, but redis 7\.1 needs redis7/,
            );
        });
        it("does not judge what it cannot know: unknown family, version or parameters; unset or compatible cluster mode; other engines", async () => {
            const cases: [StackResource, Record<string, unknown>][] = [
                [params(UNKNOWN.string, "yes"), {}],
                [params("redis6.x", "yes"), { engineVersion: UNKNOWN.string }],
                [{ type: PG, name: "params", props: { family: "redis7", parameters: UNKNOWN.array } }, {}],
                [params("redis7", UNKNOWN.string), {}],
                [params("redis7", "yes"), { clusterMode: undefined }],
                [params("redis7", "yes"), { clusterMode: "compatible" }],
                [params("redis7", "yes"), { engine: "memcached", engineVersion: "1.6.22" }],
            ];
            for (const [parameters, props] of cases) {
                assertPass(await runStack(elasticacheParameterGroupFamily, [parameters, group(props)]));
            }
        });
        it("follows parameterGroupName only to a ParameterGroup of the stack", async () => {
            const source: StackResource = { type: "aws:ssm/parameter:Parameter", name: "params", props: {} };
            assertPass(
                await runStack(elasticacheParameterGroupFamily, [
                    source,
                    {
                        ...group({}),
                        propertyDependencies: { parameterGroupName: [stackUrn(source)] },
                    },
                ]),
            );
        });
        it("does not apply to a stack without a replication group", async () =>
            assertNotApplicable(
                await runStack(elasticacheParameterGroupFamily, [params("redis6.x", "no")]),
                /no replication group/,
            ));
    });
});
