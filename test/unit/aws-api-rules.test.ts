// The shared AWS API rules on their own (policy/shared/aws-api): the constraint evaluator at each bound and
// target, and each documented rule at its boundaries, with the property it names and the reason it gives.
import * as assert from "assert";
import {
    type ApiConstraint,
    apiConstraintFailures,
    constraintFailures,
    DOCUMENTED_RULES,
    type Failure,
    ssmParameterNameProblem,
} from "../../policy/shared";

const UNKNOWN = "<unknown>";
const isUnknown = (v: unknown): boolean =>
    v === UNKNOWN || (typeof v === "object" && v !== null && Object.values(v).some(isUnknown));
const base: ApiConstraint = { property: "p", target: "value", member: "svc Op.Member" };
const judge = (c: Partial<ApiConstraint>, inputs: Record<string, unknown>) =>
    constraintFailures({ ...base, ...c }, inputs, isUnknown);
const reasons = (failures: Failure[]) => failures.map((f) => `${f.property}: ${f.reason}`);

describe("AWS API constraint evaluator", () => {
    it("string lengths at both bounds, in AWS's words", () => {
        const c = { minLength: 2, maxLength: 4 };
        assert.deepStrictEqual(judge(c, { p: "ab" }), []);
        assert.deepStrictEqual(judge(c, { p: "abcd" }), []);
        assert.deepStrictEqual(reasons(judge(c, { p: "a" })), [
            "p: AWS's svc Op would refuse it at `pulumi up`: Value at 'member' failed to satisfy constraint: Member must have length greater than or equal to 2",
        ]);
        assert.deepStrictEqual(reasons(judge(c, { p: "abcde" })), [
            "p: AWS's svc Op would refuse it at `pulumi up`: Value at 'member' failed to satisfy constraint: Member must have length less than or equal to 4",
        ]);
    });

    it("patterns match whole values with Unicode classes; enums list their values", () => {
        const c = { pattern: "[\\p{L}]+", jsPattern: "^(?:[\\p{L}]+)$" };
        assert.deepStrictEqual(judge(c, { p: "Équipe" }), []);
        assert.match(
            reasons(judge(c, { p: "a1" }))[0],
            /Member must satisfy regular expression pattern: \[\\p\{L\}\]\+$/,
        );
        assert.deepStrictEqual(judge({ enum: ["A", "B"] }, { p: "B" }), []);
        assert.match(
            reasons(judge({ enum: ["A", "B"] }, { p: "C" }))[0],
            /Member must satisfy enum value set: \[A, B\]$/,
        );
    });

    it("numeric ranges at both bounds; a number's range does not judge strings and a length does not judge numbers", () => {
        const c = { min: 1, max: 5 };
        assert.deepStrictEqual(judge(c, { p: 1 }), []);
        assert.deepStrictEqual(judge(c, { p: 5 }), []);
        assert.match(reasons(judge(c, { p: 0 }))[0], /Member must have value greater than or equal to 1$/);
        assert.match(reasons(judge(c, { p: 6 }))[0], /Member must have value less than or equal to 5$/);
        assert.deepStrictEqual(judge({ max: 5 }, { p: -100 }), []);
        assert.deepStrictEqual(judge(c, { p: "abcdefgh" }), []);
        assert.deepStrictEqual(judge({ maxLength: 1 }, { p: 12345 }), []);
    });

    it("list and map sizes: an empty one is not sent, so only a non-empty one breaks a minimum", () => {
        const c = { minLength: 2, maxLength: 3 };
        assert.deepStrictEqual(judge(c, { p: [] }), []);
        assert.match(reasons(judge(c, { p: ["a"] }))[0], /^p: .*greater than or equal to 2$/);
        assert.deepStrictEqual(judge(c, { p: ["a", "b", "c"] }), []);
        assert.match(reasons(judge(c, { p: ["a", "b", "c", "d"] }))[0], /less than or equal to 3$/);
        assert.deepStrictEqual(judge(c, { p: { a: "1", b: "2", c: "3" } }), []);
        assert.match(reasons(judge(c, { p: { a: "1", b: "2", c: "3", d: "4" } }))[0], /less than or equal to 3$/);
        assert.deepStrictEqual(judge(c, { p: ["a", UNKNOWN, "c"] }), [], "the size of a list with unknown items");
    });

    it("items, keys and values name their element; other shapes and unknowns are not judged", () => {
        assert.deepStrictEqual(
            judge({ target: "items", maxLength: 1 }, { p: ["a", "bb", UNKNOWN, "cc"] }).map((f) => f.property),
            ["p[1]", "p[3]"],
        );
        assert.deepStrictEqual(judge({ target: "items", maxLength: 1 }, { p: "bb" }), []);
        assert.deepStrictEqual(
            judge({ target: "keys", maxLength: 1 }, { p: { a: "long", bb: "x" } }).map((f) => f.property),
            ["p.bb"],
        );
        assert.deepStrictEqual(
            judge({ target: "values", maxLength: 1 }, { p: { a: "long", bb: "x", c: UNKNOWN } }).map((f) => f.property),
            ["p.a"],
        );
        assert.deepStrictEqual(judge({ target: "values", maxLength: 1 }, { p: ["long"] }), []);
        assert.deepStrictEqual(judge({ target: "keys", maxLength: 1 }, { p: UNKNOWN }), []);
        assert.deepStrictEqual(judge({ target: "values", maxLength: 1 }, { p: "long" }), []);
        assert.deepStrictEqual(judge({ maxLength: 1 }, { p: UNKNOWN }), []);
    });

    it("required: absent or null is refused; nothing else is judged on an absent value", () => {
        assert.match(reasons(judge({ required: true }, {}))[0], /Member must not be null$/);
        assert.match(reasons(judge({ required: true }, { p: null }))[0], /Member must not be null$/);
        assert.deepStrictEqual(judge({ minLength: 1 }, { p: null }), []);
        assert.deepStrictEqual(apiConstraintFailures(undefined, { p: "" }, isUnknown), []);
    });
});

const rule = (type: string) => (inputs: Record<string, unknown>) => reasons(DOCUMENTED_RULES[type](inputs, isUnknown));
const documentedProblem =
    /^[\w.[\]]+: AWS would refuse it at `pulumi up`: .* \(https:\/\/docs\.aws\.amazon\.com\/.+\)$/;

describe("documented AWS rules at their boundaries", () => {
    it("SSM parameter names: 15 levels, 966 characters", () => {
        assert.strictEqual(ssmParameterNameProblem(`/${Array(15).fill("a").join("/")}`), undefined);
        assert.match(ssmParameterNameProblem(`/${Array(16).fill("a").join("/")}`) ?? "", /fifteen levels/);
        assert.strictEqual(ssmParameterNameProblem(`/${"a".repeat(965)}`), undefined);
        assert.match(ssmParameterNameProblem(`/${"a".repeat(966)}`) ?? "", /1011 characters/);
        assert.strictEqual(ssmParameterNameProblem("/a//b"), undefined);
    });

    it("SSM parameters: the property named, the value's bytes per tier", () => {
        const param = rule("aws:ssm/parameter:Parameter");
        assert.deepStrictEqual(param({ name: UNKNOWN, value: "x".repeat(4096) }), []);
        const [nameLine] = param({ name: "a b" });
        assert.match(nameLine, /^name: /);
        assert.match(nameLine, documentedProblem);
        assert.deepStrictEqual(param({ name: "/a", value: "x".repeat(4097) }).length, 1);
        assert.match(
            param({ name: "/a", value: "x".repeat(4097) })[0],
            /^value: .*the value is 4097 bytes; Standard parameters have a value limit of 4 KB \(tier Advanced allows 8 KB\)/,
        );
        assert.match(
            param({ name: "/a", tier: "Advanced", insecureValue: "x".repeat(8193) })[0],
            /^insecureValue: .*Advanced parameters have a value limit of 8 KB \(https/,
        );
        assert.deepStrictEqual(param({ name: "/a", tier: "Intelligent-Tiering", value: "x".repeat(8192) }), []);
        assert.deepStrictEqual(param({ name: "/a", tier: "Unknown-Tier", value: "x".repeat(9000) }), []);
    });

    it("cache subnet and parameter group names name the property", () => {
        assert.match(rule("aws:elasticache/subnetGroup:SubnetGroup")({ name: "a_b" })[0], /^name: /);
        assert.deepStrictEqual(rule("aws:elasticache/subnetGroup:SubnetGroup")({ name: "a".repeat(255) }), []);
        assert.match(rule("aws:elasticache/subnetGroup:SubnetGroup")({ name: "a".repeat(256) })[0], documentedProblem);
        const pg = rule("aws:elasticache/parameterGroup:ParameterGroup");
        assert.match(pg({ name: "a-" })[0], /^name: .*cannot end with a hyphen/);
        assert.match(pg({ name: "a_b-c" })[0], /^name: .*must begin with a letter/);
        assert.deepStrictEqual(pg({ name: UNKNOWN }), []);
        assert.deepStrictEqual(pg({ name: "a".repeat(255) }), []);
    });

    it("SNS topics: FIFO names, unknown fifo flags and names are not judged", () => {
        const topic = rule("aws:sns/topic:Topic");
        assert.deepStrictEqual(topic({ name: `${"a".repeat(251)}.fifo`, fifoTopic: true }), []);
        assert.match(topic({ name: `${"a".repeat(252)}.fifo`, fifoTopic: true })[0], /^name: .*\.fifo suffix/);
        assert.match(topic({ name: "x.fifo.old", fifoTopic: true })[0], /\.fifo suffix/);
        assert.match(topic({ name: "z/x.fifo", fifoTopic: true })[0], /\.fifo suffix/);
        assert.deepStrictEqual(topic({ name: "plain", fifoTopic: false }), []);
        assert.match(topic({ name: "a b", fifoTopic: null })[0], /^name: .*only uppercase and lowercase/);
        assert.deepStrictEqual(topic({ name: "a b", fifoTopic: UNKNOWN }), []);
        assert.deepStrictEqual(topic({ name: UNKNOWN, fifoTopic: true }), []);
    });

    it("SNS subscription protocols", () => {
        const sub = rule("aws:sns/topicSubscription:TopicSubscription");
        for (const protocol of [
            "email",
            "email-json",
            "https",
            "sqs",
            "lambda",
            "firehose",
            "application",
            "sms",
            "http",
        ]) {
            assert.deepStrictEqual(sub({ protocol }), [], protocol);
        }
        assert.match(
            sub({ protocol: "Email" })[0],
            /^protocol: .*supported protocols are http, https, email, .*\(got "Email"\)/,
        );
        assert.deepStrictEqual(sub({ protocol: UNKNOWN }), []);
    });

    it("alarms: periods, the one-day window (needs both known), treatMissingData", () => {
        const alarm = rule("aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.match(
            alarm({ period: -60 })[0],
            /^period: .*valid periods are 10, 20, 30, and any multiple of 60 \(got -60\)/,
        );
        assert.match(alarm({ period: 0 })[0], /^period: /);
        assert.deepStrictEqual(alarm({ period: 86400, evaluationPeriods: 1 }), []);
        assert.match(alarm({ period: 86460, evaluationPeriods: 1 })[0], /^evaluationPeriods: .*86460 s > 86400 s/);
        assert.deepStrictEqual(alarm({ evaluationPeriods: 100000 }), []);
        assert.deepStrictEqual(alarm({ period: 60, evaluationPeriods: UNKNOWN }), []);
        assert.match(alarm({ treatMissingData: "Missing" })[0], /^treatMissingData: .*\(got "Missing"\)/);
        assert.deepStrictEqual(alarm({ period: "60" }), []);
    });

    it("RBAC passwords: 16 and 128 characters, printable ASCII anchored at both ends, two at most", () => {
        const user = rule("aws:elasticache/user:User");
        assert.deepStrictEqual(user({ passwords: ["p".repeat(16), "q".repeat(128)] }), []);
        assert.match(user({ passwords: ["p".repeat(16), "q".repeat(129)] })[0], /^passwords\[1\]: .*this one has 129/);
        assert.match(user({ passwords: [` ${"p".repeat(16)}`] })[0], /^passwords\[0\]: .*printable ASCII/);
        assert.match(user({ passwords: [`${"p".repeat(16)} `] })[0], /^passwords\[0\]: .*printable ASCII/);
        assert.match(user({ passwords: ["a", "b", "c"].map((c) => c.repeat(16)) })[0], /^passwords: .*up to two/);
        assert.deepStrictEqual(user({ passwords: [UNKNOWN, 7] }), []);
        assert.match(user({ passwords: [UNKNOWN, "short"] })[0], /^passwords\[1\]: /);
        assert.match(user({ passwords: [UNKNOWN, UNKNOWN, UNKNOWN] })[0], /^passwords: .*up to two/);
        assert.deepStrictEqual(user({ passwords: UNKNOWN }), []);
    });

    it("tags: key 1 to 128, value up to 256, aws: prefix, characters where the service restricts them", () => {
        const topic = rule("aws:sns/topic:Topic");
        assert.deepStrictEqual(topic({ tags: { ["k".repeat(128)]: "v".repeat(256) } }), []);
        assert.match(
            topic({ tags: { "": "x" } })[0],
            /^tags\.: .*a tag key has 1 to 128 characters \(this one has 0\)/,
        );
        assert.match(topic({ tags: { ["k".repeat(129)]: "x" } })[0], /this one has 129/);
        assert.match(
            topic({ tags: { k: "v".repeat(257) } })[0],
            /^tags\.k: .*at most 256 characters \(this one has 257\)/,
        );
        assert.match(topic({ tags: { "AWS:x": "v" } })[0], /^tags\.AWS:x: .*aws: prefix is reserved/);
        assert.match(
            topic({ tags: { "k*": "v" } })[0],
            /^tags\.k\*: .*a tag key may contain only letters, numbers, spaces and _ \. : \/ = \+ - @/,
        );
        assert.match(topic({ tags: { k: "v*" } })[0], /^tags\.k: .*a tag value may contain only/);
        assert.deepStrictEqual(topic({ tags: { k: UNKNOWN, j: 5 } }), []);
        assert.match(topic({ tags: { k: UNKNOWN, bad: "v*" } })[0], /^tags\.bad: /);
        assert.deepStrictEqual(topic({ tags: ["k"] }), []);
        const group = rule("aws:elasticache/replicationGroup:ReplicationGroup");
        assert.deepStrictEqual(group({ tags: { "k*": "v*;," } }), []);
        assert.match(group({ tags: { k: "v".repeat(257) } })[0], /at most 256/);
    });
});
