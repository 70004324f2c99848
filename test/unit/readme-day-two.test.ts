// The README's day-two table (config change -> resource property change -> outcome) checked row by row against
// the plan's own replace rules and planner, and Pulumi.yaml's descriptions against it: every key whose change
// replaces the cache says so, and only those.
import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { planSteps } from "../../scripts/offline-check/plan/planner";
import { REPLACE_RULES } from "../../scripts/offline-check/plan/replace-rules";
import type { BaseResource } from "../../scripts/offline-check/plan/state";
import type { HeadResource } from "../../scripts/offline-check/plan/planner";

const ROOT = path.resolve(__dirname, "..", "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const PROJECT = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, { description: string }>;
};
const HEADER = "| config change | resource | property change | outcome |";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";
/** What the program always sets beside the row's property (a CustomizeDiff reads it). */
const CONTEXT: Record<string, Record<string, unknown>> = {
    "aws:ec2/instance:Instance": { userDataReplaceOnChange: true },
};

interface Row {
    key: string;
    type: string;
    property: string;
    from: unknown;
    to: unknown;
    outcome: "replace" | "update";
    rule?: string;
}

function rows(): Row[] {
    const lines = README.split("\n");
    const start = lines.indexOf(HEADER);
    assert.ok(start >= 0, "the README has the day-two change table");
    const out: Row[] = [];
    for (const line of lines.slice(start + 2)) {
        if (!line.startsWith("|")) {
            break;
        }
        const [, change, resource, property, outcome] = line.split("|").map((c) => c.trim());
        const types = Object.keys(REPLACE_RULES).filter((t) => t.endsWith(`:${resource}`));
        assert.strictEqual(types.length, 1, `resource ${resource} names one type`);
        const m = /^`(\w+)`: `(.+)` → `(.+)`$/.exec(property);
        assert.ok(m, `property change cell: ${property}`);
        const o = /^(replace|update)(?: \((ForceNew|CustomizeDiff)\b)?/.exec(outcome);
        assert.ok(o, `outcome cell: ${outcome}`);
        out.push({
            key: /`(\w+)`/.exec(change)![1],
            type: types[0],
            property: m[1],
            from: JSON.parse(m[2]),
            to: JSON.parse(m[3]),
            outcome: o[1] as Row["outcome"],
            rule: o[2],
        });
    }
    return out;
}

function step(row: Row) {
    const urn = `urn:pulumi:dev::redis-stack::${row.type}::r`;
    const options = {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { create: "", update: "", delete: "" },
        additionalSecretOutputs: [],
    };
    const context = CONTEXT[row.type] ?? {};
    const base: BaseResource = {
        urn,
        type: row.type,
        custom: true,
        parent: "",
        inputs: { ...context, [row.property]: row.from },
        outputs: {},
        protect: false,
        dependencies: [],
        propertyDependencies: {},
    };
    const head: HeadResource = {
        urn,
        type: row.type,
        name: "r",
        parent: "",
        custom: true,
        provider: "",
        inputs: { ...context, [row.property]: row.to },
        dependencies: [],
        propertyDependencies: {},
        options,
    };
    return planSteps([base], [head]).steps[0];
}

describe("README day two: the change -> outcome table is what the plan says", () => {
    const table = rows();

    it("has rows, each naming a config key of Pulumi.yaml", () => {
        assert.ok(table.length >= 10);
        for (const r of table) {
            assert.ok(r.key in PROJECT.config, `${r.key} is not a Pulumi.yaml key`);
        }
    });

    for (const r of table) {
        it(`${r.key}: ${r.property} ${JSON.stringify(r.from)} -> ${JSON.stringify(r.to)} is ${r.outcome}${r.rule ? ` (${r.rule})` : ""}`, () => {
            const s = step(r);
            assert.strictEqual(s.op, r.outcome);
            if (r.outcome === "replace") {
                assert.deepStrictEqual(
                    s.replaceReasons.map((x) => [x.property, x.rule]),
                    [[r.property, r.rule]],
                );
            }
        });
    }

    it("Pulumi.yaml says 'replaces the cache' for exactly the keys whose row replaces the replication group", () => {
        const replacing = new Set(table.filter((r) => r.type === CACHE && r.outcome === "replace").map((r) => r.key));
        const saying = new Set(
            Object.entries(PROJECT.config)
                .filter(([, v]) => /replaces the cache/.test(v.description))
                .map(([k]) => k),
        );
        assert.deepStrictEqual([...saying].sort(), [...replacing].sort());
    });
});
