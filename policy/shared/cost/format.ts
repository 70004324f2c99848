// The cost table of the offline check's text and markdown reports: pure formatting of a CostEstimate.

import { escapeControl, markdownCell } from "../escape";
import { type CostEstimate } from "./estimate";

const money = (x: number) => `$${x.toFixed(2)}`;

/** "aws:elasticache/replicationGroup:ReplicationGroup" + URN -> "aws.elasticache.ReplicationGroup redis-dev-cache-group". */
function itemName(urn: string, type: string): string {
    const m = /^([^:]+):([^/:]+)\/[^:]+:(.+)$/.exec(type);
    const short = m ? `${m[1]}.${m[2]}.${m[3]}` : type;
    return `${short} ${urn.slice(urn.lastIndexOf("::") + 2)}`;
}

/** The charged items, largest first (no-charge lines are left out of the table; the JSON lists them). */
export function chargedLines(cost: CostEstimate): CostEstimate["resources"] {
    return cost.resources.filter((l) => l.monthly > 0).sort((a, b) => b.monthly - a.monthly);
}

function totals(cost: CostEstimate): string {
    return (
        `${money(cost.monthly)}/month at list price, ${money(cost.monthlyAfterFreeTier)}/month after the free tier ` +
        `(${cost.region}, ${cost.hoursPerMonth} h, prices as of ${cost.pricesAsOf})`
    );
}

/** Plain-text lines: one per charged item, the unpriced ones, the totals and the free-tier model. */
export function formatCostText(cost: CostEstimate): string[] {
    const lines = [`Cost: ${totals(cost)}`];
    for (const l of chargedLines(cost)) {
        lines.push(
            `  ${money(l.monthly).padStart(9)} ${money(l.monthlyAfterFreeTier).padStart(9)}  ${escapeControl(itemName(l.urn, l.type), true)}: ${l.basis}`,
        );
    }
    for (const u of cost.unpriced)
        lines.push(`  unpriced  ${escapeControl(itemName(u.urn, u.type), true)}: ${u.reason}`);
    lines.push(`  free tier: ${cost.freeTier.description}`);
    return lines;
}

const cell = markdownCell;

/** A markdown section for the pull request's job summary. */
export function formatCostMarkdown(cost: CostEstimate): string[] {
    const lines = [
        "### Monthly cost",
        "",
        `**${totals(cost)}**`,
        "",
        "| resource | list | after free tier | basis |",
        "|---|---:|---:|---|",
    ];
    for (const l of chargedLines(cost)) {
        lines.push(
            `| ${cell(itemName(l.urn, l.type))} | ${money(l.monthly)} | ${money(l.monthlyAfterFreeTier)} | ${cell(l.basis)} |`,
        );
    }
    for (const u of cost.unpriced)
        lines.push(`| ${cell(itemName(u.urn, u.type))} | unpriced | unpriced | ${cell(u.reason)} |`);
    lines.push(`| **total** | **${money(cost.monthly)}** | **${money(cost.monthlyAfterFreeTier)}** | |`, "");
    lines.push(`Free tier: ${cost.freeTier.description}.`);
    return lines;
}
