// The markdown report (pull-request comment, job summary): verdicts as a table, the monthly cost, the plan folded
// away. Pure.
import { formatCostMarkdown } from "../../../policy/shared";
import { type OfflineCheckReport, atUpLines, byPolicy, counts, shortUrn, summaryLine, violationDetail } from "./report";
import { planText } from "./text";

/** Text for a markdown table cell: GitHub would render `<stack>` as an HTML tag and `|` as a column break. */
function mdEscape(s: string): string {
    return s
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/\|/g, "\\|")
        .replace(/\r?\n/g, "<br>");
}

export function formatMarkdown(report: OfflineCheckReport): string {
    const c = counts(report);
    const out: string[] = [];
    const icon = c.mandatory > 0 ? "❌" : c.advisory > 0 ? "⚠️" : "✅";
    out.push(`### ${icon} Policy check: stack \`${report.recording.stack}\``);
    out.push("");
    out.push(`${summaryLine(report)}.`);
    out.push("");
    const groups = byPolicy(report.violations);
    if (groups.size > 0) {
        out.push("| Level | Policy | Resource | Message |");
        out.push("| --- | --- | --- | --- |");
        for (const [policy, vs] of groups) {
            for (const v of vs) {
                out.push(
                    `| ${v.enforcementLevel} | \`${policy}\` | \`${mdEscape(shortUrn(v.urn))}\` | ${mdEscape(violationDetail(v))} |`,
                );
            }
        }
        out.push("");
    }
    const atUp = atUpLines(report);
    if (atUp.length > 0) {
        out.push(`**${atUp[0]}**`, "", ...atUp.slice(1).map((l) => mdEscape(l.trim())), "");
    }
    out.push(...formatCostMarkdown(report.cost));
    out.push("");
    out.push(`<details><summary>Plan: ${c.creates} resources to create</summary>`);
    out.push("");
    out.push("```");
    out.push(...planText(report, ""));
    out.push("```");
    out.push("");
    out.push("</details>");
    return out.join("\n") + "\n";
}
