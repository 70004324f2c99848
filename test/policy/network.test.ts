import { strict as assert } from "assert";
import { elasticacheDedicatedSecurityGroup, noWorldIngressToSshOrRedis } from "../../policy/network";
import {
    type StackResource,
    UNKNOWN,
    assertNotApplicable,
    assertPass,
    assertUnknown,
    assertViolations,
    runStack,
    stackUrn,
} from "./harness";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const DSG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SGR = "aws:ec2/securityGroupRule:SecurityGroupRule";
const IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CL = "aws:elasticache/cluster:Cluster";
const EC2 = "aws:ec2/instance:Instance";

describe("network policies", () => {
    describe("no-world-ingress-to-ssh-or-redis (stack)", () => {
        const sg = (props: Record<string, unknown>, name = "sg", type = SG): StackResource => ({ type, name, props });
        const inline = (...ingress: Record<string, unknown>[]) => sg({ ingress });
        /** A rule resource whose securityGroupId comes from `group` (unknown id, as in preview). */
        const ruleOf = (
            group: StackResource,
            type: string,
            props: Record<string, unknown>,
            name = "r",
        ): StackResource => ({
            type,
            name,
            props: { securityGroupId: UNKNOWN.string, ...props },
            propertyDependencies: { securityGroupId: [stackUrn(group)] },
        });
        const run = (resources: StackResource[], config?: Record<string, unknown>) =>
            runStack(noWorldIngressToSshOrRedis, resources, { config });
        const tcp = (port: number, cidrs: Record<string, unknown>) => ({
            protocol: "tcp",
            fromPort: port,
            toPort: port,
            ...cidrs,
        });

        it("passes private sources, other ports, egress and non-TCP", async () => {
            const group = inline(tcp(6379, { cidrBlocks: ["10.42.0.0/16"] }), tcp(443, { cidrBlocks: ["0.0.0.0/0"] }), {
                protocol: "udp",
                fromPort: 0,
                toPort: 65535,
                cidrBlocks: ["0.0.0.0/0"],
            });
            assertPass(
                await run([
                    group,
                    sg(
                        {
                            ingress: [],
                            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
                        },
                        "out",
                    ),
                    ruleOf(
                        group,
                        SGR,
                        { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
                        "e",
                    ),
                    ruleOf(group, IN, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "203.0.113.7/32" }, "i"),
                    ruleOf(
                        group,
                        IN,
                        { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, referencedSecurityGroupId: UNKNOWN.string },
                        "c",
                    ),
                ]),
            );
        });
        it("flags SSH from 0.0.0.0/0 inline, on the group", async () => {
            const out = await run([inline(tcp(22, { cidrBlocks: ["0.0.0.0/0"] }))]);
            assertViolations(
                out,
                'aws.ec2.SecurityGroup "sg"',
                /^aws\.ec2\.SecurityGroup "sg": ingress\[0\] \(tcp port 22\) admits 0\.0\.0\.0\/0 to port\(s\) 22; no world ingress is allowed to \[22, 6379\]/,
            );
            assert.deepEqual(out.violationUrns, [stackUrn({ type: SG, name: "sg" })]);
        });
        it("flags a port range that includes the cache port, from ::/0", async () =>
            assertViolations(
                await run([inline({ protocol: "tcp", fromPort: 6000, toPort: 7000, ipv6CidrBlocks: ["::/0"] })]),
                "sg",
                /tcp ports 6000-7000\) admits ::\/0 to port\(s\) 6379/,
            ));
        it("flags protocol -1 (all traffic) reaching both ports", async () =>
            assertViolations(
                await run([
                    inline({ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] }),
                ]),
                "sg",
                /all traffic \(protocol -1\)\) admits 0\.0\.0\.0\/0 to port\(s\) 22, 6379/,
            ));
        it("flags each family and port set once, and the default security group's rules", async () => {
            const out = await run([
                inline(tcp(22, { cidrBlocks: ["0.0.0.0/0"] }), tcp(80, { cidrBlocks: ["0.0.0.0/0"] }), {
                    protocol: "6",
                    fromPort: 0,
                    toPort: 65535,
                    ipv6CidrBlocks: ["::/0"],
                }),
            ]);
            assertViolations(out, "sg", /ingress\[0\].*port\(s\) 22;/, /ingress\[2\].*port\(s\) 22, 6379;/);
            assertViolations(
                await run([
                    sg(
                        { ingress: [{ protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
                        "sg",
                        DSG,
                    ),
                ]),
                'aws.ec2.DefaultSecurityGroup "sg"',
                /admits/,
            );
        });
        it("flags rule resources, legacy and aws.vpc, IPv4 and IPv6, -1 without ports, on their group", async () => {
            const group = sg({}, "bastion");
            const out = await run([
                group,
                ruleOf(
                    group,
                    SGR,
                    { type: "ingress", protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] },
                    "legacy",
                ),
            ]);
            assertViolations(
                out,
                'aws.ec2.SecurityGroup "bastion"',
                /rule aws\.ec2\.SecurityGroupRule "legacy" \(tcp ports 0-65535\) admits 0\.0\.0\.0\/0 to port\(s\) 22, 6379/,
            );
            assert.deepEqual(out.violationUrns, [stackUrn(group)]);
            assertViolations(
                await run([group, ruleOf(group, IN, { ipProtocol: "-1", cidrIpv6: "::/0" }, "v6")]),
                "bastion",
                /rule aws\.vpc\.SecurityGroupIngressRule "v6" \(all traffic \(protocol -1\)\) admits ::\/0 to port\(s\) 22, 6379/,
            );
            // A group outside the stack, named by literal id: reported on the rule.
            const external = await run([
                {
                    type: IN,
                    name: "x",
                    props: {
                        securityGroupId: "sg-1",
                        ipProtocol: "tcp",
                        fromPort: 22,
                        toPort: 22,
                        cidrIpv4: "0.0.0.0/0",
                    },
                },
            ]);
            assertViolations(external, 'security group "sg-1"', /rule aws\.vpc\.SecurityGroupIngressRule "x"/);
            assert.deepEqual(external.violationUrns, [stackUrn({ type: IN, name: "x" })]);
        });
        it("flags ranges that cover the world only together (issue #10.2): halves, finer splits, across rule kinds", async () => {
            assertViolations(
                await run([inline(tcp(22, { cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }))]),
                "sg",
                /ingress\[0\] \(tcp port 22\) admits 0\.0\.0\.0\/1 and 128\.0\.0\.0\/1: together the whole IPv4 internet, to port\(s\) 22;/,
            );
            const group = inline(tcp(6379, { ipv6CidrBlocks: ["::/1"] }));
            assertViolations(
                await run([
                    group,
                    ruleOf(group, IN, { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv6: "8000::/2" }, "a"),
                    ruleOf(group, SGR, { type: "ingress", protocol: "-1", ipv6CidrBlocks: ["c000::/2"] }, "b"),
                ]),
                "sg",
                /ingress\[0\] \(tcp port 6379\) admits ::\/1, and rule aws\.vpc\.SecurityGroupIngressRule "a" .* admits 8000::\/2, and rule aws\.ec2\.SecurityGroupRule "b" .* admits c000::\/2: together the whole IPv6 internet, to port\(s\) 6379;/,
            );
            // The same halves on different ports, or on different groups, or of different families, admit no one port to the world.
            const other = sg({}, "other");
            assertPass(
                await run([
                    inline(tcp(22, { cidrBlocks: ["0.0.0.0/1"] }), tcp(6379, { cidrBlocks: ["128.0.0.0/1"] })),
                    other,
                    ruleOf(other, IN, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/1" }, "o1"),
                    ruleOf(
                        sg({}, "third"),
                        IN,
                        { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "128.0.0.0/1" },
                        "o2",
                    ),
                    sg({}, "third"),
                    inline(tcp(22, { cidrBlocks: ["0.0.0.0/1"], ipv6CidrBlocks: ["8000::/1"] })),
                ]),
            );
        });
        it("guards the configured cache port", async () => {
            const group = inline(tcp(6380, { cidrBlocks: ["0.0.0.0/0"] }));
            assertPass(await run([group]));
            assertViolations(
                await run([group], { "no-world-ingress-to-ssh-or-redis": { ports: [22, 6380] } }),
                "sg",
                /port\(s\) 6380/,
            );
        });
        it("decides without unknown sources when the rule reaches no guarded port, or the known ones already cover the world", async () => {
            assertPass(await run([inline(tcp(443, { cidrBlocks: [UNKNOWN.string] }))]));
            assertViolations(
                await run([inline(tcp(22, { cidrBlocks: ["0.0.0.0/0", UNKNOWN.string] }))]),
                "sg",
                /admits 0\.0\.0\.0\/0 to port\(s\) 22/,
            );
        });
        it("unknown sources on a guarded port, or unknown ports: preview advisory", async () => {
            assertUnknown(await run([inline(tcp(22, { cidrBlocks: [UNKNOWN.string] }))]), "ingress.0.cidrBlocks.0");
            assertUnknown(
                await run([
                    inline({ protocol: "tcp", fromPort: UNKNOWN.number, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }),
                ]),
                "ingress.0.fromPort",
            );
            const group = sg({}, "g");
            assertUnknown(
                await run([
                    group,
                    ruleOf(group, IN, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: UNKNOWN.string }),
                ]),
                "cidrIpv4",
            );
        });
        it("is not applicable to a stack without security groups or ingress rules", async () =>
            assertNotApplicable(await run([{ type: EC2, name: "i", props: {} }]), /no security group or ingress rule/));
    });

    describe("elasticache-dedicated-security-group (stack)", () => {
        const U = UNKNOWN.string;
        const vpc: StackResource = { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.42.0.0/16" } };
        const cacheSg: StackResource = {
            type: SG,
            name: "cache-sg",
            props: { vpcId: U },
            propertyDependencies: { vpcId: [stackUrn(vpc)] },
        };
        const bastionSg: StackResource = {
            type: SG,
            name: "bastion-sg",
            props: { vpcId: U },
            propertyDependencies: { vpcId: [stackUrn(vpc)] },
        };
        const cache = (
            deps: StackResource[],
            ids: unknown = deps.map(() => U),
            name = "cache",
            type = RG,
        ): StackResource => ({
            type,
            name,
            props: { securityGroupIds: ids, nodeType: "cache.t3.micro" },
            propertyDependencies: { securityGroupIds: deps.map(stackUrn) },
        });
        const bastion = (sg: StackResource): StackResource => ({
            type: EC2,
            name: "bastion",
            props: { vpcSecurityGroupIds: [U] },
            propertyDependencies: { vpcSecurityGroupIds: [stackUrn(sg)] },
        });
        // The cache group admits the bastion group: a rule referencing it, which is not an attachment.
        const rule: StackResource = {
            type: IN,
            name: "bastion-to-cache",
            props: {
                securityGroupId: U,
                referencedSecurityGroupId: U,
                ipProtocol: "tcp",
                fromPort: 6379,
                toPort: 6379,
            },
            propertyDependencies: {
                securityGroupId: [stackUrn(cacheSg)],
                referencedSecurityGroupId: [stackUrn(bastionSg)],
            },
        };
        // A component passing the group id along (e.g. the program's RedisCluster) does not attach it.
        const component: StackResource = {
            type: "redis-stack:index:RedisCluster",
            name: "redis",
            props: { securityGroupIds: [U] },
            propertyDependencies: { securityGroupIds: [stackUrn(cacheSg)] },
        };
        const run = (resources: StackResource[], config?: Record<string, unknown>) =>
            runStack(elasticacheDedicatedSecurityGroup, resources, { config });

        it("passes the project's shape while every id is still unknown (propertyDependencies decide)", async () =>
            assertPass(await run([vpc, cacheSg, bastionSg, bastion(bastionSg), rule, component, cache([cacheSg])])));
        it("passes known literal ids that nothing else uses", async () =>
            assertPass(
                await run([
                    cache([], ["sg-0cache"]),
                    { type: EC2, name: "bastion", props: { vpcSecurityGroupIds: ["sg-0bastion"] } },
                ]),
            ));
        it("flags a cache without any security group (AWS would attach the default one)", async () => {
            const out = await run([{ type: RG, name: "cache", props: { nodeType: "cache.t3.micro" } }]);
            assertViolations(
                out,
                'aws.elasticache.ReplicationGroup "cache"',
                /securityGroupIds is not set, so AWS attaches the VPC's default security group/,
            );
            assert.equal(out.violationUrns[0], stackUrn({ type: RG, name: "cache" }));
            assertViolations(await run([cache([], [])]), "cache", /securityGroupIds is empty/);
        });
        it("flags the VPC's default group, from aws.ec2.DefaultSecurityGroup or vpc.defaultSecurityGroupId", async () => {
            const dsg: StackResource = { type: DSG, name: "default", props: { vpcId: U } };
            assertViolations(
                await run([dsg, cache([dsg])]),
                "cache",
                /uses the VPC's default security group \(from aws\.ec2\.DefaultSecurityGroup "default"\)/,
            );
            assertViolations(
                await run([vpc, cache([vpc])]),
                "cache",
                /default security group \(from aws\.ec2\.Vpc "vpc"\)/,
            );
        });
        it("flags the cache group attached to the bastion instance", async () => {
            const out = await run([vpc, cacheSg, bastion(cacheSg), cache([cacheSg])]);
            assertViolations(
                out,
                'aws.elasticache.ReplicationGroup "cache"',
                /also attached to aws\.ec2\.Instance "bastion" \(aws\.ec2\.SecurityGroup "cache-sg" via vpcSecurityGroupIds\)/,
            );
        });
        it("flags sharing with a launch template (network interfaces), an ENI and a Lambda", async () => {
            const lt: StackResource = {
                type: "aws:ec2/launchTemplate:LaunchTemplate",
                name: "lt",
                props: { networkInterfaces: [{ securityGroups: [U] }] },
                propertyDependencies: { networkInterfaces: [stackUrn(cacheSg)] },
            };
            const eni: StackResource = {
                type: "aws:ec2/networkInterface:NetworkInterface",
                name: "eni",
                props: { securityGroups: [U], subnetId: "s" },
                propertyDependencies: { securityGroups: [stackUrn(cacheSg)] },
            };
            const fn: StackResource = {
                type: "aws:lambda/function:Function",
                name: "fn",
                props: { vpcConfig: { securityGroupIds: [U], subnetIds: [U] } },
                propertyDependencies: { vpcConfig: [stackUrn(cacheSg)] },
            };
            assertViolations(
                await run([cacheSg, lt, eni, fn, cache([cacheSg])]),
                "cache",
                /LaunchTemplate "lt" .*via networkInterfaces/,
                /NetworkInterface "eni" .*via securityGroups/,
                /lambda\.Function "fn" .*via vpcConfig/,
            );
        });
        it("flags two caches sharing one group, on both", async () => {
            const out = await run([cacheSg, cache([cacheSg], undefined, "a"), cache([cacheSg], undefined, "b", CL)]);
            assertViolations(
                out,
                "",
                /ReplicationGroup "a": .*attached to aws\.elasticache\.Cluster "b"/,
                /Cluster "b": .*attached to aws\.elasticache\.ReplicationGroup "a"/,
            );
        });
        it("flags sharing by known literal id", async () =>
            assertViolations(
                await run([
                    cache([], ["sg-0shared"]),
                    { type: EC2, name: "bastion", props: { vpcSecurityGroupIds: ["sg-0shared"] } },
                ]),
                "cache",
                /"sg-0shared" via vpcSecurityGroupIds/,
            ));
        it("ignoredResourceTypes exempts a type", async () =>
            assertPass(
                await run([cacheSg, bastion(cacheSg), cache([cacheSg])], {
                    "elasticache-dedicated-security-group": { ignoredResourceTypes: [EC2] },
                }),
            ));
        it("ids unknown with nothing that explains them: preview advisory", async () =>
            assertUnknown(await run([cache([], [U])]), "securityGroupIds.0"));
        it("a whole unknown list with no dependency is the computed one of a cache that left it unset: the default group", async () =>
            assertViolations(await run([cache([], UNKNOWN.array)]), "cache", /securityGroupIds is not set/));
        it("is not applicable without caches (members do not count)", async () =>
            assertNotApplicable(
                await run([cacheSg, { type: CL, name: "m", props: { replicationGroupId: "rg" } }]),
                /no ElastiCache/,
            ));
    });
});
