// What AWS's API refuses at `pulumi up`, after each type's Check: the generated constraints (AWS's API models) and
// the documented rules, per class the issue names: names and identifiers, ranges and enums. Each case has an
// invalid input refused with AWS's reason and a valid neighbour accepted; unknowns are never judged; secrets
// never printed.
import * as assert from "assert";
import { check, fails, passes, secret, UNKNOWN } from "./helpers";

const T = {
    role: "aws:iam/role:Role",
    instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    parameter: "aws:ssm/parameter:Parameter",
    subnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    parameterGroup: "aws:elasticache/parameterGroup:ParameterGroup",
    topic: "aws:sns/topic:Topic",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    user: "aws:elasticache/user:User",
    userGroup: "aws:elasticache/userGroup:UserGroup",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    group: "aws:elasticache/replicationGroup:ReplicationGroup",
};

const ROLE = { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) };
const PARAM = { type: "String", value: "v" };
const USER = { userId: "app-user", userName: "app", engine: "redis", accessString: "on ~* +@all" };
const ALARM = { comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 3, period: 300, threshold: 1 };
const API = (service: string) => new RegExp(`AWS's ${service} would refuse it at \`pulumi up\`: Value at`);

describe("provider-check: AWS API rules, names and identifiers", () => {
    it("IAM role and instance profile paths: / or /…/ of ASCII ! to DEL (iam pathType)", () => {
        passes(T.role, { ...ROLE, path: "/" });
        passes(T.role, { ...ROLE, path: "/service-role/app/" });
        fails(T.role, { ...ROLE, path: "service-role/" }, API("iam CreateRole"));
        fails(T.role, { ...ROLE, path: "/no-trailing" }, /Member must satisfy regular expression pattern: \(\\u002F\)/);
        fails(T.instanceProfile, { path: "/a b/" }, API("iam CreateInstanceProfile"));
    });

    it("SSM parameter names: hierarchy starts with /, no spaces, no aws/ssm prefix, 15 levels", () => {
        passes(T.parameter, { ...PARAM, name: "/redis-stack/dev/auth-token" });
        passes(T.parameter, { ...PARAM, name: "plain_name.v1-x" });
        passes(T.parameter, { ...PARAM, name: "/app/aws-thing" });
        fails(T.parameter, { ...PARAM, name: "redis-stack/dev/token" }, /must begin with a forward slash/);
        fails(T.parameter, { ...PARAM, name: "/my param" }, /can't include spaces/);
        fails(T.parameter, { ...PARAM, name: "/aws/mine" }, /can't be prefixed with "aws" or "ssm"/);
        fails(T.parameter, { ...PARAM, name: "SSM-param" }, /can't be prefixed with "aws" or "ssm"/);
        fails(T.parameter, { ...PARAM, name: `/${"a/".repeat(16)}x` }, /maximum depth of fifteen levels/);
        fails(T.parameter, { ...PARAM, name: "/a#b" }, /only a-zA-Z0-9_.- and \//);
    });

    it("cache subnet and parameter group names", () => {
        passes(T.subnetGroup, { name: "redis-dev-subnets-1a2b3c4", subnetIds: ["subnet-1"] });
        fails(T.subnetGroup, { name: "redis_dev", subnetIds: ["subnet-1"] }, /no more than 255 alphanumeric/);
        passes(T.parameterGroup, { name: "redis7-custom", family: "redis7" });
        fails(T.parameterGroup, { name: "7redis", family: "redis7" }, /must begin with a letter/);
        fails(T.parameterGroup, { name: "redis--x", family: "redis7" }, /two consecutive hyphens/);
        fails(T.parameterGroup, { name: "redis-x-", family: "redis7" }, /cannot end with a hyphen/);
    });

    it("SNS topic names, and a FIFO topic needs a .fifo name (its auto-name gets one: resources.go PostTransform)", () => {
        passes(T.topic, {});
        passes(T.topic, { name: "alarms_Topic-1" });
        passes(T.topic, { name: "orders.fifo", fifoTopic: true });
        fails(T.topic, { name: "alarms topic" }, /only uppercase and lowercase ASCII letters/);
        fails(T.topic, { name: "orders.fifo" }, /only uppercase and lowercase ASCII letters/);
        fails(T.topic, { name: "orders", fifoTopic: true }, /must end with the \.fifo suffix/);
        passes(T.topic, { fifoTopic: true });
        fails(T.topic, { name: "a".repeat(257) }, /between 1 and 256 characters/);
        passes(T.topic, { name: "orders", fifoTopic: UNKNOWN });
    });

    it("security group names: not sg-…, EC2-VPC characters", () => {
        passes(T.sg, { name: "redis-dev-cache (v2)" });
        fails(T.sg, { name: "sg-cache" }, /cannot start with sg-/);
        fails(T.sg, { namePrefix: "sg-cache-" }, /cannot start with sg-/);
        fails(T.sg, { name: "cache|redis" }, /a-z, A-Z, 0-9, spaces/);
    });

    it("RBAC user ids: a letter, then letters, digits, hyphens (elasticache UserId); user groups' members too", () => {
        passes(T.user, { ...USER, passwords: [secret("a".repeat(16))] });
        fails(T.user, { ...USER, userId: "1user" }, API("elasticache CreateUser"));
        fails(T.user, { ...USER, userId: "app_user" }, /'userId' failed to satisfy constraint/);
        passes(T.userGroup, { userGroupId: "app-group", engine: "redis", userIds: ["default", "app-user"] });
        const [p] = fails(
            T.userGroup,
            { userGroupId: "g", engine: "redis", userIds: ["default", "app user"] },
            API("elasticache CreateUserGroup"),
        );
        assert.strictEqual(p.property, "userIds[1]");
        passes(T.userGroup, { userGroupId: "g", engine: "redis", userIds: ["default", UNKNOWN] });
    });
});

describe("provider-check: AWS API rules, ranges and enums", () => {
    it("alarm periods: 10, 20, 30 or a multiple of 60", () => {
        for (const period of [10, 20, 30, 60, 300, 3600]) {
            passes(T.alarm, { ...ALARM, evaluationPeriods: 1, period });
        }
        for (const period of [5, 45, 90, 120.5]) {
            fails(T.alarm, { ...ALARM, evaluationPeriods: 1, period }, /valid periods are 10, 20, 30/);
        }
        fails(
            T.alarm,
            { ...ALARM, period: 0 },
            /'period' failed to satisfy constraint: Member must have value greater than or equal to 1/,
        );
        passes(T.alarm, { ...ALARM, period: UNKNOWN });
    });

    it("alarm evaluation window: period × evaluationPeriods at most one day", () => {
        passes(T.alarm, { ...ALARM, period: 60, evaluationPeriods: 1440 });
        fails(T.alarm, { ...ALARM, period: 60, evaluationPeriods: 1441 }, /86460 s > 86400 s/);
        fails(T.alarm, { ...ALARM, evaluationPeriods: 0 }, API("cloudwatch PutMetricAlarm"));
    });

    it("treatMissingData, statistic, unit and comparison operator enums", () => {
        for (const treatMissingData of ["breaching", "notBreaching", "ignore", "missing"]) {
            passes(T.alarm, { ...ALARM, treatMissingData });
        }
        fails(
            T.alarm,
            { ...ALARM, treatMissingData: "notbreaching" },
            /breaching \| notBreaching \| ignore \| missing/,
        );
        fails(T.alarm, { ...ALARM, statistic: "Avg" }, /Member must satisfy enum value set: \[SampleCount, Average/);
        fails(T.alarm, { ...ALARM, unit: "Seconds/Minute" }, /'unit' failed to satisfy constraint/);
        fails(T.alarm, { ...ALARM, alarmActions: ["a", "b", "c", "d", "e", "f"] }, /length less than or equal to 5/);
    });

    it("tag values: at most 256 characters, AWS's tag characters; keys not aws:", () => {
        passes(T.group, { description: "d", tags: { Team: "cache ops", "cost-center": "a.b:c/d=e+f-g@h_i" } });
        passes(T.role, { ...ROLE, tags: { Team: "v".repeat(256) } });
        fails(T.role, { ...ROLE, tags: { Team: "v".repeat(257) } }, /length less than or equal to 256/);
        fails(T.role, { ...ROLE, tags: { Team: "a|b" } }, API("iam CreateRole"));
        fails(T.group, { description: "d", tags: { Team: "v".repeat(257) } }, /at most 256 characters/);
        // ElastiCache allows any character in its tags; SNS, CloudWatch and KMS do not.
        passes(T.group, { description: "d", tags: { Team: "a;b, c?" } });
        fails(T.topic, { tags: { Team: "a;b" } }, /a tag value may contain only/);
        fails(T.alarm, { ...ALARM, tags: { "team*": "x" } }, /a tag key may contain only/);
        fails(T.group, { description: "d", tags: { "aws:team": "x" } }, /aws: prefix is reserved/);
        fails(
            T.topic,
            { tags: { ["k".repeat(129)]: "x" } },
            /'tags.member.key' failed to satisfy constraint: Member must have length less than or equal to 128/,
        );
        passes(T.group, { description: "d", tags: { Team: UNKNOWN } });
    });

    it("SSM value size per tier: Standard 4 KB, Advanced 8 KB (bytes, secrets not printed)", () => {
        passes(T.parameter, { name: "/a", type: "SecureString", value: secret("x".repeat(4096)) });
        const [p] = fails(
            T.parameter,
            { name: "/a", type: "SecureString", value: secret("é".repeat(2049)) },
            /the value is 4098 bytes; Standard parameters have a value limit of 4 KB/,
        );
        assert.ok(!p.message.includes("é"), p.message);
        passes(T.parameter, { name: "/a", type: "String", tier: "Advanced", insecureValue: "x".repeat(8192) });
        fails(T.parameter, { name: "/a", type: "String", tier: "Advanced", insecureValue: "x".repeat(8193) }, /8 KB/);
        passes(T.parameter, { name: "/a", type: "SecureString", value: UNKNOWN });
    });

    it("SSM type: the provider's refusal comes first, AWS's is not repeated", () => {
        fails(T.parameter, { ...PARAM, name: "/a", type: "Secure" }, /expected type to be one of/);
    });

    it('RBAC passwords: 16 to 128 printable characters without , " / @, at most two; never printed', () => {
        passes(T.user, { ...USER, passwords: [secret("p".repeat(128)), secret("q".repeat(16))] });
        const [short] = fails(
            T.user,
            { ...USER, passwords: [secret("hunter2hunter2")] },
            /16 to 128 characters \(this one has 14\)/,
        );
        assert.ok(!short.message.includes("hunter2"), short.message);
        fails(T.user, { ...USER, passwords: [secret(`${"p".repeat(16)}@`)] }, /other than , " \/ @/);
        fails(T.user, { ...USER, passwords: ["a", "b", "c"].map((c) => secret(c.repeat(16))) }, /up to two passwords/);
        passes(T.user, { ...USER, passwords: [UNKNOWN] });
    });

    it("a property the provider already refuses is not reported again by the API rules", () => {
        const problems = check(T.role, { ...ROLE, name: "n".repeat(65) });
        assert.strictEqual(problems.length, 1, problems.map((p) => p.message).join("\n"));
        assert.match(problems[0].reason, /expected length of name to be in the range \(1 - 64\)/);
    });
});
