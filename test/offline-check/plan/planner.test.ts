import * as assert from "assert";
import * as fc from "fast-check";
import { planSteps, sameValue, type PlanStep } from "../../../scripts/offline-check/plan/planner";
import { type ReplaceRule, isVersionDowngrade } from "../../../scripts/offline-check/plan/replace-rules";
import { OPAQUE_SECRET } from "../../../scripts/offline-check/plan/state";
import { SECRET_SIG, SIG_KEY, UNKNOWN } from "../../../scripts/offline-check/recorder/recording";
import { INSTANCE, RG, SG, SSM_PARAMETER, base, head, urnOf } from "./helpers";

const RG_INPUTS = {
    replicationGroupId: "redis-dev-cache-group-abc1234",
    engine: "redis",
    engineVersion: "7.1",
    nodeType: "cache.t3.micro",
    port: 6379,
    finalSnapshotIdentifier: "redis-dev-cache-group-final",
    __defaults: ["replicationGroupId"],
};

function only(steps: PlanStep[], urn: string): PlanStep {
    const s = steps.find((x) => x.urn === urn);
    assert.ok(s, `no step for ${urn}`);
    return s;
}

/** The plan of one replication group whose inputs change from RG_INPUTS by `change`. */
function planRg(change: Record<string, unknown>, headExtra = {}, baseExtra = {}) {
    const { __defaults, replicationGroupId, ...raw } = RG_INPUTS;
    void __defaults;
    const h = head(
        RG,
        "g",
        { ...raw, replicationGroupId: "redis-dev-cache-group-fffffff", ...change },
        {
            autoNamed: "replicationGroupId",
            ...headExtra,
        },
    );
    const b = base(RG, "g", { ...RG_INPUTS, replicationGroupId }, baseExtra);
    return planSteps([b], [h]);
}

describe("plan: the engine's steps against a base (planner.ts)", () => {
    it("port is ForceNew: replace, naming the property, the rule and its source; create-before-delete", () => {
        const { steps, errors } = planRg({ port: 6380 });
        const s = only(steps, urnOf(RG, "g"));
        assert.strictEqual(s.op, "replace");
        assert.deepStrictEqual(s.changed, ["port"]);
        assert.deepStrictEqual(
            s.replaceReasons.map((r) => [r.property, r.rule]),
            [["port", "ForceNew"]],
        );
        assert.match(s.replaceReasons[0].source, /elasticache\/replication_group\.go/);
        assert.strictEqual(s.deleteBeforeReplace, false);
        assert.strictEqual(s.stateful, true);
        assert.match(s.callout ?? "", /final snapshot redis-dev-cache-group-final/);
        assert.deepStrictEqual(errors, []);
    });

    it("nodeType changes in place; the auto-name is kept from the base, never a name replace", () => {
        const s = only(planRg({ nodeType: "cache.t3.small" }).steps, urnOf(RG, "g"));
        assert.strictEqual(s.op, "update");
        assert.deepStrictEqual(s.changed, ["nodeType"]);
        assert.strictEqual(only(planRg({}).steps, urnOf(RG, "g")).op, "same");
    });

    it("a program-set name differs: that is a replace, delete-before-replace (the bridge's rule for set names)", () => {
        const s = only(planRg({ replicationGroupId: "mine" }, { autoNamed: undefined }).steps, urnOf(RG, "g"));
        assert.strictEqual(s.op, "replace");
        assert.deepStrictEqual(
            s.replaceReasons.map((r) => r.property),
            ["replicationGroupId"],
        );
        assert.strictEqual(s.deleteBeforeReplace, true);
    });

    it("engine: redis -> valkey in place, valkey -> redis replaces (CustomizeDiff)", () => {
        assert.strictEqual(only(planRg({ engine: "valkey" }).steps, urnOf(RG, "g")).op, "update");
        const back = planSteps(
            [base(RG, "g", { ...RG_INPUTS, engine: "valkey" })],
            [head(RG, "g", { ...RG_INPUTS, engine: "redis" })],
        ).steps[0];
        assert.strictEqual(back.op, "replace");
        assert.strictEqual(back.replaceReasons[0].rule, "CustomizeDiff");
    });

    it("engineVersion: upgrade in place, downgrade replaces", () => {
        assert.strictEqual(only(planRg({ engineVersion: "7.2" }).steps, urnOf(RG, "g")).op, "update");
        const down = only(planRg({ engineVersion: "7.0" }).steps, urnOf(RG, "g"));
        assert.strictEqual(down.op, "replace");
        assert.deepStrictEqual(
            down.replaceReasons.map((r) => [r.property, r.rule]),
            [["engineVersion", "CustomizeDiff"]],
        );
        assert.ok(isVersionDowngrade("6.x", "6.2"));
        assert.ok(!isVersionDowngrade("6.2", "6.x"));
        assert.ok(isVersionDowngrade("7.1", "6.2.6"));
        assert.ok(!isVersionDowngrade("7.0", "7.0"));
    });

    it("snapshotArns: adding or removing replaces; unset and [] are the same", () => {
        const arn = ["arn:aws:s3:::bucket/seed.rdb"];
        assert.strictEqual(only(planRg({ snapshotArns: arn }).steps, urnOf(RG, "g")).op, "replace");
        const removed = planSteps(
            [base(RG, "g", { ...RG_INPUTS, snapshotArns: arn })],
            [head(RG, "g", { ...RG_INPUTS })],
        ).steps[0];
        assert.strictEqual(removed.op, "replace");
        assert.strictEqual(only(planRg({ snapshotArns: [] }).steps, urnOf(RG, "g")).op, "same");
    });

    it("protect on both sides: a replace is an error naming the fix; a protected delete too", () => {
        const { errors } = planRg({ port: 6380 }, { options: { protect: true } }, { protect: true });
        assert.strictEqual(errors.length, 1);
        assert.match(errors[0], /unable to replace resource .* marked for protection .*port/);
        // Unprotecting in the same update is allowed (the engine checks new.Protect && old.Protect).
        assert.deepStrictEqual(planRg({ port: 6380 }, {}, { protect: true }).errors, []);
        const gone = planSteps([base(RG, "g", RG_INPUTS, { protect: true })], []);
        assert.strictEqual(gone.steps[0].op, "delete");
        assert.match(gone.errors[0], /cannot be deleted because it is protected/);
    });

    it("a rename is create + delete, unless an alias names the old URN", () => {
        const b = base(SG, "old", { description: "d", vpcId: "vpc-1" });
        const renamed = planSteps([b], [head(SG, "new", { description: "d", vpcId: "vpc-1" })]).steps;
        assert.deepStrictEqual(
            renamed.map((s) => s.op),
            ["create", "delete"],
        );
        const aliased = planSteps(
            [b],
            [head(SG, "new", { description: "d", vpcId: "vpc-1" }, { options: { aliases: [b.urn] } })],
        ).steps;
        assert.deepStrictEqual(
            aliased.map((s) => s.op),
            ["same"],
        );
    });

    it("an unknown input is the base's unless what it depends on is created or replaced", () => {
        const vpcUrn = urnOf("aws:ec2/vpc:Vpc", "vpc");
        const vpc = (cidr: string) => head("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: cidr });
        const sg = head(SG, "sg", { description: "d", vpcId: UNKNOWN }, { propertyDependencies: { vpcId: [vpcUrn] } });
        const bases = [
            base("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" }),
            base(SG, "sg", { description: "d", vpcId: "vpc-1" }, { dependencies: [vpcUrn] }),
        ];
        const kept = planSteps(bases, [vpc("10.0.0.0/16"), sg]).steps;
        assert.deepStrictEqual(
            kept.map((s) => s.op),
            ["same", "same"],
        );
        const moved = planSteps(bases, [vpc("10.1.0.0/16"), sg]).steps;
        assert.deepStrictEqual(
            moved.map((s) => [s.type, s.op]),
            [
                ["aws:ec2/vpc:Vpc", "replace"],
                [SG, "replace"],
            ],
        );
        assert.deepStrictEqual(only(moved, urnOf(SG, "sg")).replaceReasons[0].property, "vpcId");
        // A VPC with dependents is stateful: its replace is called out, first.
        const withDependent = { ...sg, dependencies: [vpcUrn] };
        const loud = planSteps(bases, [vpc("10.1.0.0/16"), withDependent]).steps[0];
        assert.deepStrictEqual([loud.type, loud.stateful], ["aws:ec2/vpc:Vpc", true]);
        assert.match(loud.callout ?? "", /every resource inside it is replaced/);
    });

    it("delete-before-replace: the program's option wins; a set name asks for it (SSM parameter names)", () => {
        const b = base(SSM_PARAMETER, "p", { name: "/x/token", type: "String", value: "a", dataType: "text" });
        const h = (o = {}) =>
            head(SSM_PARAMETER, "p", { name: "/x/token", type: "String", value: "a", dataType: "aws:ec2:image" }, o);
        assert.strictEqual(planSteps([b], [h()]).steps[0].deleteBeforeReplace, true);
        assert.strictEqual(
            planSteps([b], [h({ options: { deleteBeforeReplace: false } })]).steps[0].deleteBeforeReplace,
            false,
        );
    });

    it("ignoreChanges hides a property; an ignored AMI on a new architecture is an error naming bastionAmiId", () => {
        const b = base(INSTANCE, "bastion", { ami: "ami-x86", instanceType: "t3.micro" });
        const h = head(
            INSTANCE,
            "bastion",
            { ami: "ami-new", instanceType: "t4g.micro" },
            { options: { ignoreChanges: ["ami"] } },
        );
        const { steps, errors } = planSteps([b], [h]);
        assert.strictEqual(steps[0].op, "update");
        assert.deepStrictEqual(steps[0].changed, ["instanceType"]);
        assert.strictEqual(errors.length, 1);
        assert.match(errors[0], /x86_64 to arm64.*pin bastionAmiId/);
        const pinned = head(INSTANCE, "bastion", { ami: "ami-arm", instanceType: "t4g.micro" });
        const replaced = planSteps([b], [pinned]);
        assert.strictEqual(replaced.steps[0].op, "replace");
        assert.deepStrictEqual(replaced.errors, []);
    });

    it("secrets compare by value; one the export holds encrypted compares equal to anything", () => {
        const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
        assert.ok(sameValue(secret("a"), "a"));
        assert.ok(!sameValue(secret("a"), secret("b")));
        assert.ok(sameValue(secret(OPAQUE_SECRET), secret("anything")));
    });
});

describe("plan: properties against an independent oracle", () => {
    const TYPE = "test:index/thing:Thing";
    const FORCE = ["a", "b"];
    const rules: Record<string, ReplaceRule[]> = {
        [TYPE]: FORCE.map((property) => ({ property, rule: "ForceNew", source: "test" })),
    };
    const value = fc.oneof(fc.constantFrom(undefined, "", "x", "y"), fc.integer({ min: 0, max: 2 }));
    const bag = fc.record({ a: value, b: value, c: value, d: value }, { requiredKeys: [] });
    const side = fc.dictionary(fc.constantFrom("r1", "r2", "r3", "r4", "r5"), bag, { maxKeys: 5 });

    /** The oracle: no unknowns, no secrets, primitive values; unset and "" are alike. */
    function oracle(b: Record<string, Record<string, unknown>>, h: Record<string, Record<string, unknown>>) {
        const unset = (v: unknown) => v === undefined || v === "";
        const ops = new Map<string, string>();
        for (const [name, news] of Object.entries(h)) {
            const olds = b[name];
            if (!olds) {
                ops.set(name, "create");
                continue;
            }
            const diff = ["a", "b", "c", "d"].filter((k) => !(unset(olds[k]) && unset(news[k])) && olds[k] !== news[k]);
            ops.set(name, diff.some((k) => FORCE.includes(k)) ? "replace" : diff.length > 0 ? "update" : "same");
        }
        for (const name of Object.keys(b)) {
            if (!h[name]) {
                ops.set(name, "delete");
            }
        }
        return ops;
    }

    it("every resource gets the oracle's op, exactly once", () => {
        fc.assert(
            fc.property(side, side, (b, h) => {
                const { steps } = planSteps(
                    Object.entries(b).map(([n, i]) => base(TYPE, n, i)),
                    Object.entries(h).map(([n, i]) => head(TYPE, n, i)),
                    rules,
                );
                const got = new Map(steps.map((s) => [s.urn.split("::").pop()!, s.op as string]));
                assert.strictEqual(steps.length, got.size);
                assert.deepStrictEqual(got, oracle(b, h));
                for (const s of steps) {
                    assert.strictEqual(s.replaceReasons.length > 0, s.op === "replace");
                    assert.ok(s.replaceReasons.every((r) => s.changed.includes(r.property)));
                }
            }),
        );
    });

    it("stateful replaces and deletes always come first", () => {
        const kinds = fc.constantFrom(RG, SG);
        fc.assert(
            fc.property(
                fc.array(fc.tuple(kinds, fc.boolean(), fc.boolean(), fc.integer({ min: 6379, max: 6380 })), {
                    maxLength: 6,
                }),
                (specs) => {
                    const bases = specs
                        .filter(([, inBase]) => inBase)
                        .map(([t, , , port], i) => base(t, `r${i}`, { port, description: "d" }));
                    const heads = specs
                        .filter(([, , inHead]) => inHead)
                        .map(([t, , , port], i) => head(t, `r${i}`, { port: port + (i % 2), description: "d" }));
                    const { steps } = planSteps(bases, heads);
                    const loud = steps.map((s) => s.stateful && (s.op === "replace" || s.op === "delete"));
                    const firstQuiet = loud.indexOf(false);
                    assert.ok(firstQuiet === -1 || loud.slice(firstQuiet).every((l) => !l));
                },
            ),
        );
    });

    it("a base auto-name listed in __defaults survives any new suffix: no spurious name change", () => {
        const hex = fc.stringMatching(/^[0-9a-f]{7}$/);
        fc.assert(
            fc.property(hex, hex, (old, now) => {
                const b = base(SG, "sg", { name: `sg-${old}`, description: "d", __defaults: ["name"] });
                const h = head(SG, "sg", { name: `sg-${now}`, description: "d" }, { autoNamed: "name" });
                assert.strictEqual(planSteps([b], [h]).steps[0].op, "same");
            }),
        );
    });
});
