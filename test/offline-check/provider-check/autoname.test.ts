import * as assert from "assert";
import * as fc from "fast-check";
import {
    AUTO_NAMES,
    autoName,
    findDuplicateUrns,
    randomSuffix,
    seededSuffix,
} from "../../../scripts/offline-check/provider-check";
import { urnOf } from "./helpers";

describe("provider-check: auto-naming (pulumi-aws resources.go, bridge ComputeAutoNameDefault)", () => {
    it("appends a hyphen and 7 hex characters, transformed per type, only when the program set no name", () => {
        const type = "aws:elasticache/replicationGroup:ReplicationGroup";
        const named = autoName(type, urnOf(type, "Redis-Dev-Group"), {}, seededSuffix("s"));
        assert.match(String(named.inputs.replicationGroupId), /^redis-dev-group-[0-9a-f]{7}$/);
        const kept = autoName(type, urnOf(type, "x"), { replicationGroupId: "mine" }, seededSuffix("s"));
        assert.strictEqual(kept.inputs.replicationGroupId, "mine");
        const role = "aws:iam/role:Role";
        assert.match(
            String(autoName(role, urnOf(role, "Bastion"), {}, randomSuffix()).inputs.name),
            /^Bastion-[0-9a-f]{7}$/,
        );
        assert.deepStrictEqual(
            autoName("aws:ec2/vpc:Vpc", urnOf("aws:ec2/vpc:Vpc", "v"), {}, randomSuffix()).inputs,
            {},
        );
    });

    it("a random source names a URN alike each time (a stack's two passes), two sources most likely not", () => {
        const role = "aws:iam/role:Role";
        const source = randomSuffix();
        const urns = ["a", "b", "c"].map((n) => urnOf(role, n));
        const first = urns.map((u) => autoName(role, u, {}, source).inputs.name);
        assert.deepStrictEqual(
            urns.map((u) => autoName(role, u, {}, source).inputs.name),
            first,
        );
        assert.strictEqual(new Set(first.map((n) => String(n).slice(-7))).size, 3);
        const other = randomSuffix();
        assert.notDeepStrictEqual(
            urns.map((u) => autoName(role, u, {}, other).inputs.name),
            first,
        );
    });

    it("is deterministic when seeded", () => {
        const urn = urnOf("aws:iam/role:Role", "r");
        assert.strictEqual(seededSuffix("a")(urn), seededSuffix("a")(urn));
        assert.notStrictEqual(seededSuffix("a")(urn), seededSuffix("b")(urn));
    });

    it("names fit the type's maximum exactly when the logical name leaves room for the suffix", () => {
        fc.assert(
            fc.property(
                fc.constantFrom(...Object.keys(AUTO_NAMES)),
                fc.string({ minLength: 1, maxLength: 300 }),
                (type, name) => {
                    const rule = AUTO_NAMES[type];
                    const result = autoName(type, urnOf(type, name), {}, seededSuffix("p"));
                    const fits = name.length + 1 + 7 <= rule.maxLength;
                    assert.strictEqual(result.failures.length === 0, fits);
                    if (fits) {
                        const value = String(result.inputs[rule.property]);
                        assert.strictEqual(value.length, name.length + 8);
                        assert.ok(value.length <= rule.maxLength);
                    }
                },
            ),
        );
    });
});

describe("provider-check: duplicate URNs (the engine's own check)", () => {
    it("reports each duplicated URN once, as the engine words it", () => {
        const a = urnOf("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "redis-dev-cache-from-sg-1");
        assert.deepStrictEqual(findDuplicateUrns([{ urn: a }, { urn: "b" }, { urn: a }, { urn: a }]), [
            `Duplicate resource URN '${a}'; try giving it a unique name`,
        ]);
        assert.deepStrictEqual(findDuplicateUrns([{ urn: a }, { urn: "b" }]), []);
    });
});
