import { strict as assert } from "assert";
import fc from "fast-check";
import {
    type CostResource,
    PRICE_TABLE,
    estimateMonthlyCost,
    formatCostMarkdown,
    formatCostText,
    WIRE_UNKNOWN,
} from "../../policy/shared";

const urn = (type: string, name: string) => `urn:pulumi:dev::redis-stack::${type}::${name}`;
const res = (type: string, name: string, props: Record<string, unknown>): CostResource => ({
    urn: urn(type, name),
    type,
    props,
});
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const EC2 = "aws:ec2/instance:Instance";
const KMS = "aws:kms/key:Key";

/** The dev stack as the program declares it (infra/, Pulumi.dev.yaml): the priced resources and some free ones. */
const dev: CostResource[] = [
    res("pulumi:pulumi:Stack", "redis-stack-dev", {}),
    res("pulumi:providers:aws", "default", { region: "us-east-1" }),
    res("redis-stack:cache:RedisCluster", "redis-dev-cache", {}),
    res("aws:ec2/vpc:Vpc", "vpc", {}),
    res("aws:ec2/subnet:Subnet", "subnet", {}),
    res("aws:ec2/routeTable:RouteTable", "rt", {}),
    res("aws:ec2/securityGroup:SecurityGroup", "sg", {}),
    res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "in", {}),
    res("aws:iam/role:Role", "role", {}),
    res("aws:ssm/parameter:Parameter", "endpoint", { type: "String" }),
    res(RG, "cache", { nodeType: "cache.t3.micro", numCacheClusters: 1, engine: "redis", snapshotRetentionLimit: 1 }),
    res(EC2, "bastion", {
        instanceType: "t3.micro",
        associatePublicIpAddress: true,
        rootBlockDevice: { volumeSize: 8, volumeType: "gp3", encrypted: true },
    }),
    res(KMS, "key", { enableKeyRotation: true }),
];
const line = (e: ReturnType<typeof estimateMonthlyCost>, name: string) => {
    const l = e.resources.find((r) => r.urn.endsWith(`::${name}`));
    assert.ok(l, `no line for ${name}`);
    return l;
};

describe("cost estimate (policy/shared/cost)", () => {
    // us-east-1 on-demand figures and their sources: policy/shared/cost/prices.ts (cache.t3.micro $0.017/h, t3.micro
    // $0.0104/h, gp3 $0.08/GB-month, public IPv4 $0.005/h, KMS key $1/month checked; cache.m7g.large $0.158/h
    // corroborated).
    it("prices dev at list price: 12.41 + 7.592 + 0.64 + 3.65 + 1.00", () => {
        const e = estimateMonthlyCost(dev, { region: "us-east-1", freeTier: "legacy-12-month" });
        assert.equal(line(e, "cache").monthly, 12.41); // 730 x 0.017
        assert.equal(line(e, "bastion").monthly, 11.88); // 730 x 0.0104 + 8 x 0.08 + 730 x 0.005 = 11.882
        assert.equal(line(e, "key").monthly, 1);
        assert.equal(e.monthly, 25.29);
        assert.deepEqual(e.unpriced, []);
        assert.equal(e.currency, "USD");
        assert.equal(e.pricesAsOf, PRICE_TABLE.pricesAsOf);
        assert.match(line(e, "cache").basis, /^1 node x 730 h x \$0\.017\/h \(cache\.t3\.micro, Redis OSS\)/);
    });
    it("after the legacy free tier dev costs its t3.micro bastion (t2.micro is the free type in us-east-1) and KMS key", () => {
        const e = estimateMonthlyCost(dev, { region: "us-east-1", freeTier: "legacy-12-month" });
        assert.equal(e.monthlyAfterFreeTier, 8.59); // 730 x 0.0104 = 7.592 + 1
        assert.equal(line(e, "cache").monthlyAfterFreeTier, 0);
        assert.equal(line(e, "bastion").monthlyAfterFreeTier, 7.59); // its volume and public IPv4 stay free
        assert.equal(line(e, "key").monthlyAfterFreeTier, 1);
        assert.match(e.freeTier.description, /before 15 July 2025/);
    });
    it("the legacy free tier covers t2.micro where the region offers it, else t3.micro", () => {
        const bastion = (instanceType: string) => [res(EC2, "b", { instanceType })];
        const legacy = { region: "us-east-1", freeTier: "legacy-12-month" } as const;
        assert.equal(estimateMonthlyCost(bastion("t2.micro"), legacy).monthlyAfterFreeTier, 0);
        assert.equal(estimateMonthlyCost(bastion("t3.micro"), legacy).monthlyAfterFreeTier, 7.59);
        const seoul = { region: "ap-northeast-2", freeTier: "legacy-12-month" } as const;
        assert.equal(estimateMonthlyCost(bastion("t2.micro"), seoul).monthlyAfterFreeTier, 0);
        assert.equal(estimateMonthlyCost(bastion("t3.micro"), seoul).monthlyAfterFreeTier, 9.49); // 730 x 0.013
        // A region whose price list has no t2.micro (as eu-north-1's): there t3.micro is the free type.
        const { "t2.micro": _dropped, ...noT2 } = PRICE_TABLE.regions["us-east-1"].ec2InstanceHourly;
        const prices = {
            ...PRICE_TABLE,
            regions: { "xx-not2-1": { ...PRICE_TABLE.regions["us-east-1"], ec2InstanceHourly: noT2 } },
        };
        const e = estimateMonthlyCost(bastion("t3.micro"), {
            region: "xx-not2-1",
            freeTier: "legacy-12-month",
            prices,
        });
        assert.equal(e.monthlyAfterFreeTier, 0);
    });
    it("pins dev's and prod's list prices to the cited figures", () => {
        // Written out here, not read from the table, so a regenerated or hand-edited table that moves them fails.
        // Sources (policy/shared/cost/prices.ts): cache.t3.micro $0.017/h dragonflydb.io; t3.micro $0.0104/h
        // aws/karpenter-provider-aws zz_generated.pricing_aws.go (AWS Pricing API, 2026-07-20); gp3 $0.08/GB-month
        // and public IPv4 $0.005/h cloud-bench.com; KMS key $1/month aws.amazon.com/kms/pricing; cache.m7g.large
        // $0.158/h corroborated only (Price List table of an unnamed public repository).
        const devList = 730 * 0.017 + 730 * 0.0104 + 8 * 0.08 + 730 * 0.005 + 1;
        const e = estimateMonthlyCost(dev, { region: "us-east-1", freeTier: "legacy-12-month" });
        assert.equal(e.monthly, Math.round(devList * 100) / 100);
        const prod = res(RG, "prod", { nodeType: "cache.m7g.large", numNodeGroups: 3, replicasPerNodeGroup: 1 });
        const p = estimateMonthlyCost([prod], { region: "us-east-1", freeTier: "always-free-only" });
        assert.equal(p.monthly, Math.round(6 * 730 * 0.158 * 100) / 100);
    });
    it("lists VPC, subnets, route tables, security groups and rules, IAM and standard parameters at 0, 'no charge'", () => {
        const e = estimateMonthlyCost(dev, { region: "us-east-1", freeTier: "legacy-12-month" });
        for (const n of ["vpc", "subnet", "rt", "sg", "in", "role", "endpoint"]) {
            assert.deepEqual(
                [line(e, n).monthly, line(e, n).monthlyAfterFreeTier, line(e, n).basis],
                [0, 0, "no charge"],
            );
        }
        // The stack, providers and components are not billed resources at all.
        assert.ok(!e.resources.some((l) => /Stack|providers|RedisCluster/.test(l.type)));
    });
    it("prices prod's six cache.m7g.large nodes (3 shards x (1 replica + 1)) and 34 billed backups", () => {
        const prod = res(RG, "prod", {
            nodeType: "cache.m7g.large",
            numNodeGroups: 3,
            replicasPerNodeGroup: 1,
            snapshotRetentionLimit: 35,
        });
        const e = estimateMonthlyCost([prod], { region: "us-east-1", freeTier: "legacy-12-month" });
        // 6 x 730 x 0.158 = 692.04; backups (35 - 1 free) x 1 GB x 0.085 = 2.89.
        assert.equal(e.monthly, 694.93);
        assert.equal(e.monthlyAfterFreeTier, 694.93);
        assert.match(e.resources[0].basis, /^6 nodes x 730 h x \$0\.158\/h \(cache\.m7g\.large, Redis OSS\)/);
        assert.match(e.resources[0].basis, /backups 34 x 1 GB .*assumed 1 GB of data: cacheDataGb/);
    });
    it("two cache.t3.micro nodes use 1,460 node-hours of one 750-hour account-wide allowance", () => {
        const two = [
            res(RG, "a", { nodeType: "cache.t3.micro", numCacheClusters: 2 }),
            res(RG, "b", { nodeType: "cache.t3.micro", numCacheClusters: 1 }),
        ];
        const e = estimateMonthlyCost(two, { region: "us-east-1", freeTier: "legacy-12-month" });
        assert.match(line(e, "a").basis, /free tier covers 750 of 1,460 node-hours \(750 a month account-wide\)/);
        assert.equal(line(e, "a").monthlyAfterFreeTier, 12.07); // 710 x 0.017
        assert.equal(line(e, "b").monthlyAfterFreeTier, 12.41); // the allowance is spent
        assert.match(line(e, "b").basis, /free tier covers 0 of 730/);
    });
    it("prices Valkey 20% below Redis OSS and by region", () => {
        const v = estimateMonthlyCost([res(RG, "v", { nodeType: "cache.m7g.large", engine: "valkey" })], {
            region: "us-east-1",
            freeTier: "always-free-only",
        });
        assert.equal(v.monthly, 92.27); // 730 x 0.1264
        const seoul = estimateMonthlyCost(dev, { region: "ap-northeast-2", freeTier: "always-free-only" });
        assert.equal(seoul.region, "ap-northeast-2");
        assert.deepEqual(seoul.unpriced, []);
        assert.ok(seoul.monthly > 0);
    });
    it("the free plan's credits cover up to credits/6 a month", () => {
        const e = estimateMonthlyCost(dev, {
            region: "us-east-1",
            freeTier: "free-plan-credits",
            freePlanCreditsUsd: 60,
        });
        assert.equal(e.monthlyAfterFreeTier, roundUsd(e.monthly - 10));
        assert.match(e.freeTier.description, /\$60 of credits over 6 months, counted as \$10\.00 a month/);
    });
    it("states per line what the free tier and the free plan's credits cover, and only what applies", () => {
        const resources = [
            res(EC2, "bastion", {
                instanceType: "t3.micro",
                associatePublicIpAddress: true,
                rootBlockDevice: { volumeSize: 8, volumeType: "gp3" },
            }),
            res(KMS, "key", {}),
            res("aws:cloudwatch/logGroup:LogGroup", "logs", {}),
        ];
        const basis = (freeTier: "legacy-12-month" | "free-plan-credits") => {
            const e = estimateMonthlyCost(resources, {
                region: "us-east-1",
                freeTier,
                assumptions: { logIngestionGbPerGroup: 0 },
            });
            return ["bastion", "key", "logs"].map((n) => line(e, n).basis);
        };
        const instance = "1 instance x 730 h x $0.0104/h (t3.micro, Linux)";
        const logs =
            "0 GB ingested x $0.5/GB (assumed: logIngestionGbPerGroup); free tier covers 0 of 0 GB of logs (5 a month " +
            "account-wide); 0 GB stored x $0.03/GB-month (retention never expires: first month); free tier covers 0 of " +
            "0 GB of logs (5 a month account-wide)";
        assert.deepEqual(basis("legacy-12-month"), [
            `${instance}; root volume 8 GB gp3 x $0.08/GB-month; free tier covers 8 of 8 GB-months (30 a month ` +
                "account-wide); public IPv4 730 h x $0.005/h; free tier covers 730 of 730 address-hours (750 a month " +
                "account-wide)",
            "1 key x $1/month",
            logs,
        ]);
        assert.deepEqual(basis("free-plan-credits"), [
            `${instance}; root volume 8 GB gp3 x $0.08/GB-month; public IPv4 730 h x $0.005/h; free plan credits cover $11.88`,
            "1 key x $1/month; free plan credits cover $1.00",
            logs,
        ]);
    });
    it("states each free tier model, and grants credits only under the free plan", () => {
        const describe = (freeTier: "legacy-12-month" | "free-plan-credits" | "always-free-only") =>
            estimateMonthlyCost([], { region: "us-east-1", freeTier, freePlanCreditsUsd: 120 }).freeTier.description;
        assert.equal(
            describe("legacy-12-month"),
            "legacy free tier (accounts created before 15 July 2025, first 12 months): 750 h of cache.t2/t3.micro " +
                "nodes, 750 h of t2.micro instances (t3.micro where t2.micro is unavailable), 30 GB of EBS " +
                "gp2/gp3/magnetic, 750 h of public IPv4, plus the always-free 10 alarms and 5 GB of logs; " +
                "account-wide, assuming this stack is the account's only use",
        );
        assert.equal(
            describe("free-plan-credits"),
            "free plan (accounts created from 15 July 2025): $120 of credits over 6 months, counted as $20.00 a " +
                "month, plus the always-free 10 alarms and 5 GB of logs",
        );
        assert.equal(
            describe("always-free-only"),
            "always-free offers only (10 alarms, 5 GB of logs): the 12-month free tier has ended",
        );
        const e = estimateMonthlyCost(dev, { region: "us-east-1", freeTier: "always-free-only" });
        assert.equal(line(e, "key").monthlyAfterFreeTier, 1);
        assert.doesNotMatch(line(e, "key").basis, /credits/);
    });
    it("never bills the engine's own resources, even marked custom", () => {
        const e = estimateMonthlyCost([{ ...res("pulumi:providers:aws", "default", {}), custom: true }], {
            region: "us-east-1",
            freeTier: "legacy-12-month",
        });
        assert.deepEqual([e.resources, e.unpriced], [[], []]);
    });
    it("lets a defect in a pricing rule or table surface rather than call the resource unpriced", () =>
        assert.throws(
            () =>
                estimateMonthlyCost([res(RG, "cache", { nodeType: "cache.t3.micro", numCacheClusters: 1 })], {
                    region: "us-east-1",
                    freeTier: "legacy-12-month",
                    prices: { ...PRICE_TABLE, regions: { "us-east-1": {} as (typeof PRICE_TABLE.regions)[string] } },
                }),
            TypeError,
        ));
    it("a type it does not know is unpriced, never free", () => {
        const e = estimateMonthlyCost([res("aws:rds/instance:Instance", "db", {})], {
            region: "us-east-1",
            freeTier: "legacy-12-month",
        });
        assert.deepEqual(e.resources, []);
        assert.deepEqual(e.unpriced, [
            {
                urn: urn("aws:rds/instance:Instance", "db"),
                type: "aws:rds/instance:Instance",
                reason: "the estimate has no pricing rule for this type",
            },
        ]);
    });
    it("an unknown region or node type says so; free resources stay free", () => {
        const e = estimateMonthlyCost(dev, { region: "xx-nowhere-1", freeTier: "legacy-12-month" });
        assert.deepEqual(
            e.unpriced.map((u) => u.reason),
            Array(3).fill('no prices for region "xx-nowhere-1" (the price table has us-east-1, ap-northeast-2)'),
        );
        assert.equal(line(e, "vpc").basis, "no charge");
        const t = estimateMonthlyCost([res(RG, "c", { nodeType: "cache.x9.huge" })], {
            region: "us-east-1",
            freeTier: "legacy-12-month",
        });
        assert.deepEqual(
            t.unpriced.map((u) => u.reason),
            ["no price for node type cache.x9.huge (Redis OSS) in us-east-1"],
        );
    });
    it("an input unknown until apply makes the resource unpriced", () => {
        const e = estimateMonthlyCost([res(EC2, "b", { instanceType: WIRE_UNKNOWN })], {
            region: "us-east-1",
            freeTier: "legacy-12-month",
        });
        assert.deepEqual(
            e.unpriced.map((u) => u.reason),
            ["instanceType is unknown until apply"],
        );
    });
    describe("values unknown until apply (a preview's planned outputs)", () => {
        const U = WIRE_UNKNOWN;
        const opts = { region: "us-east-1", freeTier: "always-free-only" as const };
        const one = (r: CostResource, ...more: CostResource[]) => estimateMonthlyCost([r, ...more], opts);
        const unpriced = (e: ReturnType<typeof estimateMonthlyCost>) => e.unpriced.map((u) => u.reason);
        const bastion = {
            instanceType: "t3.micro",
            associatePublicIpAddress: true,
            rootBlockDevice: { volumeSize: 8, volumeType: "gp3" },
        };
        // t3.micro 730 x 0.0104 + 8 GB x 0.08 + public IPv4 730 x 0.005 (prices.ts, us-east-1).
        const BASTION = 11.88;

        it("prices an instance's unknown tenancy as AWS's default (shared), and says so", () => {
            const e = one(res(EC2, "b", { ...bastion, tenancy: U }));
            assert.equal(line(e, "b").monthly, BASTION);
            assert.match(line(e, "b").basis, /\[assumed: tenancy unknown until apply: AWS's default \(shared\)/);
        });
        it("leaves it unpriced when the stack may have a dedicated VPC, or when the program set it from an output", () => {
            for (const instanceTenancy of ["dedicated", U]) {
                const e = one(
                    res(EC2, "b", { ...bastion, tenancy: U }),
                    res("aws:ec2/vpc:Vpc", "v", { instanceTenancy }),
                );
                assert.deepEqual(unpriced(e), ["tenancy is unknown until apply (the stack has a dedicated VPC)"]);
            }
            const e = one({ ...res(EC2, "b", { ...bastion, tenancy: U }), setFromOutputs: ["tenancy"] });
            assert.deepEqual(unpriced(e), ["tenancy is unknown until apply"]);
            assert.deepEqual(unpriced(one(res(EC2, "b", { ...bastion, tenancy: "dedicated" }))), [
                "dedicated tenancy is not in the price table",
            ]);
        });
        it("assumes the AMI's volumes (8 GB gp3 root, nothing else) for unknown block devices, and says so", () => {
            const e = one(res(EC2, "b", { ...bastion, rootBlockDevice: U, ebsBlockDevices: U }));
            assert.equal(line(e, "b").monthly, BASTION);
            assert.match(line(e, "b").basis, /root volume \(the AMI's, assumed\) 8 GB gp3/);
            assert.match(
                line(e, "b").basis,
                /\[assumed: ebsBlockDevices unknown until apply: the AMI's block device mappings/,
            );
            assert.deepEqual(
                unpriced(
                    one({ ...res(EC2, "b", { ...bastion, ebsBlockDevices: U }), setFromOutputs: ["ebsBlockDevices"] }),
                ),
                ["ebsBlockDevices is unknown until apply"],
            );
        });
        it("charges a public IPv4 address whose association is unknown (the higher figure), and says so", () => {
            const e = one(res(EC2, "b", { ...bastion, associatePublicIpAddress: U }));
            assert.equal(line(e, "b").monthly, BASTION);
            assert.match(
                line(e, "b").basis,
                /public IPv4 730 h x \$0\.005\/h \[assumed: associatePublicIpAddress unknown/,
            );
            assert.equal(line(one(res(EC2, "b", { ...bastion, associatePublicIpAddress: false })), "b").monthly, 8.23);
        });

        const group = (props: Record<string, unknown>, setFromOutputs?: string[]): CostResource => ({
            ...res(RG, "g", {
                nodeType: "cache.t3.micro",
                engine: "redis",
                numCacheClusters: U,
                numNodeGroups: U,
                replicasPerNodeGroup: U,
                nodeGroupConfigurations: U,
                ...props,
            }),
            ...(setFromOutputs ? { setFromOutputs } : {}),
        });
        const NODE = 12.41; // cache.t3.micro 730 x 0.017
        it("counts a replication group's nodes from the counts the program set; computed ones follow them", () => {
            const cases: [Record<string, unknown>, number][] = [
                [{ numCacheClusters: 2 }, 2],
                [{ numNodeGroups: 3, replicasPerNodeGroup: 1 }, 6],
                [{ nodeGroupConfigurations: [{ replicaCount: 2 }, {}] }, 4],
            ];
            for (const [props, nodes] of cases) {
                const l = line(one(group(props)), "g");
                assert.equal(l.monthly, Math.round(nodes * 730 * 0.017 * 100) / 100, JSON.stringify(props));
                assert.doesNotMatch(l.basis, /assumed/);
            }
            const shards = line(one(group({ replicasPerNodeGroup: 1 })), "g");
            assert.equal(shards.monthly, 24.82);
            assert.match(shards.basis, /\[assumed: numNodeGroups unknown until apply: 1, as when not set\]/);
            const replicas = line(one(group({ numNodeGroups: 2 })), "g");
            assert.equal(replicas.monthly, 24.82);
            assert.match(replicas.basis, /\[assumed: replicasPerNodeGroup unknown until apply: 0, as when not set\]/);
        });
        it("none set: AWS's default of 1 node without automatic failover; unpriced with it or when the program set one", () => {
            const l = line(one(group({})), "g");
            assert.equal(l.monthly, NODE);
            assert.match(
                l.basis,
                /\[assumed: node count unknown until apply: AWS's default 1 node without automatic failover\]/,
            );
            assert.deepEqual(unpriced(one(group({ automaticFailoverEnabled: true }))), [
                "numCacheClusters is unknown until apply (2 to 6 nodes with automatic failover)",
            ]);
            assert.deepEqual(unpriced(one(group({}, ["numCacheClusters"]))), [
                "numCacheClusters is unknown until apply",
            ]);
        });
        it("prices an unknown engine as Redis OSS, the dearer one, and says so", () => {
            const l = line(one(group({ numCacheClusters: 1, engine: U })), "g");
            assert.equal(l.monthly, NODE);
            assert.match(
                l.basis,
                /Redis OSS\) \[assumed: engine unknown until apply: priced as Redis OSS, the dearer of redis and valkey\]/,
            );
            assert.ok(line(one(group({ numCacheClusters: 1, engine: "valkey" })), "g").monthly < NODE);
        });
        it("an unknown SSM parameter tier is AWS's default Standard (free), said so; the program's own is unpriced", () => {
            const P = "aws:ssm/parameter:Parameter";
            assert.equal(
                line(one(res(P, "p", { tier: U })), "p").basis,
                "no charge (tier unknown until apply: AWS's default Standard, unless the account's default tier was changed to Advanced or Intelligent-Tiering)",
            );
            assert.deepEqual(unpriced(one({ ...res(P, "p", { tier: U }), setFromOutputs: ["tier"] })), [
                "tier is unknown until apply",
            ]);
            assert.deepEqual(unpriced(one(res(P, "p", { tier: "Advanced" }))), [
                "advanced and intelligent-tiering parameters are not in the price table",
            ]);
        });
        it("a cluster is a group member only when the program set replicationGroupId; a standalone one has 1 Redis node", () => {
            const CL = "aws:elasticache/cluster:Cluster";
            const member = {
                ...res(CL, "m", { replicationGroupId: U, engine: U, nodeType: U }),
                setFromOutputs: ["replicationGroupId"],
            };
            assert.equal(line(one(member), "m").basis, "no charge");
            const standalone = res(CL, "s", {
                replicationGroupId: U,
                engine: "redis",
                nodeType: "cache.t3.micro",
                numCacheNodes: U,
            });
            assert.equal(line(one(standalone), "s").monthly, NODE);
            assert.deepEqual(
                unpriced(
                    one(
                        res(CL, "s", {
                            replicationGroupId: U,
                            engine: "memcached",
                            nodeType: "cache.t3.micro",
                            numCacheNodes: U,
                        }),
                    ),
                ),
                ["numCacheNodes is unknown until apply"],
            );
        });
    });
    it("states the assumed log volume and prices NAT gateways, EIPs, alarms and volumes", () => {
        const e = estimateMonthlyCost(
            [
                res("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 14 }),
                res("aws:ec2/natGateway:NatGateway", "nat", {}),
                res("aws:ec2/eip:Eip", "eip", {}),
                res("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm", { period: 300 }),
                res("aws:ebs/volume:Volume", "vol", { size: 100, type: "gp3" }),
            ],
            { region: "us-east-1", freeTier: "always-free-only", assumptions: { logIngestionGbPerGroup: 2 } },
        );
        assert.match(line(e, "logs").basis, /^2 GB ingested x \$0\.5\/GB \(assumed: logIngestionGbPerGroup\)/);
        assert.equal(line(e, "logs").monthlyAfterFreeTier, 0); // 2 GB + 0.93 GB stored, within the 5 GB always free
        assert.equal(line(e, "nat").monthly, 33.3); // 730 x 0.045 + 10 GB x 0.045
        assert.equal(line(e, "eip").monthly, 3.65);
        assert.deepEqual([line(e, "alarm").monthly, line(e, "alarm").monthlyAfterFreeTier], [0.1, 0]);
        assert.equal(line(e, "vol").monthly, 8);
    });
    it("formats every charged line largest first, then the unpriced, the totals and the free tier", () => {
        const base = estimateMonthlyCost([], { region: "us-east-1", freeTier: "always-free-only" });
        const e = {
            ...base,
            pricesAsOf: "2026-01-01",
            monthly: 13.41,
            monthlyAfterFreeTier: 13.41,
            resources: [
                { urn: urn(KMS, "key"), type: KMS, monthly: 1, monthlyAfterFreeTier: 1, basis: "1 key" },
                {
                    urn: urn("aws:ec2/vpc:Vpc", "vpc"),
                    type: "aws:ec2/vpc:Vpc",
                    monthly: 0,
                    monthlyAfterFreeTier: 0,
                    basis: "no charge",
                },
                { urn: urn(RG, "cache"), type: RG, monthly: 12.41, monthlyAfterFreeTier: 12.41, basis: "a | b" },
            ],
            unpriced: [{ urn: urn("x:index:Thing", "db"), type: "x:index:Thing", reason: "no | rule" }],
        };
        const free = "always-free offers only (10 alarms, 5 GB of logs): the 12-month free tier has ended";
        const totals =
            "$13.41/month at list price, $13.41/month after the free tier (us-east-1, 730 h, prices as of 2026-01-01)";
        assert.deepEqual(formatCostText(e), [
            `Cost: ${totals}`,
            "     $12.41    $12.41  aws.elasticache.ReplicationGroup cache: a | b",
            "      $1.00     $1.00  aws.kms.Key key: 1 key",
            "  unpriced  x:index:Thing db: no | rule",
            `  free tier: ${free}`,
        ]);
        assert.deepEqual(formatCostMarkdown(e), [
            "### Monthly cost",
            "",
            `**${totals}**`,
            "",
            "| resource | list | after free tier | basis |",
            "|---|---:|---:|---|",
            "| aws.elasticache.ReplicationGroup cache | $12.41 | $12.41 | a \\| b |",
            "| aws.kms.Key key | $1.00 | $1.00 | 1 key |",
            "| x:index:Thing db | unpriced | unpriced | no \\| rule |",
            "| **total** | **$13.41** | **$13.41** | |",
            "",
            `Free tier: ${free}.`,
        ]);
    });
    it("formats a short text and markdown table with the totals", () => {
        const e = estimateMonthlyCost(dev, { region: "us-east-1", freeTier: "legacy-12-month" });
        const text = formatCostText(e);
        assert.match(text[0], /^Cost: \$25\.29\/month at list price, \$8\.59\/month after the free tier \(us-east-1/);
        assert.equal(text.length, 1 + 3 + 1);
        const md = formatCostMarkdown(e).join("\n");
        assert.match(md, /\| aws\.elasticache\.ReplicationGroup cache \| \$12\.41 \| \$0\.00 \|/);
        assert.match(md, /\| \*\*total\*\* \| \*\*\$25\.29\*\* \| \*\*\$8\.59\*\* \|/);
    });

    describe("properties", () => {
        const nodeTypes = Object.keys(PRICE_TABLE.regions["us-east-1"].cacheNodeHourly.redis);
        const resource = fc.oneof(
            fc
                .record({
                    nodeType: fc.constantFrom(...nodeTypes),
                    numCacheClusters: fc.integer({ min: 1, max: 6 }),
                    snapshotRetentionLimit: fc.integer({ min: 0, max: 35 }),
                })
                .map((p) => ({ type: RG, p })),
            fc
                .record({
                    instanceType: fc.constantFrom("t2.micro", "t3.micro", "t3.small"),
                    associatePublicIpAddress: fc.boolean(),
                })
                .map((p) => ({ type: EC2, p })),
            fc.constant({ type: KMS, p: {} }),
            fc
                .record({ size: fc.integer({ min: 1, max: 500 }), type: fc.constantFrom("gp2", "gp3", "st1") })
                .map((p) => ({ type: "aws:ebs/volume:Volume", p })),
            fc.constant({ type: "aws:ec2/vpc:Vpc", p: {} }),
            fc.constant({ type: "aws:cloudwatch/logGroup:LogGroup", p: { retentionInDays: 30 } }),
        );
        it("after free tier <= list, both >= 0, totals are the sums of the entries", () =>
            fc.assert(
                fc.property(
                    fc.array(resource, { maxLength: 12 }),
                    fc.constantFrom(
                        "legacy-12-month" as const,
                        "free-plan-credits" as const,
                        "always-free-only" as const,
                    ),
                    fc.constantFrom("us-east-1", "ap-northeast-2"),
                    (rs, freeTier, region) => {
                        const e = estimateMonthlyCost(
                            rs.map((r, i) => res(r.type, `r${i}`, r.p)),
                            { region, freeTier },
                        );
                        for (const l of e.resources) {
                            assert.ok(
                                l.monthlyAfterFreeTier <= l.monthly && l.monthlyAfterFreeTier >= 0,
                                JSON.stringify(l),
                            );
                        }
                        const sum = (f: (l: (typeof e.resources)[0]) => number) =>
                            e.resources.reduce((s, l) => s + f(l), 0);
                        assert.ok(Math.abs(e.monthly - sum((l) => l.monthly)) < 0.005);
                        assert.ok(Math.abs(e.monthlyAfterFreeTier - sum((l) => l.monthlyAfterFreeTier)) < 0.005);
                        assert.ok(e.monthlyAfterFreeTier <= e.monthly);
                        assert.equal(e.resources.length + e.unpriced.length, rs.length);
                    },
                ),
            ));
    });
});

function roundUsd(x: number): number {
    return Math.round(x * 100) / 100;
}
