// The hand-written deployability classes no API model covers (issue 17): IAM policy grammar, VPC geometry, the
// security group rules quota, ElastiCache cross-property rules and CloudWatch alarm statistics. Each case is a
// refusal AWS (or the provider at create) makes, or its accepted neighbour.
import { strict as assert } from "assert";
import { elasticacheCreatable, elasticacheUserGroupDefaultUser } from "../../policy/deployable-cache";
import { securityGroupRulesQuota, vpcSubnetGeometry } from "../../policy/deployable-geometry";
import { iamPolicyGrammar } from "../../policy/deployable-iam";
import { cloudwatchAlarmStatistic } from "../../policy/deployable-monitoring";
import {
    iamPolicyGrammarProblems,
    privateIpProblem,
    subnetGeometryProblems,
    userGroupLacksDefaultUser,
    userGroupMemberNames,
} from "../../policy/shared";
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

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const INSTANCE = "aws:ec2/instance:Instance";
const ENI = "aws:ec2/networkInterface:NetworkInterface";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const USER_GROUP = "aws:elasticache/userGroup:UserGroup";
const USER = "aws:elasticache/user:User";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const TRUST = { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" };
const READ = {
    Effect: "Allow",
    Action: "ssm:GetParameter",
    Resource: "arn:aws:ssm:us-east-1:123456789012:parameter/x",
};

describe("iam-policy-grammar (IAM MalformedPolicyDocument)", () => {
    const run = (type: string, props: Record<string, unknown>) =>
        runResource(iamPolicyGrammar, { type, name: "p", props });

    it("passes a trust policy without Resource and identity statements with Resource or NotResource", async () => {
        assertPass(await run(ROLE, { assumeRolePolicy: doc({ Sid: "Ec2", ...TRUST }) }));
        assertPass(
            await run(POLICY, { policy: doc(READ, { Effect: "Deny", Action: "*", NotResource: "arn:aws:s3:::b" }) }),
        );
        assertPass(await run(ROLE_POLICY, { role: UNKNOWN.string, policy: UNKNOWN.string }));
    });

    it("refuses Resource (or NotResource) in a trust policy", async () => {
        assertViolations(
            await run(ROLE, { assumeRolePolicy: doc({ ...TRUST, Resource: "*" }) }),
            "p",
            /assumeRolePolicy Statement\[0\]: Has prohibited field Resource; IAM refuses it/,
        );
        assertViolations(
            await run(ROLE, { assumeRolePolicy: doc({ ...TRUST, NotResource: "*" }) }),
            "p",
            /prohibited field NotResource/,
        );
    });

    it("refuses an identity statement without Resource, in managed, inline and role inline policies", async () => {
        const bare = doc({ Effect: "Allow", Action: "s3:GetObject" });
        assertViolations(
            await run(POLICY, { policy: bare }),
            "p",
            /policy Statement\[0\]: Policy statement must contain resources; IAM refuses it/,
        );
        assertViolations(await run(ROLE_POLICY, { role: "r", policy: bare }), "p", /must contain resources/);
        assertViolations(
            await run(ROLE, { assumeRolePolicy: doc(TRUST), inlinePolicies: [{ name: "i", policy: bare }] }),
            "p",
            /inlinePolicies\[0\]\.policy Statement\[0\]: Policy statement must contain resources/,
        );
    });

    it("refuses a Sid outside [0-9A-Za-z] and a repeated Sid", async () => {
        assertViolations(
            await run(POLICY, { policy: doc({ ...READ, Sid: "read-ssm" }) }),
            "p",
            /Statement IDs \(SID\) must be alpha-numeric/,
        );
        assertViolations(
            await run(ROLE, { assumeRolePolicy: doc({ ...TRUST, Sid: "ec2 assume" }) }),
            "p",
            /must be alpha-numeric/,
        );
        assertViolations(
            await run(POLICY, { policy: doc({ ...READ, Sid: "A" }, { ...READ, Sid: "A" }) }),
            "p",
            /Statement\[1\]: Statement IDs \(SID\) in a single policy must be unique/,
        );
    });

    it("leaves a text that is not a JSON object to the provider's Check", () => {
        assert.deepEqual(iamPolicyGrammarProblems("{not json", "identity"), []);
        assert.deepEqual(iamPolicyGrammarProblems("[]", "identity"), []);
        // A single statement object counts as the statement list.
        assert.equal(
            iamPolicyGrammarProblems(JSON.stringify({ Statement: { Effect: "Allow", Action: "*" } }), "identity")
                .length,
            1,
        );
    });
});

describe("vpc-subnet-geometry (EC2 CreateSubnet, RunInstances)", () => {
    const vpc: StackResource = { type: VPC, name: "vpc", props: { cidrBlock: "10.42.0.0/16" } };
    const subnet = (name: string, cidrBlock: unknown, parent = vpc): StackResource => ({
        type: SUBNET,
        name,
        props: { vpcId: UNKNOWN.string, cidrBlock },
        propertyDependencies: { vpcId: [stackUrn(parent)] },
    });
    const run = (...resources: StackResource[]) => runStack(vpcSubnetGeometry, resources);

    it("passes the program's shape: /24s inside the /16, disjoint", async () =>
        assertPass(await run(vpc, subnet("a", "10.42.0.0/24"), subnet("b", "10.42.1.0/24"))));

    it("refuses a subnet outside its VPC, overlapping another, or smaller than /28", async () => {
        assertViolations(
            await run(vpc, subnet("a", "10.43.0.0/24")),
            "a",
            /InvalidSubnet\.Range: The CIDR '10\.43\.0\.0\/24' is invalid \(outside the VPC's 10\.42\.0\.0\/16\)/,
        );
        assertViolations(
            await run(vpc, subnet("a", "10.42.0.0/24"), subnet("b", "10.42.0.128/25")),
            "b",
            /InvalidSubnet\.Conflict: The CIDR '10\.42\.0\.128\/25' conflicts with another subnet/,
        );
        assertViolations(
            await run(vpc, subnet("a", "10.42.0.0/29")),
            "a",
            /InvalidSubnet\.Range: The CIDR '10\.42\.0\.0\/29' is invalid \(a subnet is \/16 to \/28\)/,
        );
    });

    it("counts an associated secondary CIDR block, and judges nothing against a VPC block it does not know", async () => {
        const association: StackResource = {
            type: "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
            name: "second",
            props: { vpcId: UNKNOWN.string, cidrBlock: "10.43.0.0/16" },
            propertyDependencies: { vpcId: [stackUrn(vpc)] },
        };
        assertPass(await run(vpc, association, subnet("a", "10.43.0.0/24")));
        assertPass(await run({ ...vpc, props: { cidrBlock: UNKNOWN.string } }, subnet("a", "10.43.0.0/24")));
        assertPass(await run(vpc, subnet("a", UNKNOWN.string), subnet("b", "10.42.0.0/24")));
    });

    it("refuses a private IP outside its subnet or among its five reserved addresses", async () => {
        const a = subnet("a", "10.42.0.0/24");
        const host = (type: string, props: Record<string, unknown>): StackResource => ({
            type,
            name: "host",
            props: { subnetId: UNKNOWN.string, ...props },
            propertyDependencies: { subnetId: [stackUrn(a)] },
        });
        assertPass(await run(vpc, a, host(INSTANCE, { privateIp: "10.42.0.4" })));
        assertPass(await run(vpc, a, host(INSTANCE, { privateIp: "10.42.0.254" })));
        for (const ip of ["10.42.0.0", "10.42.0.1", "10.42.0.2", "10.42.0.3", "10.42.0.255"]) {
            assertViolations(
                await run(vpc, a, host(INSTANCE, { privateIp: ip })),
                "host",
                /is in subnet's reserved address range/,
            );
        }
        assertViolations(
            await run(vpc, a, host(ENI, { privateIps: ["10.42.0.10", "10.42.1.10"] })),
            "host",
            /Address 10\.42\.1\.10 does not fall within the subnet's address range/,
        );
        assert.equal(privateIpProblem("10.42.0.0/24", "not-an-ip"), undefined);
    });

    it("does not apply to a stack without subnets", async () => assertNotApplicable(await run(vpc), /no subnet/));

    it("keeps the first of two overlapping subnets and names the second (pure)", () =>
        assert.deepEqual(
            subnetGeometryProblems(
                ["10.0.0.0/16"],
                [
                    { id: "x", cidr: "10.0.0.0/20" },
                    { id: "y", cidr: "10.0.8.0/24" },
                ],
            ).map((p) => p.id),
            ["y"],
        ));
});

describe("security-group-rules-quota (VPC quotas: 60 rules per direction and IP family)", () => {
    const group: StackResource = { type: SG, name: "sg", props: { vpcId: UNKNOWN.string, ingress: [] } };
    const cidrs = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => `10.${offset}.${i}.0/24`);
    const rule = (name: string, props: Record<string, unknown>): StackResource => ({
        type: IN,
        name,
        props: { securityGroupId: UNKNOWN.string, ipProtocol: "tcp", fromPort: 22, toPort: 22, ...props },
        propertyDependencies: { securityGroupId: [stackUrn(group)] },
    });

    it("passes 60 inbound IPv4 rules, counting each CIDR as a rule", async () =>
        assertPass(
            await runStack(securityGroupRulesQuota, [
                {
                    ...group,
                    props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: cidrs(59) }] },
                },
                rule("one", { cidrIpv4: "192.0.2.0/24" }),
            ]),
        ));

    it("refuses a 61st inbound IPv4 rule, inline and standalone rules together", async () =>
        assertViolations(
            await runStack(securityGroupRulesQuota, [
                {
                    ...group,
                    props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: cidrs(60) }] },
                },
                rule("one", { cidrIpv4: "192.0.2.0/24" }),
            ]),
            "sg",
            /61 inbound IPv4 rules, over the quota of 60 per security group/,
        ));

    it("counts IPv4 and IPv6 apart, and follows a raised quota", async () => {
        const mixed = {
            ingress: [
                {
                    protocol: "tcp",
                    fromPort: 22,
                    toPort: 22,
                    cidrBlocks: cidrs(40),
                    ipv6CidrBlocks: Array.from({ length: 40 }, (_, i) => `2001:db8:${i}::/48`),
                },
            ],
        };
        assertPass(await runStack(securityGroupRulesQuota, [{ ...group, props: mixed }]));
        const many = { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: cidrs(70) }] };
        assertPass(
            await runStack(securityGroupRulesQuota, [{ ...group, props: many }], {
                config: { "security-group-rules-quota": { maxRulesPerDirection: 100 } },
            }),
        );
    });
});

describe("ElastiCache cross-property rules", () => {
    const creatable = (props: Record<string, unknown>) =>
        runResource(elasticacheCreatable, { type: RG, name: "cache", props });

    it("refuses data tiering off r6gd, and passes it on r6gd", async () => {
        assertViolations(
            await creatable({ nodeType: "cache.r7g.large", dataTieringEnabled: true }),
            "cache",
            /data tiering only on r6gd nodes/,
        );
        assertPass(await creatable({ nodeType: "cache.r6gd.xlarge", dataTieringEnabled: true }));
    });

    it("refuses cache security group names with a subnet group", async () => {
        assertViolations(
            await creatable({
                nodeType: "cache.t3.micro",
                securityGroupNames: ["legacy"],
                subnetGroupName: UNKNOWN.string,
            }),
            "cache",
            /securityGroupNames \(cache security groups\) with a subnet group/,
        );
        assertPass(await creatable({ nodeType: "cache.t3.micro", securityGroupNames: [], subnetGroupName: "g" }));
    });

    const user = (name: string, userName: unknown): StackResource => ({
        type: USER,
        name,
        props: { userName, engine: "redis" },
    });
    const group = (userIds: unknown, users: StackResource[], engine: unknown = "redis"): StackResource => ({
        type: USER_GROUP,
        name: "users",
        props: { engine, userGroupId: "users", userIds },
        propertyDependencies: { userIds: users.map(stackUrn) },
    });
    const runGroup = (...resources: StackResource[]) => runStack(elasticacheUserGroupDefaultUser, resources);

    it("refuses a Redis OSS user group whose users are all the program's and none is named default", async () => {
        const app = user("app", "app");
        assertViolations(
            await runGroup(app, group([UNKNOWN.string], [app])),
            "users",
            /no user named "default"; ElastiCache refuses/,
        );
    });

    it("passes the default user id, a user named default, Valkey groups and what it cannot tell", async () => {
        const app = user("app", "app");
        const mine = user("mine", "default");
        assertPass(await runGroup(app, group(["default", UNKNOWN.string], [app])));
        assertPass(await runGroup(app, mine, group([UNKNOWN.string, UNKNOWN.string], [app, mine])));
        assertPass(await runGroup(app, group([UNKNOWN.string], [app], "valkey")));
        assertPass(await runGroup(app, group([UNKNOWN.string], [app], UNKNOWN.string)));
        assertPass(await runGroup(group(["existing-user"], []))); // an existing user may be named default
        assertPass(await runGroup(app, group(UNKNOWN.string, [app])));
        assertPass(await runGroup(user("app", UNKNOWN.string), group([UNKNOWN.string], [user("app", UNKNOWN.string)])));
        assert.equal(userGroupLacksDefaultUser({ engine: "REDIS", memberNames: ["a", undefined] }), undefined);
        assert.equal(userGroupLacksDefaultUser({ engine: "REDIS", memberNames: ["a"] }), true);
    });

    it("resolves known user ids to the program's users (userId input) and unknown ones to the rest", async () => {
        const app: StackResource = {
            type: USER,
            name: "app",
            props: { userId: "app", userName: "app", engine: "redis" },
        };
        assertViolations(await runGroup(app, group(["app"], [app])), "users", /no user named "default"/);
        assert.deepEqual(
            userGroupMemberNames(
                ["default", "app", undefined, undefined, "elsewhere"],
                [
                    { userId: "app", userName: "app" },
                    { userId: undefined, userName: "ops" },
                ],
            ),
            ["default", "app", "ops", undefined, undefined],
        );
    });
});

describe("cloudwatch-alarm-statistic (metric_alarm.go validMetricAlarm, PutMetricAlarm)", () => {
    const run = (props: Record<string, unknown>) =>
        runResource(cloudwatchAlarmStatistic, { type: ALARM, name: "cpu", props });
    const base = {
        metricName: "CPUUtilization",
        namespace: "AWS/ElastiCache",
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: 1,
        period: 300,
        threshold: 80,
    };

    it("passes exactly one of statistic and extendedStatistic, or metric queries", async () => {
        assertPass(await run({ ...base, statistic: "Average" }));
        assertPass(await run({ ...base, extendedStatistic: "p99" }));
        assertPass(
            await run({
                comparisonOperator: "GreaterThanThreshold",
                evaluationPeriods: 1,
                threshold: 80,
                metricQueries: [{ id: "e1", expression: "m1*2", returnData: true }],
            }),
        );
        assertPass(await run({ ...base, statistic: UNKNOWN.string }));
    });

    it("refuses an alarm without a statistic, or with both", async () => {
        assertViolations(
            await run(base),
            "cpu",
            /neither statistic nor extendedStatistic nor metricQueries; .*One of `statistic` or `extended_statistic` must be set/,
        );
        assertViolations(
            await run({ ...base, statistic: "Average", extendedStatistic: "p99" }),
            "cpu",
            /both statistic and extendedStatistic/,
        );
    });
});
