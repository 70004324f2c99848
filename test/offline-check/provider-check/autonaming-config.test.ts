// The `pulumi:autonaming` stack config as the engine parses it and the bridge applies it, and the auto-names of
// the types whose rules differ from the default (MetricAlarm, SNS Topic).
import * as assert from "assert";
import {
    type AutonamingConfig,
    autoName,
    parseAutonamingConfig,
    seededSuffix,
} from "../../../scripts/offline-check/provider-check";
import { check, urnOf } from "./helpers";

const CTX = { organization: "acme", project: "redis-stack", stack: "dev", config: { "redis-stack:team": "cache" } };
const TOPIC = "aws:sns/topic:Topic";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const ROLE = "aws:iam/role:Role";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";

const parse = (value: unknown) => parseAutonamingConfig(JSON.stringify(value), CTX) as AutonamingConfig;
const nameOf = (type: string, logical: string, config?: AutonamingConfig, inputs: Record<string, unknown> = {}) =>
    autoName(type, urnOf(type, logical), inputs, seededSuffix("s"), config);

describe("provider-check: auto-names of MetricAlarm and SNS Topic (pulumi-aws resources.go)", () => {
    it("names an alarm like any 255-character type", () => {
        assert.match(String(nameOf(ALARM, "cache-cpu").inputs.name), /^cache-cpu-[0-9a-f]{7}$/);
    });

    it("names a topic within 80 characters and appends .fifo to a FIFO topic's name", () => {
        assert.match(String(nameOf(TOPIC, "alerts").inputs.name), /^alerts-[0-9a-f]{7}$/);
        assert.match(
            String(nameOf(TOPIC, "alerts", undefined, { fifoTopic: true }).inputs.name),
            /^alerts-[0-9a-f]{7}\.fifo$/,
        );
        assert.match(
            check(TOPIC, {}, "t".repeat(73))[0].message,
            /name 't{73}-' plus 7 random chars is longer than maximum length 80/,
        );
        assert.deepStrictEqual(check(TOPIC, {}, "t".repeat(72)), []);
    });
});

describe("provider-check: the pulumi:autonaming stack config (pulumi/pulumi autonaming, bridge ComputeAutoNameDefault)", () => {
    it("verbatim: the logical name as is, no transform and no length check by the bridge (ENFORCE)", () => {
        const config = parse({ mode: "verbatim" });
        assert.strictEqual(nameOf(ROLE, "Bastion", config).inputs.name, "Bastion");
        assert.strictEqual(nameOf(RG, "My-Group", config).inputs.replicationGroupId, "My-Group");
        // The provider's validators still run on it: an upper-case id passes (validateReplicationGroupID allows it).
        assert.deepStrictEqual(check(RG, { description: "d" }, "My-Group"), []);
    });

    it("disabled: a type that auto-names fails its Check without a name; a type that does not is unaffected", () => {
        const config = parse({ mode: "disabled" });
        assert.deepStrictEqual(nameOf(ROLE, "bastion", config).failures, [
            { property: "", reason: "automatic naming is disabled but no explicit name was provided" },
        ]);
        assert.deepStrictEqual(nameOf(ROLE, "bastion", config, { name: "given" }).failures, []);
        assert.deepStrictEqual(nameOf("aws:ec2/vpc:Vpc", "vpc", config).failures, []);
    });

    it("pattern: stack expressions, ${name} and random expressions; PROPOSE applies the type's transform and maximum", () => {
        const config = parse({ pattern: "${organization}-${project}-${stack}-${config.team}-${name}-${hex(6)}" });
        assert.match(
            String(nameOf(ROLE, "Bastion", config).inputs.name),
            /^acme-redis-stack-dev-cache-Bastion-[0-9a-f]{6}$/,
        );
        assert.match(
            String(nameOf(RG, "Group", config).inputs.replicationGroupId),
            /^acme-redis-stack-dev-cache-group-[0-9a-f]{6}$/,
        );
        const kinds = parse({ pattern: "${name}_${alphanum(5)}_${string(4)}_${num(3)}_${uuid}" });
        assert.match(
            String(nameOf(ALARM, "a", kinds).inputs.name),
            /^a_[a-z0-9]{5}_[a-z]{4}_[0-9]{3}_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        const long = parse({ pattern: "${name}-${hex(40)}" });
        const failures = nameOf(RG, "group", long).failures;
        assert.strictEqual(failures.length, 1);
        assert.match(failures[0].reason, /^calculated name 'group-[0-9a-f]{40}' exceeds maximum length of 40$/);
        // PostTransform still runs on a proposed name (a FIFO topic keeps .fifo).
        assert.match(
            String(nameOf(TOPIC, "q", parse({ pattern: "${name}" }), { fifoTopic: true }).inputs.name),
            /^q\.fifo$/,
        );
        // ENFORCE: exactly the proposed name, no transform, no PostTransform.
        assert.strictEqual(
            nameOf(RG, "Group", parse({ pattern: "${name}", enforce: true })).inputs.replicationGroupId,
            "Group",
        );
    });

    it("per-provider and per-resource overrides win over the root, in the engine's order", () => {
        const config = parse({
            mode: "verbatim",
            providers: { aws: { pattern: "aws-${name}", resources: { [ROLE]: { mode: "disabled" } } } },
        });
        assert.strictEqual(nameOf(ALARM, "cpu", config).inputs.name, "aws-cpu");
        assert.strictEqual(nameOf(ROLE, "r", config).failures.length, 1);
        assert.strictEqual(
            nameOf("random:index/randomPassword:RandomPassword", "p", config).inputs.name,
            undefined, // no auto-named property
        );
        // A provider entry without its own strategy takes the root's.
        const inherited = parse({
            mode: "verbatim",
            providers: { aws: { resources: { [ROLE]: { pattern: "r-${name}" } } } },
        });
        assert.strictEqual(nameOf(ALARM, "cpu", inherited).inputs.name, "cpu");
        assert.strictEqual(nameOf(ROLE, "x", inherited).inputs.name, "r-x");
    });

    it("refuses what the engine refuses, with its messages", () => {
        const fails = (value: unknown, message: RegExp) => assert.throws(() => parse(value), message);
        fails(
            { mode: "verbatim", pattern: "${name}" },
            /failed to parse autonaming config: cannot specify both mode and pattern\/enforce/,
        );
        fails({ enforce: true }, /pattern must be specified when enforce is true/);
        fails({ mode: "random" }, /invalid naming mode: random/);
        fails({ mode: "verbatim", extra: 1 }, /unknown field "extra"/);
        fails(
            { providers: { aws: { resources: { [ROLE]: {} } } } },
            /mode or pattern must be specified for resource "aws:iam\/role:Role"/,
        );
        fails({ pattern: "${config.missing}" }, /no value for configuration key "redis-stack:missing"/);
        assert.strictEqual(parseAutonamingConfig(undefined, CTX), undefined);
        assert.strictEqual(nameOf(ROLE, "b", parse({ mode: "default" })).inputs.name !== "b", true);
    });
});
