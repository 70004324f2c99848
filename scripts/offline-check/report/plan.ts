// The plan part of every report (--base / --state): stateful replaces and deletes first, with what happens to
// their data; then why `pulumi up` would fail; then every step that changes something, and the monthly cost
// before and after. Pure.
import type { OfflinePlan, PlanOp, PlanStep } from "../plan/planner";
import { shortUrn } from "./report";

const SYMBOL: Record<PlanOp, string> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };

/** Stateful replaces and deletes: what reports call out first. */
export function statefulChanges(plan: OfflinePlan): PlanStep[] {
    return plan.steps.filter((s) => s.stateful && (s.op === "replace" || s.op === "delete"));
}

export function opCounts(plan: OfflinePlan): Record<PlanOp, number> {
    const c: Record<PlanOp, number> = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
    for (const s of plan.steps) {
        c[s.op]++;
    }
    return c;
}

function why(s: PlanStep): string {
    if (s.op === "replace") {
        const reasons = s.replaceReasons.map((r) => `${r.property} (${r.rule}: ${r.source})`).join("; ");
        return `replace forced by ${reasons}${s.deleteBeforeReplace ? "; delete-before-replace" : ""}`;
    }
    if (s.op === "update") {
        return `update ${s.changed.join(", ")}`;
    }
    return s.op;
}

/** One line per stateful replace or delete. */
export function statefulLines(plan: OfflinePlan): string[] {
    return statefulChanges(plan).map((s) => `${s.op.toUpperCase()} ${shortUrn(s.urn)}: ${s.callout ?? ""} [${why(s)}]`);
}

export function costLine(plan: OfflinePlan): string {
    const delta = plan.monthlyAfter - plan.monthlyBefore;
    return `monthly cost $${plan.monthlyBefore.toFixed(2)} -> $${plan.monthlyAfter.toFixed(2)} (${delta >= 0 ? "+" : "-"}$${Math.abs(delta).toFixed(2)})`;
}

export function countsLine(plan: OfflinePlan): string {
    const c = opCounts(plan);
    return `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete, ${c.same} unchanged`;
}

/** The plan as text lines (the text report, and the markdown report's code block). */
export function planLines(plan: OfflinePlan): string[] {
    const out = [`Plan against ${plan.base}: ${countsLine(plan)}; ${costLine(plan)}`];
    const stateful = statefulLines(plan);
    if (stateful.length > 0) {
        out.push("Stateful resources replaced or deleted:");
        out.push(...stateful.map((l) => `    ${l}`));
    }
    if (plan.errors.length > 0) {
        out.push("pulumi up would fail:");
        out.push(...plan.errors.map((e) => `    ${e}`));
    }
    for (const s of plan.steps.filter((x) => x.op !== "same")) {
        out.push(` ${SYMBOL[s.op].padEnd(2)} ${shortUrn(s.urn)}: ${why(s)}`);
    }
    return out;
}
