import {
    elasticacheClusterModeFailover,
    elasticacheCreatable,
    elasticacheParameterGroupFamily,
} from "../../policy/deployable-cache";
import {
    arnsInStackPartition,
    instanceRootVolumeFitsAmi,
    kmsKeyPolicyKeepsAdmins,
    noDuplicateSecurityGroupRules,
    partitionOfRegion,
    securityGroupDescriptions,
    securityGroupRulePorts,
} from "../../policy/deployable-network";
import { strict as assert } from "assert";
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
const PG = "aws:elasticache/parameterGroup:ParameterGroup";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const OUT = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const KEY = "aws:kms/key:Key";
const EC2 = "aws:ec2/instance:Instance";
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
        it("flags a comma in an S3 snapshot ARN", async () =>
            assertViolations(await run({ snapshotArns: ["arn:aws:s3:::b/a,b.rdb"] }), WHO, /contains a comma/));
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
            props: {
                engine: "redis",
                engineVersion: "7.1",
                clusterMode: "enabled",
                parameterGroupName: UNKNOWN.string,
                ...props,
            },
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
    });
});

describe("deployability policies: network, compute, keys, partitions", () => {
    describe("security-group-rule-ports", () => {
        const run = (props: Record<string, unknown>, type = IN) =>
            runResource(securityGroupRulePorts, { type, name: "rule", props });
        it("passes TCP with both ports and -1 without ports", async () => {
            assertPass(await run({ ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "10.0.0.0/8" }));
            assertPass(await run({ ipProtocol: "-1", cidrIpv4: "10.0.0.0/8" }, OUT));
        });
        it("flags TCP without a port", async () =>
            assertViolations(await run({ ipProtocol: "tcp", fromPort: 22 }), "rule", /without toPort/));
        it("flags ports on protocol -1", async () =>
            assertViolations(
                await run({ ipProtocol: "-1", fromPort: 0, toPort: 65535 }, OUT),
                "rule",
                /protocol -1 \(all\) with ports/,
            ));
    });

    describe("security-group-descriptions", () => {
        const run = (type: string, description: string) =>
            runResource(securityGroupDescriptions, { type, name: "sg", props: { description } });
        it("passes the program's descriptions", async () => {
            assertPass(
                await run(
                    SG,
                    "redis-stack cache redis-dev-cache: port 6379 from its clients only; attach to nothing else",
                ),
            );
            assertPass(await run(IN, "Redis (TLS) from bastion"));
        });
        it("flags a non-ASCII group description", async () =>
            assertViolations(await run(SG, "cache — clients only"), "sg", /non-ASCII/));
        it("flags a rule description outside AWS's set", async () =>
            assertViolations(await run(IN, "SSH from 203.0.113.7/32 ('office')"), "sg", /characters outside/));
    });

    describe("no-duplicate-security-group-rules (stack)", () => {
        const group: StackResource = { type: SG, name: "bastion-sg", props: { vpcId: UNKNOWN.string } };
        const sgUrn = stackUrn(group);
        const ssh = (name: string, cidr: string): StackResource => ({
            type: IN,
            name,
            props: { securityGroupId: UNKNOWN.string, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: cidr },
            propertyDependencies: { securityGroupId: [sgUrn] },
        });
        it("passes distinct rules", async () =>
            assertPass(
                await runStack(noDuplicateSecurityGroupRules, [
                    group,
                    ssh("ssh-0", "203.0.113.7/32"),
                    ssh("ssh-1", "198.51.100.0/24"),
                ]),
            ));
        it("flags a repeated SSH CIDR", async () => {
            const out = await runStack(noDuplicateSecurityGroupRules, [
                group,
                ssh("ssh-0", "203.0.113.7/32"),
                ssh("ssh-1", "203.0.113.7/32"),
            ]);
            assertViolations(out, "ssh-1", /duplicates .*"ssh-0"/);
        });
    });

    describe("kms-key-policy-keeps-admins", () => {
        const run = (policy: unknown) =>
            runResource(kmsKeyPolicyKeepsAdmins, { type: KEY, name: "key", props: { policy } });
        /** A key policy of one statement allowing `principal` (an IAM ARN's resource part) the `action`. */
        const allowing = (principal: string, action: string) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::123456789012:${principal}` },
                        Action: action,
                        Resource: "*",
                    },
                ],
            });
        it("passes a policy with an administrator, an unknown policy and none", async () => {
            assertPass(await run(allowing("root", "kms:*")));
            assertPass(await run(UNKNOWN.string));
            assertPass(await runResource(kmsKeyPolicyKeepsAdmins, { type: KEY, name: "key", props: {} }));
        });
        it("flags a policy that locks out administration", async () =>
            assertViolations(await run(allowing("role/b", "kms:Decrypt")), "key", /allows nobody kms:PutKeyPolicy/));
    });

    describe("instance-root-volume-fits-ami", () => {
        const run = (volumeSize: number, config?: Record<string, unknown>) =>
            runResource(instanceRootVolumeFitsAmi, {
                type: EC2,
                name: "bastion",
                props: { rootBlockDevice: { volumeSize } },
                config,
            });
        it("passes 8 GiB and more", async () => assertPass(await run(8)));
        it("flags a root volume smaller than the AMI's snapshot", async () =>
            assertViolations(await run(4), "bastion", /4 GiB is smaller than the AMI's 8 GiB snapshot/));
        it("follows minRootVolumeGiB", async () =>
            assertPass(await run(4, { "instance-root-volume-fits-ami": { minRootVolumeGiB: 2 } })));
    });

    describe("arns-in-stack-partition (stack)", () => {
        const provider = (region: string): StackResource => ({
            type: "pulumi:providers:aws",
            name: "default",
            props: { region },
        });
        const attachment: StackResource = {
            type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            name: "ssm-core",
            props: { role: UNKNOWN.string, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
        };
        it("knows the partitions of regions", () => {
            assert.deepEqual(["us-east-1", "cn-north-1", "us-gov-west-1"].map(partitionOfRegion), [
                "aws",
                "aws-cn",
                "aws-us-gov",
            ]);
        });
        it("passes arn:aws: in an aws region", async () =>
            assertPass(await runStack(arnsInStackPartition, [provider("us-east-1"), attachment])));
        it("flags a hard-coded arn:aws: in aws-cn", async () =>
            assertViolations(
                await runStack(arnsInStackPartition, [provider("cn-north-1"), attachment]),
                "ssm-core",
                /partition aws in a stack in aws-cn/,
            ));
        it("follows the configured partition", async () =>
            assertViolations(
                await runStack(arnsInStackPartition, [attachment], {
                    config: { "arns-in-stack-partition": { partition: "aws-us-gov" } },
                }),
                "ssm-core",
                /aws-us-gov/,
            ));
    });
});
