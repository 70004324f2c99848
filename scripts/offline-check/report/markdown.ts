// The markdown report (pull-request comment, job summary): verdicts as a table, the monthly cost, the plan folded
// away. Pure.
import { formatCostMarkdown, markdownCell, markdownCode, markdownFence } from "../../../policy/shared";
import { type OfflineCheckReport, atUpLines, byPolicy, counts, shortUrn, summaryLine, violationDetail } from "./report";
import { planText } from "./text";
import { costLine, countsLine, statefulChanges } from "./plan";
import type { OfflinePlan } from "../plan/planner";

export function formatMarkdown(report: OfflineCheckReport): string {
    const c = counts(report);
    const out: string[] = [];
    const icon = c.mandatory > 0 ? "❌" : c.advisory > 0 ? "⚠️" : "✅";
    out.push(`### ${icon} Policy check: stack \`${report.recording.stack}\``);
    out.push("");
    out.push(`${markdownCell(summaryLine(report))}.`);
    out.push("");
    if (report.plan) {
        out.push(...planMarkdown(report.plan));
    }
    const groups = byPolicy(report.violations);
    if (groups.size > 0) {
        out.push("| Level | Policy | Resource | Message |");
        out.push("| --- | --- | --- | --- |");
        for (const [policy, vs] of groups) {
            for (const v of vs) {
                out.push(
                    `| ${markdownCell(v.enforcementLevel)} | ${markdownCode(policy)} | ${markdownCode(shortUrn(v.urn))} | ${markdownCell(violationDetail(v))} |`,
                );
            }
        }
        out.push("");
    }
    const atUp = atUpLines(report);
    if (atUp.length > 0) {
        out.push(`**${atUp[0]}**`, "", ...atUp.slice(1).map((l) => markdownCell(l.trim())), "");
    }
    out.push(...formatCostMarkdown(report.cost));
    out.push("");
    out.push(`<details><summary>Plan: ${c.creates} resources to create</summary>`);
    out.push("");
    // The plan quotes resource names and values: its fence is longer than any backtick run in it.
    out.push(...markdownFence(planText(report, "")));
    out.push("");
    out.push("</details>");
    return out.join("\n") + "\n";
}

/** The plan's section: stateful replaces and deletes first, then why the up would fail, then every change. */
function planMarkdown(plan: OfflinePlan): string[] {
    const out: string[] = [];
    const stateful = statefulChanges(plan);
    if (stateful.length > 0) {
        out.push(`**Stateful resources replaced or deleted (${stateful.length}):**`);
        out.push("");
        for (const s of stateful) {
            out.push(`- **${s.op}** ${markdownCode(shortUrn(s.urn))}: ${markdownCell(s.callout ?? "")}`);
        }
        out.push("");
    }
    if (plan.errors.length > 0) {
        out.push("**`pulumi up` would fail:**");
        out.push("");
        out.push(...plan.errors.map((e) => `- ${markdownCell(e)}`));
        out.push("");
    }
    out.push(`Plan against ${markdownCell(plan.base)}: ${countsLine(plan)}; ${markdownCell(costLine(plan))}.`);
    out.push("");
    const changes = plan.steps.filter((s) => s.op !== "same");
    if (changes.length > 0) {
        out.push("| Op | Resource | Changed | Replaced because |");
        out.push("| --- | --- | --- | --- |");
        for (const s of changes) {
            const reasons = s.replaceReasons
                .map((r) => `${markdownCode(r.property)} (${markdownCell(`${r.rule}: ${r.source}`)})`)
                .join("<br>");
            const op = s.op === "replace" && s.deleteBeforeReplace ? "replace (delete first)" : s.op;
            out.push(
                `| ${op} | ${markdownCode(shortUrn(s.urn))} | ${markdownCell(s.changed.join(", "))} | ${reasons} |`,
            );
        }
        out.push("");
    }
    return out;
}
