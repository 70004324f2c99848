// The text report: what `pulumi preview --policy-pack` prints (the plan tree with inputs, outputs, policy
// verdicts grouped by policy, a summary line), and the stack's monthly cost. Pure.
import { escapeControl, formatCostText } from "../../../policy/shared";
import {
    type OfflineCheckReport,
    atUpLines,
    byPolicy,
    displayType,
    pad,
    renderValue,
    shortUrn,
    summaryLine,
    treeLines,
    violationDetail,
} from "./report";
import type { RecordedResource } from "../recorder/recording";
import { planLines } from "./plan";
import type { PlanOp } from "../plan/planner";

/** The CLI's step markers; without a plan every resource is a create. */
const STEP_MARKERS: Readonly<Record<PlanOp, string>> = {
    create: "+ ",
    update: "~ ",
    replace: "+-",
    delete: "- ",
    same: "  ",
};

export function planText(report: OfflineCheckReport, indent: string): string[] {
    const lines = treeLines(report.recording.resources);
    const typeWidth = Math.max(4, ...lines.map((l) => (l.prefix + displayType(l.resource.type)).length)) + 2;
    const ops = new Map(report.plan?.steps.map((s) => [s.urn, s.op]));
    const out = [`${indent}    ${pad("Type", typeWidth)}Name`];
    for (const l of lines) {
        const r = l.resource;
        const marker = STEP_MARKERS[ops.get(r.urn) ?? "create"];
        out.push(`${indent} ${marker} ${pad(l.prefix + displayType(r.type), typeWidth)}${escapeControl(r.name, true)}`);
        const keys = Object.keys(r.inputs)
            .filter((k) => !k.startsWith("__"))
            .sort();
        const inputPrefix = `${indent}    ${l.childPrefix}${treeHasChildren(report, r) ? "│  " : "   "}`;
        const keyWidth = Math.max(0, ...keys.map((k) => k.length));
        for (const k of keys) {
            out.push(`${inputPrefix}  ${pad(escapeControl(k, true), keyWidth)}: ${renderValue(r.inputs[k])}`);
        }
    }
    return out;
}

function treeHasChildren(report: OfflineCheckReport, r: RecordedResource): boolean {
    return report.recording.resources.some((x) => x.parent === r.urn && !x.defaultProvider);
}

export function formatText(report: OfflineCheckReport): string {
    const out: string[] = [];
    out.push(
        `Previewing update (${report.recording.stack}) of ${report.recording.project}, offline: mock runtime in preview mode, no cloud calls`,
    );
    out.push("");
    if (report.plan) {
        // Before the tree: what a reviewer must see first (stateful replaces and deletes, why the up would fail).
        out.push(...planLines(report.plan));
        out.push("");
    }
    out.push(...planText(report, ""));
    const outputs = Object.keys(report.recording.outputs).sort();
    if (outputs.length > 0) {
        out.push("");
        out.push("Outputs:");
        const w = Math.max(...outputs.map((k) => k.length));
        for (const k of outputs) {
            out.push(`    ${pad(k, w)}: ${renderValue(report.recording.outputs[k], 120)}`);
        }
    }
    out.push("");
    const groups = byPolicy(report.violations);
    out.push(`Policies (${report.pack.name}@v${report.pack.version}):`);
    if (groups.size === 0) {
        out.push(`    no violations (${report.pack.policies.length} policies)`);
    }
    for (const [policy, vs] of groups) {
        out.push(`    [${vs[0].enforcementLevel}] ${policy}  (${vs.length} violation${vs.length === 1 ? "" : "s"})`);
        if (vs[0].description) {
            out.push(`        ${vs[0].description}`);
        }
        for (const v of vs) {
            out.push(
                `        - ${escapeControl(shortUrn(v.urn), true)}: ${violationDetail(v).split("\n").join("\n          ")}`,
            );
        }
    }
    const atUp = atUpLines(report);
    if (atUp.length > 0) {
        out.push("");
        out.push(...atUp);
    }
    out.push("");
    out.push(...formatCostText(report.cost));
    out.push("");
    out.push(summaryLine(report));
    // Names, messages and values are not ours: no terminal escape, C1 control or bidi control reaches the reader.
    return escapeControl(out.join("\n")) + "\n";
}
