import * as assert from "assert";
import { estimateMonthlyCost } from "../../../policy/shared";
import { formatJson } from "../../../scripts/offline-check/report/json";
import { formatMarkdown } from "../../../scripts/offline-check/report/markdown";
import { type OfflineCheckReport } from "../../../scripts/offline-check/report/report";
import { formatSarif } from "../../../scripts/offline-check/report/sarif";
import { formatText } from "../../../scripts/offline-check/report/text";
import type { OfflinePlan } from "../../../scripts/offline-check/plan/planner";
import type { RecordedResource } from "../../../scripts/offline-check/recorder/recording";
import { RG, SG, urnOf } from "./helpers";

const plan: OfflinePlan = {
    base: "git HEAD~1 (0123456789ab)",
    steps: [
        {
            urn: urnOf(RG, "cache-group"),
            type: RG,
            op: "replace",
            changed: ["port", "securityGroupIds"],
            replaceReasons: [{ property: "port", rule: "ForceNew", source: "replication_group.go" }],
            stateful: true,
            deleteBeforeReplace: false,
            callout: "cache replaced: its data is kept only in the final snapshot cache-group-final",
        },
        {
            urn: urnOf(SG, "sg"),
            type: SG,
            op: "update",
            changed: ["tags"],
            replaceReasons: [],
            stateful: false,
            deleteBeforeReplace: false,
        },
        {
            urn: urnOf(SG, "same"),
            type: SG,
            op: "same",
            changed: [],
            replaceReasons: [],
            stateful: false,
            deleteBeforeReplace: false,
        },
    ],
    errors: ['unable to replace resource "x" as it is currently marked for protection'],
    monthlyBefore: 12.5,
    monthlyAfter: 14,
};

function report(withPlan: boolean): OfflineCheckReport {
    return {
        recording: { project: "demo", stack: "dev", resources: [], outputs: {} },
        pack: { name: "guardrails", displayName: "", version: "0.1.0", initialConfig: {}, policies: [] },
        violations: [],
        cost: estimateMonthlyCost([], { region: "us-east-1", freeTier: "always-free-only" }),
        mainFile: "infra/index.ts",
        stackFile: "Pulumi.dev.yaml",
        ...(withPlan ? { plan } : {}),
    };
}

describe("plan: in every report format, stateful replaces and deletes first (report/plan.ts)", () => {
    it("text: the plan opens the report, the stateful replace with its final snapshot first", () => {
        const lines = formatText(report(true)).split("\n");
        assert.match(
            lines[2],
            /^Plan against git HEAD~1 \(0123456789ab\): 0 to create, 1 to update, 1 to replace, 0 to delete, 1 unchanged; monthly cost \$12\.50 -> \$14\.00 \(\+\$1\.50\)$/,
        );
        assert.strictEqual(lines[3], "Stateful resources replaced or deleted:");
        assert.match(
            lines[4],
            /REPLACE aws:elasticache:ReplicationGroup cache-group: .*cache-group-final.*port \(ForceNew/,
        );
        assert.match(lines[5], /^pulumi up would fail:/);
    });

    it("json: plan holds exactly the contract's fields per step, plus errors, callouts, deleteBeforeReplace", () => {
        const doc = JSON.parse(formatJson(report(true))) as { plan: Record<string, unknown> & { steps: object[] } };
        assert.deepStrictEqual(Object.keys(doc.plan), [
            "base",
            "steps",
            "monthlyBefore",
            "monthlyAfter",
            "errors",
            "callouts",
            "deleteBeforeReplace",
        ]);
        for (const s of doc.plan.steps) {
            assert.deepStrictEqual(Object.keys(s), ["urn", "type", "op", "changed", "replaceReasons", "stateful"]);
        }
        assert.deepStrictEqual(doc.plan.callouts, [
            { urn: urnOf(RG, "cache-group"), op: "replace", message: plan.steps[0].callout },
        ]);
        assert.ok(!("plan" in (JSON.parse(formatJson(report(false))) as object)));
    });

    it("markdown: the stateful replace before the failure and the table; sarif: its result first", () => {
        const md = formatMarkdown(report(true));
        const at = (s: string) => md.indexOf(s);
        assert.ok(at("Stateful resources replaced or deleted") > 0);
        assert.ok(at("Stateful resources replaced") < at("would fail") && at("would fail") < at("| Op |"));
        const sarif = JSON.parse(formatSarif(report(true), "1.0.0")) as {
            runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number }[] }[];
        };
        const run = sarif.runs[0];
        assert.deepStrictEqual(
            run.results.map((r) => r.ruleId),
            ["plan-stateful-change", "plan-up-fails"],
        );
        for (const r of run.results) {
            assert.strictEqual(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
        }
        const without = JSON.parse(formatSarif(report(false), "1.0.0")) as {
            runs: { tool: { driver: { rules: unknown[] } } }[];
        };
        assert.deepStrictEqual(without.runs[0].tool.driver.rules, []);
    });
});

describe("plan: the text tree marks each resource with its step, as the CLI does", () => {
    const resource = (type: string, name: string): RecordedResource => ({
        urn: urnOf(type, name),
        type,
        name,
        parent: "",
        custom: true,
        provider: "",
        inputs: {},
        dependencies: [],
        propertyDependencies: {},
        options: {} as RecordedResource["options"],
    });
    const resources = [resource(RG, "cache-group"), resource(SG, "sg"), resource(SG, "same"), resource(SG, "new")];
    const markers = (withPlan: boolean): string[] =>
        formatText({ ...report(withPlan), recording: { project: "demo", stack: "dev", resources, outputs: {} } })
            .split("\n")
            .filter((l) => /(cache-group|sg|same|new)$/.test(l))
            .map((l) => l.slice(0, 4));

    it("+- replace, ~ update, blank for unchanged, + for what the base lacks", () => {
        assert.deepStrictEqual(markers(true), [" +- ", " ~  ", "    ", " +  "]);
    });

    it("without a base every resource is a create", () => {
        assert.deepStrictEqual(markers(false), [" +  ", " +  ", " +  ", " +  "]);
    });
});
