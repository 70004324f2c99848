// The markdown report (pull-request comment, job summary): verdicts as a table, the monthly cost, the plan folded
// away. Pure.
import { formatCostMarkdown, markdownCell, markdownCode, markdownFence } from "../../../policy/shared";
import { type OfflineCheckReport, byPolicy, counts, shortUrn, summaryLine, violationDetail } from "./report";
import { planText } from "./text";

export function formatMarkdown(report: OfflineCheckReport): string {
    const c = counts(report);
    const out: string[] = [];
    const icon = c.mandatory > 0 ? "❌" : c.advisory > 0 ? "⚠️" : "✅";
    out.push(`### ${icon} Policy check: stack \`${report.recording.stack}\``);
    out.push("");
    out.push(`${markdownCell(summaryLine(report))}.`);
    out.push("");
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
