import { instanceRootVolumeFitsAmi } from "../../policy/deployable-instance";
import { kmsKeyPolicyKeepsAdmins } from "../../policy/deployable-kms";
import {
    noDuplicateSecurityGroupRules,
    securityGroupDescriptions,
    securityGroupRulePorts,
} from "../../policy/deployable-network";
import { arnsInStackPartition } from "../../policy/deployable-partition";
import { partitionOfRegion } from "../../policy/shared/partitions";
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

const SG = "aws:ec2/securityGroup:SecurityGroup";
const IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const OUT = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const KEY = "aws:kms/key:Key";
const EC2 = "aws:ec2/instance:Instance";
const SGR = "aws:ec2/securityGroupRule:SecurityGroupRule";

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
        it("flags UDP and TCP by number without ports, naming both", async () => {
            for (const ipProtocol of ["udp", "6", 17]) {
                assertViolations(await run({ ipProtocol }), "rule", /without fromPort and toPort; EC2 refuses it/);
            }
        });
        it("takes a null port for a missing one", async () =>
            assertViolations(
                await run({ ipProtocol: "tcp", fromPort: null, toPort: 22 }),
                "rule",
                /without fromPort;/,
            ));
        it("reads protocol on an aws.ec2.SecurityGroupRule", async () =>
            assertViolations(
                await run({ type: "ingress", protocol: "tcp", toPort: 22 }, SGR),
                "rule",
                /protocol tcp without fromPort/,
            ));
        it("flags ports on protocol -1 or all, naming them", async () => {
            assertViolations(
                await run({ ipProtocol: "-1", fromPort: 0, toPort: 65535 }, OUT),
                "rule",
                /protocol -1 \(all\) with ports 0-65535;/,
            );
            assertViolations(await run({ ipProtocol: "all", fromPort: 80 }), "rule", /with ports 80;/);
        });
        it("passes the provider's documented 0/0 on protocol -1, on every rule type", async () => {
            assertPass(await run({ ipProtocol: "-1", fromPort: 0, toPort: 0, cidrIpv4: "0.0.0.0/0" }, OUT));
            assertPass(await run({ type: "egress", protocol: "-1", fromPort: 0, toPort: 0 }, SGR));
        });
        it("flags -1/-1 on an aws.ec2.SecurityGroupRule (its expandIPPerm wants both 0)", async () =>
            assertViolations(
                await run({ type: "egress", protocol: "-1", fromPort: -1, toPort: -1 }, SGR),
                "rule",
                /with ports -1--1;.*Fix: set both to 0/,
            ));
        it("passes -1 ports on protocol -1, and ports on other protocols (icmp) or an unknown one", async () => {
            assertPass(await run({ ipProtocol: "-1", fromPort: -1, toPort: -1 }));
            assertPass(await run({ ipProtocol: "icmp", fromPort: 8, toPort: 0 }));
            assertPass(await run({ ipProtocol: UNKNOWN.string, fromPort: 22, toPort: 22 }));
        });
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
        it("flags a group description outside EC2's set for VPC groups (non-ASCII, or ASCII like ' \" ? % < >)", async () => {
            assertViolations(await run(SG, "cache — clients only"), "sg", /characters outside/);
            for (const description of ["the bastion's group", 'a "quoted" one', "why?", "100%", "a<b>"]) {
                assertViolations(await run(SG, description), "sg", /characters outside/);
            }
        });
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
        /** A rule of `props` (over TCP 22 from 203.0.113.7/32 in sg-1) and its input dependencies. */
        const rule = (
            name: string,
            props: Record<string, unknown>,
            type = IN,
            propertyDependencies: Record<string, string[]> = {},
        ): StackResource => ({
            type,
            name,
            props: Object.fromEntries(
                Object.entries({
                    securityGroupId: "sg-1",
                    ipProtocol: "tcp",
                    fromPort: 22,
                    toPort: 22,
                    cidrIpv4: "203.0.113.7/32",
                    ...props,
                }).filter(([, v]) => v !== undefined),
            ),
            propertyDependencies,
        });
        const duplicates = async (a: StackResource, b: StackResource) =>
            assertViolations(await runStack(noDuplicateSecurityGroupRules, [group, a, b]), b.name, /duplicates/);
        const distinct = async (a: StackResource, b: StackResource) =>
            assertPass(await runStack(noDuplicateSecurityGroupRules, [group, a, b]));
        it("flags repeated egress rules, known group ids and each kind of source", async () => {
            await duplicates(rule("a", {}, OUT), rule("b", {}, OUT));
            for (const [key, value] of [
                ["cidrIpv6", "2001:db8::/64"],
                ["prefixListId", "pl-1"],
                ["referencedSecurityGroupId", "sg-2"],
            ]) {
                await duplicates(
                    rule("a", { cidrIpv4: undefined, [key]: value }),
                    rule("b", { cidrIpv4: undefined, [key]: value }),
                );
                await distinct(
                    rule("a", { cidrIpv4: null, [key]: value }),
                    rule("b", { cidrIpv4: null, [key]: `${value}0` }),
                );
            }
        });
        it("tells rules apart by port, even where the digits run together", async () => {
            await distinct(rule("a", { fromPort: 22, toPort: 23 }), rule("b", { fromPort: 22, toPort: 22 }));
            await distinct(rule("a", { fromPort: 21, toPort: 22 }), rule("b", { fromPort: 22, toPort: 22 }));
            await distinct(rule("a", { fromPort: 1, toPort: 122 }), rule("b", { fromPort: 11, toPort: 22 }));
        });
        it("keys an unknown source by the resource it comes from", async () => {
            const peer = { type: SG, name: "clients-sg", props: {} };
            const other = { type: SG, name: "other-sg", props: {} };
            const from = (name: string, sg: StackResource | undefined) =>
                rule(
                    name,
                    { cidrIpv4: undefined, referencedSecurityGroupId: UNKNOWN.string },
                    IN,
                    sg ? { referencedSecurityGroupId: [stackUrn(sg)] } : {},
                );
            assertViolations(
                await runStack(noDuplicateSecurityGroupRules, [group, peer, from("a", peer), from("b", peer)]),
                "b",
                /duplicates/,
            );
            assertPass(
                await runStack(noDuplicateSecurityGroupRules, [group, peer, other, from("a", peer), from("b", other)]),
            );
            await distinct(from("a", undefined), from("b", undefined));
            const outside = { type: SG, name: "outside-sg", props: {} }; // not in the stack: no dependency resolves
            await distinct(from("a", outside), from("b", outside));
        });
        it("skips rules whose group, source or protocol it cannot know", async () => {
            const unknownGroup = { securityGroupId: UNKNOWN.string };
            await distinct(rule("a", unknownGroup), rule("b", unknownGroup));
            await distinct(
                rule("a", unknownGroup, IN, { securityGroupId: ["urn:pulumi:dev::redis-stack::elsewhere"] }),
                rule("b", unknownGroup, IN, { securityGroupId: ["urn:pulumi:dev::redis-stack::elsewhere"] }),
            );
            await distinct(rule("a", { cidrIpv4: undefined }), rule("b", { cidrIpv4: undefined }));
            await distinct(rule("a", { ipProtocol: UNKNOWN.string }), rule("b", { ipProtocol: UNKNOWN.string }));
        });
        it("does not apply to a stack without rule resources", async () =>
            assertNotApplicable(await runStack(noDuplicateSecurityGroupRules, [group]), /no security group rule/));
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
        it("finds the administrator in any statement, action list or form (*, kms:PutKeyPolicy)", async () => {
            const statement = (Effect: string, Action?: unknown) => ({ Effect, Principal: "*", Action, Resource: "*" });
            assertPass(await run(allowing("root", "*")));
            assertPass(await run(allowing("role/admin", "kms:PutKeyPolicy")));
            assertPass(await run(JSON.stringify({ Statement: statement("Allow", "kms:*") })));
            assertPass(
                await run(
                    JSON.stringify({
                        Statement: [
                            { Effect: "Deny", NotAction: "kms:Decrypt", Principal: "*", Resource: "*" },
                            statement("Allow", "kms:Decrypt"),
                            statement("Allow", ["kms:Decrypt", "kms:PutKeyPolicy"]),
                        ],
                    }),
                ),
            );
            // The console's key administrator list grants kms:Put* (and kms:Create*, kms:Describe*...).
            assertPass(await run(allowing("role/admin", "kms:Put*")));
            assertPass(await run(allowing("role/admin", "KMS:putkeypolicy")));
            assertPass(await run(allowing("role/admin", "kms:PutKey?olicy")));
            // A NotAction Allow allows everything it does not list.
            assertPass(
                await run(
                    JSON.stringify({
                        Statement: { Effect: "Allow", NotAction: "kms:Decrypt", Principal: "*", Resource: "*" },
                    }),
                ),
            );
            for (const policy of [
                { Statement: statement("Deny", "kms:*") },
                { Version: "2012-10-17" },
                { Statement: statement("Allow", "kms:Get*") },
                { Statement: { Effect: "Allow", NotAction: "kms:Put*", Principal: "*", Resource: "*" } },
                { Statement: { Effect: "Allow", NotAction: ["kms:Decrypt", "*"], Principal: "*", Resource: "*" } },
            ]) {
                assertViolations(await run(JSON.stringify(policy)), "key", /allows nobody/);
            }
        });
        it("leaves a policy that bypasses the lockout check, or is not JSON, alone", async () => {
            const lockout = allowing("role/b", "kms:Decrypt");
            assertPass(
                await runResource(kmsKeyPolicyKeepsAdmins, {
                    type: KEY,
                    name: "key",
                    props: { policy: lockout, bypassPolicyLockoutSafetyCheck: true },
                }),
            );
            assertPass(await run("{ not json"));
        });
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
        it("flags a root volume smaller than the AMI's snapshot, naming the setting", async () =>
            assertViolations(
                await run(4),
                "bastion",
                /4 GiB is smaller than the AMI's 8 GiB snapshot.*"instance-root-volume-fits-ami": \{ "minRootVolumeGiB"/,
            ));
        it("passes an instance without a root block device", async () =>
            assertPass(await runResource(instanceRootVolumeFitsAmi, { type: EC2, name: "bastion", props: {} })));
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
            assert.deepEqual(
                [
                    "us-east-1",
                    "cn-north-1",
                    "us-gov-west-1",
                    "us-iso-east-1",
                    "us-isob-east-1",
                    "eu-isoe-west-1",
                    "us-isof-south-1",
                    "eusc-de-east-1",
                ].map(partitionOfRegion),
                ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"],
            );
        });
        it("passes arn:aws: in an aws region", async () =>
            assertPass(await runStack(arnsInStackPartition, [provider("us-east-1"), attachment])));
        it("flags a hard-coded arn:aws: in aws-cn", async () =>
            assertViolations(
                await runStack(arnsInStackPartition, [provider("cn-north-1"), attachment]),
                "ssm-core",
                /partition aws in a stack in aws-cn/,
            ));
        it("passes arn:aws: without a provider or configured partition", async () =>
            assertPass(await runStack(arnsInStackPartition, [attachment])));
        it("finds the provider wherever it is listed, and ARNs of any partition in lists and objects", async () => {
            const policy: StackResource = {
                type: "aws:iam/policy:Policy",
                name: "p",
                props: {
                    tags: { note: "none", owner: null },
                    policy: { Statement: [{ Resource: ["arn:aws-cn:s3:::b", "arn:aws-us-gov:s3:::b"] }] },
                },
            };
            assertViolations(
                await runStack(arnsInStackPartition, [policy, provider("us-east-1")]),
                '"p"',
                /ARN in partition aws-cn, aws-us-gov in a stack in aws\./,
            );
        });
        it("takes the region from the provider listed after the resources", async () =>
            assertViolations(
                await runStack(arnsInStackPartition, [attachment, provider("cn-north-1")]),
                "ssm-core",
                /in a stack in aws-cn/,
            ));
        it("reads only aws resources", async () =>
            assertPass(
                await runStack(arnsInStackPartition, [
                    provider("cn-north-1"),
                    {
                        type: "random:index/randomString:RandomString",
                        name: "r",
                        props: { keepers: { a: "arn:aws:x" } },
                    },
                ]),
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
