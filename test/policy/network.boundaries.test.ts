// The network policies' branches that pass either way unless pinned: a cache's literal group id nested inside
// another resource's object, ids and dependencies under keys that attach nothing, the default group's own
// dependants, rules whose sources must not be read, and world sources beside private ones.

import { strict as assert } from "assert";
import { elasticacheDedicatedSecurityGroup, noWorldIngressToSshOrRedis } from "../../policy/network";
import { UNKNOWN, type StackResource, runStack, stackUrn } from "./harness";

const U = UNKNOWN.string;
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const DSG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const EC2 = "aws:ec2/instance:Instance";
const SGR = "aws:ec2/securityGroupRule:SecurityGroupRule";
const IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LAMBDA = "aws:lambda/function:Function";

const cacheSg: StackResource = { type: SG, name: "cache-sg", props: {} };
const cacheWithIds = (ids: unknown): StackResource => ({ type: RG, name: "cache", props: { securityGroupIds: ids } });
const cacheWithGroup = (group: StackResource, ids: unknown = [U]): StackResource => ({
    type: RG,
    name: "cache",
    props: { securityGroupIds: ids },
    propertyDependencies: { securityGroupIds: [stackUrn(group)] },
});
const dedicated = (resources: StackResource[]) => runStack(elasticacheDedicatedSecurityGroup, resources);

describe("network policies at their edges", () => {
    describe("elasticache-dedicated-security-group", () => {
        it("finds a literal group id nested in another resource's object, with the whole message", async () => {
            const fn: StackResource = {
                type: LAMBDA,
                name: "fn",
                props: { vpcConfig: { securityGroupIds: ["sg-0cache"], subnetIds: ["subnet-1"] } },
            };
            const out = await dedicated([cacheWithIds(["sg-0cache"]), fn]);
            assert.deepEqual(out.violations, [
                'aws.elasticache.ReplicationGroup "cache": its security group is also attached to aws.lambda.Function "fn" ' +
                    '("sg-0cache" via vpcConfig); a cache\'s group must be its own, so that opening it to a client never ' +
                    'opens anything else. Fix: give aws.lambda.Function "fn" its own security group and allow it in the ' +
                    "cache group's ingress (referencedSecurityGroupId), or exempt the type in policy/config/<stack>.json " +
                    '("elasticache-dedicated-security-group": { "ignoredResourceTypes": ... }).',
            ]);
            assert.deepEqual(out.violationUrns, [stackUrn({ type: RG, name: "cache" })]);
        });

        it("ignores the cache's id under keys that attach nothing", async () => {
            const instance: StackResource = {
                type: EC2,
                name: "i",
                props: { tags: { Name: "sg-0cache" }, userData: "sg-0cache", vpcSecurityGroupIds: ["sg-0other"] },
            };
            const out = await dedicated([cacheWithIds(["sg-0cache"]), instance]);
            assert.deepEqual([out.violations, out.unknowns], [[], []]);
        });

        it("ignores a dependency on the cache's group under a key that attaches nothing", async () => {
            const instance: StackResource = {
                type: EC2,
                name: "i",
                props: { tags: { Name: U } },
                propertyDependencies: { tags: [stackUrn(cacheSg)] },
            };
            const out = await dedicated([cacheSg, cacheWithGroup(cacheSg), instance]);
            assert.deepEqual([out.violations, out.unknowns], [[], []]);
        });

        it("reports the default group once, not again for every resource that uses it", async () => {
            const dsg: StackResource = { type: DSG, name: "default", props: {} };
            const instance: StackResource = {
                type: EC2,
                name: "i",
                props: { vpcSecurityGroupIds: [U] },
                propertyDependencies: { vpcSecurityGroupIds: [stackUrn(dsg)] },
            };
            const out = await dedicated([dsg, cacheWithGroup(dsg), instance]);
            assert.deepEqual(out.violations, [
                'aws.elasticache.ReplicationGroup "cache": securityGroupIds uses the VPC\'s default security group ' +
                    '(from aws.ec2.DefaultSecurityGroup "default"), which every other resource in the VPC may share. ' +
                    "Fix: create an aws.ec2.SecurityGroup used only by the cache and pass it in securityGroupIds.",
            ]);
        });

        it("reads past null values under an attaching key when looking for the cache's literal id", async () => {
            const fn: StackResource = {
                type: LAMBDA,
                name: "fn",
                props: { vpcConfig: { securityGroupIds: ["sg-0cache"], ipv6AllowedForDualStack: null } },
            };
            const out = await dedicated([cacheWithIds(["sg-0cache"]), fn]);
            assert.equal(out.violations.length, 1);
            assert.match(out.violations[0], /"sg-0cache" via vpcConfig/);
        });

        it("reads a null list as not set and an empty one as empty, and an empty list explained by a dependency as fine", async () => {
            const whole = (found: string) =>
                `aws.elasticache.ReplicationGroup "cache": securityGroupIds is ${found}, so AWS attaches the VPC's default ` +
                "security group. Fix: create an aws.ec2.SecurityGroup used only by the cache and pass it in securityGroupIds.";
            assert.deepEqual((await dedicated([cacheWithIds(null)])).violations, [whole("not set")]);
            assert.deepEqual((await dedicated([cacheWithIds([])])).violations, [whole("empty")]);
            assert.deepEqual((await dedicated([cacheSg, cacheWithGroup(cacheSg, [])])).violations, []);
        });
    });

    describe("no-world-ingress-to-ssh-or-redis", () => {
        // A stack policy: one security group with these props is the whole stack.
        const world = (props: Record<string, unknown>) =>
            runStack(noWorldIngressToSshOrRedis, [{ type: SG, name: "sg", props }]);

        it("does not read the sources of a rule that reaches no guarded port", async () => {
            const out = await world({ ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: [U] }] });
            assert.deepEqual([out.violations, out.unknowns], [[], []]);
        });

        it("names only the world sources of a rule, not the private ones beside them", async () => {
            const out = await world({
                ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] }],
            });
            assert.deepEqual(out.violations, [
                'aws.ec2.SecurityGroup "sg": ingress[0] (tcp port 22) admits 0.0.0.0/0 to port(s) 22; no world ingress is ' +
                    "allowed to [22, 6379]. Fix: allow only known CIDRs (e.g. your office /32) or another security group, " +
                    "or use SSM Session Manager instead of SSH. Guarded ports are set in policy/config/<stack>.json " +
                    '("no-world-ingress-to-ssh-or-redis": { "ports": ... }).',
            ]);
        });

        const stack = (resources: StackResource[]) => runStack(noWorldIngressToSshOrRedis, resources);

        it("judges a group whose ingress the program left unset (computed: unknown in a preview) by its rule resources", async () => {
            const sg = { type: SG, name: "sg", props: { ingress: UNKNOWN.array } };
            const rule = (cidrIpv4: string): StackResource => ({
                type: IN,
                name: "r",
                props: { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4, securityGroupId: UNKNOWN.string },
                propertyDependencies: { securityGroupId: [stackUrn(sg)] },
            });
            const open = await stack([sg, rule("0.0.0.0/0")]);
            assert.equal(open.unknowns.length, 0);
            assert.match(open.violations.join("\n"), /aws.ec2.SecurityGroup "sg": rule .* admits 0.0.0.0\/0/);
            const closed = await stack([sg, rule("10.0.0.0/8")]);
            assert.deepEqual([closed.violations, closed.unknowns], [[], []]);
        });
        const ssh = { fromPort: 22, toPort: 22 };
        const unknownAt = async (resources: StackResource[]) => {
            const out = await stack(resources);
            assert.deepEqual(out.violations, []);
            return out.unknowns.map((u) => /value at \.(\S+) can't be known/.exec(u)?.[1]);
        };

        it("reads unknown rules through the proxy: a whole ingress list, a legacy rule's type or sources, a protocol", async () => {
            // The program's unknown list: set from another resource's output (a property dependency).
            const source = { type: "aws:ec2/vpc:Vpc", name: "src", props: {} };
            assert.deepEqual(
                await unknownAt([
                    source,
                    {
                        type: SG,
                        name: "sg",
                        props: { ingress: UNKNOWN.array },
                        propertyDependencies: { ingress: [stackUrn(source)] },
                    },
                ]),
                ["ingress"],
            );
            const legacy = (props: Record<string, unknown>): StackResource => ({ type: SGR, name: "r", props });
            assert.deepEqual(
                await unknownAt([legacy({ type: U, protocol: "tcp", ...ssh, cidrBlocks: ["0.0.0.0/0"] })]),
                ["type"],
            );
            assert.deepEqual(await unknownAt([legacy({ type: "ingress", protocol: "tcp", ...ssh, cidrBlocks: [U] })]), [
                "cidrBlocks.0",
            ]);
            assert.deepEqual(
                await unknownAt([legacy({ type: "ingress", protocol: "tcp", ...ssh, ipv6CidrBlocks: [U] })]),
                ["ipv6CidrBlocks.0"],
            );
            assert.deepEqual(
                await unknownAt([legacy({ type: "ingress", protocol: U, ...ssh, cidrBlocks: ["0.0.0.0/0"] })]),
                ["protocol"],
            );
            assert.deepEqual(
                await unknownAt([{ type: IN, name: "r", props: { ipProtocol: U, ...ssh, cidrIpv4: "0.0.0.0/0" } }]),
                ["ipProtocol"],
            );
            assert.deepEqual(
                await unknownAt([
                    { type: SG, name: "sg", props: { ingress: [{ protocol: U, ...ssh, cidrBlocks: ["0.0.0.0/0"] }] } },
                ]),
                ["ingress.0.protocol"],
            );
            assert.deepEqual(
                await unknownAt([
                    { type: SG, name: "sg", props: { ingress: [{ protocol: "tcp", ...ssh, ipv6CidrBlocks: [U] }] } },
                ]),
                ["ingress.0.ipv6CidrBlocks.0"],
            );
        });

        it("reads the unknown rule, not a known one before it on the same port", async () => {
            const ingress = [
                { protocol: "tcp", ...ssh, cidrBlocks: ["10.0.0.0/8"] },
                { protocol: "tcp", ...ssh, cidrBlocks: [U] },
            ];
            assert.deepEqual(await unknownAt([{ type: SG, name: "sg", props: { ingress } }]), [
                "ingress.1.cidrBlocks.0",
            ]);
        });

        it("names the rule itself when its group is not a security group of the stack, or not known", async () => {
            const component: StackResource = { type: "redis-stack:index:Group", name: "c", props: {} };
            const rule = (name: string, props: Record<string, unknown>, deps?: StackResource[]): StackResource => ({
                type: IN,
                name,
                props: { ipProtocol: "tcp", ...ssh, cidrIpv4: "0.0.0.0/0", ...props },
                ...(deps ? { propertyDependencies: { securityGroupId: deps.map(stackUrn) } } : {}),
            });
            const out = await stack([
                component,
                rule("by-component", { securityGroupId: U }, [component]),
                rule("unknown-id", { securityGroupId: U }),
                rule("no-id", {}),
            ]);
            assert.deepEqual(
                out.violations.map((v) => v.slice(0, v.indexOf(":"))),
                [
                    'aws.vpc.SecurityGroupIngressRule "by-component"',
                    'aws.vpc.SecurityGroupIngressRule "unknown-id"',
                    'aws.vpc.SecurityGroupIngressRule "no-id"',
                ],
            );
            const dsg: StackResource = { type: DSG, name: "default", props: {} };
            const onDefault = await stack([dsg, rule("r", { securityGroupId: U }, [dsg])]);
            assert.match(onDefault.violations[0] ?? "", /^aws\.ec2\.DefaultSecurityGroup "default": rule /);
        });

        it("keeps groups named by different literal ids apart, and names the two halves of the world in one message", async () => {
            const half = (name: string, id: string, cidrIpv4: string): StackResource => ({
                type: IN,
                name,
                props: { securityGroupId: id, ipProtocol: "tcp", ...ssh, cidrIpv4 },
            });
            const apart = await stack([half("a", "sg-1", "0.0.0.0/1"), half("b", "sg-2", "128.0.0.0/1")]);
            assert.deepEqual(apart.violations, []);
            const together = await stack([half("a", "sg-1", "0.0.0.0/1"), half("b", "sg-1", "128.0.0.0/1")]);
            assert.deepEqual(together.violations, [
                'security group "sg-1": rule aws.vpc.SecurityGroupIngressRule "a" (tcp port 22) admits 0.0.0.0/1, and ' +
                    'rule aws.vpc.SecurityGroupIngressRule "b" (tcp port 22) admits 128.0.0.0/1: together the whole ' +
                    "IPv4 internet, to port(s) 22; no world ingress is allowed to [22, 6379]. Fix: allow only known CIDRs " +
                    "(e.g. your office /32) or another security group, or use SSM Session Manager instead of SSH. Guarded " +
                    'ports are set in policy/config/<stack>.json ("no-world-ingress-to-ssh-or-redis": { "ports": ... }).',
            ]);
        });

        it("reports different rules opening different ports separately", async () => {
            const out = await world({
                ingress: [
                    { protocol: "tcp", ...ssh, cidrBlocks: ["0.0.0.0/0"] },
                    { protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"] },
                ],
            });
            assert.deepEqual(
                out.violations.map((v) => /: (ingress\[\d\]) .* to port\(s\) ([\d, ]+);/.exec(v)?.slice(1)),
                [
                    ["ingress[0]", "22"],
                    ["ingress[1]", "6379"],
                ],
            );
        });

        it("passes a group without inline ingress", async () => {
            const out = await world({ description: "no rules" });
            assert.deepEqual([out.violations, out.unknowns, out.notApplicable], [[], [], []]);
        });
    });
});
