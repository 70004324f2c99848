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
import { UNKNOWN, assertPass, assertViolations, runResource, runStack, stackUrn, type StackResource } from "./harness";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const OUT = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const KEY = "aws:kms/key:Key";
const EC2 = "aws:ec2/instance:Instance";

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
