import * as assert from "assert";
import {
    type PolicyInfo,
    parsePolicyConfig,
    reconcilePolicyConfig,
} from "../../scripts/offline-check/analyzer/policy-config";
import { OfflineCheckError } from "../../scripts/offline-check/offline-check-error";

const policies: PolicyInfo[] = [
    {
        name: "retention",
        displayName: "",
        description: "d",
        enforcementLevel: "mandatory",
        policyType: "resource",
        severity: "",
        configSchema: {
            properties: {
                minDays: { type: "integer", minimum: 1, maximum: 35, default: 1 },
                mode: { type: "string", enum: ["strict", "lenient"], default: "strict" },
                ports: { type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, uniqueItems: true },
            },
            required: [],
        },
    },
    {
        name: "hours",
        displayName: "",
        description: "d",
        enforcementLevel: "advisory",
        policyType: "stack",
        severity: "",
    },
];

function rejects(fn: () => unknown, ...patterns: RegExp[]): void {
    assert.throws(fn, (e: unknown) => {
        assert.ok(e instanceof OfflineCheckError);
        for (const p of patterns) {
            assert.match(e.message, p);
        }
        return true;
    });
}

describe("offline-check/policy-config", () => {
    it("parses the --policy-pack-config format: a level string, or properties with an optional level", () => {
        assert.deepStrictEqual(
            parsePolicyConfig(
                '{"hours":"mandatory","retention":{"enforcementLevel":"advisory","minDays":3},"x":{}}',
                "f",
            ),
            {
                hours: { enforcementLevel: "mandatory" },
                retention: { enforcementLevel: "advisory", properties: { minDays: 3 } },
            },
        );
        assert.deepStrictEqual(parsePolicyConfig("  \n", "f"), {});
        rejects(
            () => parsePolicyConfig('{"hours":"fatal"}', "f"),
            /hours: "fatal" is not a valid enforcement level \(allowed: advisory, mandatory, remediate, disabled\)/,
        );
        rejects(() => parsePolicyConfig('{"hours":3}', "f"), /hours: 3 is not valid/);
        rejects(() => parsePolicyConfig("{", "cfg.json"), /policy config cfg\.json is not valid JSON/);
    });

    it("starts from schema defaults and pack levels, then applies the file ('all' sets every level)", () => {
        assert.deepStrictEqual(reconcilePolicyConfig(policies, {}, "defaults"), {
            retention: { enforcementLevel: "mandatory", properties: { minDays: 1, mode: "strict" } },
            hours: { enforcementLevel: "advisory", properties: {} },
        });
        const r = reconcilePolicyConfig(
            policies,
            { all: { enforcementLevel: "disabled" }, retention: { properties: { minDays: 7 } } },
            "f",
        );
        assert.deepStrictEqual(r.retention, {
            enforcementLevel: "disabled",
            properties: { minDays: 7, mode: "strict" },
        });
        assert.strictEqual(r.hours.enforcementLevel, "disabled");
    });

    it("applies the pack's initial config between the schema defaults and the file", () => {
        const r = reconcilePolicyConfig(policies, { retention: { properties: { mode: "lenient" } } }, "f", {
            retention: { enforcementLevel: "advisory", properties: { minDays: 5, mode: "strict" } },
        });
        assert.deepStrictEqual(r.retention, {
            enforcementLevel: "advisory",
            properties: { minDays: 5, mode: "lenient" },
        });
    });

    it("refuses an unknown policy, an unknown setting and a bad value, naming policy, key and what is allowed", () => {
        rejects(
            () =>
                reconcilePolicyConfig(
                    policies,
                    { retension: { enforcementLevel: "advisory" } },
                    "policy/config/dev.json",
                ),
            /invalid policy config \(policy\/config\/dev\.json\)/,
            /retension: no such policy in the pack \(policies: retention, hours\)/,
        );
        rejects(
            () => reconcilePolicyConfig(policies, { retention: { properties: { maxDays: 3 } } }, "f"),
            /retention: maxDays: the policy has no such setting \(settings: minDays, mode, ports\)/,
        );
        rejects(
            () => reconcilePolicyConfig(policies, { retention: { properties: { minDays: 40, mode: "loose" } } }, "f"),
            /retention: minDays: must be >= 1 and <= 35, got 40/,
            /retention: mode: must be one of "strict", "lenient", got "loose"/,
        );
        rejects(
            () => reconcilePolicyConfig(policies, { hours: { properties: { x: 1 } } }, "f"),
            /hours: x: the policy has no such setting \(it takes no settings\)/,
        );
    });

    it("names a policy called toString as unknown, refuses constructor, and a number past a double's range as such", () => {
        rejects(
            () => reconcilePolicyConfig(policies, parsePolicyConfig('{"toString": "mandatory"}', "f"), "f"),
            /toString: no such policy in the pack/,
        );
        rejects(
            () => reconcilePolicyConfig(policies, parsePolicyConfig('{"constructor": {"x": 1}}', "f"), "f"),
            // A prototype key is refused before the policy lookup (issue #20): never taken for Object's constructor.
            /policy config f: constructor: the key is not allowed \(it names an object's prototype/,
        );
        rejects(
            () => parsePolicyConfig('{"retention": {"ports": [22, 1e400]}}', "f"),
            /policy config f: retention\.ports\[1\]: the number is out of range/,
        );
    });

    it("refuses an inverted min/max range as config, naming both keys (not a policy failing at run time)", () =>
        rejects(
            () =>
                reconcilePolicyConfig(
                    [
                        {
                            ...policies[0],
                            configSchema: {
                                properties: {
                                    minDays: { type: "integer", default: 1 },
                                    maxDays: { type: "integer", default: 35 },
                                },
                            },
                        },
                    ],
                    { retention: { properties: { minDays: 10, maxDays: 5 } } },
                    "f",
                ),
            /retention: minDays \(10\) is greater than maxDays \(5\): no value fits/,
        ));

    it("validates nested values with the pack's validator, naming the path into the value", () =>
        rejects(
            () => reconcilePolicyConfig(policies, { retention: { properties: { ports: [22, 70000, 22] } } }, "f"),
            /retention: ports\[1\]: must be >= 0 and <= 65535, got 70000/,
            /retention: ports: items must be unique, got \[22,70000,22\] \(repeated: 22\)/,
        ));
});
