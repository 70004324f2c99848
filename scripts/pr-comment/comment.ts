// The pull request's one comment: every stack's offline check (its JSON report, `--format json`, with the plan
// against the PR's base when `--base` ran; one report per stack, or one `{ "stacks": [...] }` document for
// several stacks checked in one run) as markdown. Per stack the replaces and deletes first (stateful ones
// on top), then the plan's counts, the monthly cost before -> after, then the mandatory and advisory verdicts.
// GitHub refuses a comment over 65,536 characters: the comment is cut to fit, verdict tables first, with a note
// where it was cut. Everything a report says is escaped, so a resource name or a message can't leave its table
// cell or code span, mention anyone or link an issue. Pure.
import { displayType } from "../offline-check/report/report";
import type { UpFinding } from "../offline-check/up-pass";

/** GitHub's limit on an issue or pull-request comment body (the API answers 422 "Body is too long" above it). */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** The hidden first line the workflow finds its own comment by (edited on each push, never posted twice). */
export const COMMENT_MARKER = "<!-- redis-stack-check: pull-request comment -->";

export interface PlanStep {
    urn: string;
    type: string;
    /** create | update | replace | delete | same (others are shown as they come). */
    op: string;
    changed?: string[];
    replaceReasons?: { property: string; rule: string; source?: string }[];
    stateful?: boolean;
}

export interface Plan {
    /** What the stack was compared with (`git <rev> (<sha>)`: the PR's base commit). */
    base: string;
    steps: PlanStep[];
    monthlyBefore: number;
    monthlyAfter: number;
    /** Why `pulumi up` would fail on this plan, one line each (optional in the contract). */
    errors?: string[];
    /** What each stateful replace or delete does to its data, with the final snapshot's name (optional). */
    callouts?: { urn: string; message: string }[];
    /** URNs replaced delete-first: downtime, nothing to fall back to (optional). */
    deleteBeforeReplace?: string[];
}

export interface Violation {
    policy: string;
    enforcementLevel: string;
    urn?: string;
    message: string;
}

/** What the comment reads from one stack's `redis-stack-check --format json` report. */
export interface StackReport {
    stack: string;
    summary: { toCreate: number; mandatory: number; advisory: number };
    violations: Violation[];
    cost?: { monthly: number; monthlyAfterFreeTier?: number };
    plan?: Plan;
    /** What `pulumi up` would refuse although the preview passes (the checker's second pass; exit 2). */
    wouldFailAtUp?: UpFinding[];
}

/** A stack whose check could not run (exit 2: usage, config, program or pack error, timeout). */
export interface StackFailure {
    stack: string;
    error: string;
}

export type StackResult = StackReport | StackFailure;

export interface CommentOptions {
    /** Upper bound of the comment's length (UTF-16 units, never fewer than GitHub counts). */
    maxChars?: number;
    /** Where the full reports are (the run's job summary), linked from the cut note. */
    runUrl?: string;
    /** The PR head commit the checks ran on. */
    headSha?: string;
    /** The base revision the checks were asked to compare with (`--base`); absent: none was given. */
    base?: string;
}

function isFailure(r: StackResult): r is StackFailure {
    return "error" in r && typeof r.error === "string";
}

/** One clear line naming what is wrong with a report file. */
export class ReportShapeError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(v: unknown, where: string): number {
    if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new ReportShapeError(`${where} must be a number, got ${JSON.stringify(v)}`);
    }
    return v;
}

function str(v: unknown, where: string): string {
    if (typeof v !== "string") {
        throw new ReportShapeError(`${where} must be a string, got ${JSON.stringify(v)}`);
    }
    return v;
}

function strings(v: unknown, where: string): string[] {
    if (v === undefined) {
        return [];
    }
    if (!Array.isArray(v)) {
        throw new ReportShapeError(`${where} must be an array of strings`);
    }
    return v.map((x, i) => str(x, `${where}[${i}]`));
}

/** A failure's first line, as the workflow's per-stack records always held it (the log has the rest). */
function errorLine(error: string): string {
    return error.trim().split(/\r\n?|\n/, 1)[0] || "no message";
}

/**
 * Every stack result in a JSON file: the several-stack document (`redis-stack-check --stack a,b` or
 * `--all-stacks` with `--format json`: `{ "stacks": [<one stack's report or { stack, error }>, ...] }`, in its
 * order), or one stack's report or `{ stack, error }` record. Checked as parseStackResult checks one; a bad entry
 * is named by its index.
 */
export function parseReportDocument(doc: unknown, file: string): StackResult[] {
    if (!isRecord(doc) || doc.stack !== undefined || doc.stacks === undefined) {
        return [parseStackResult(doc, file)];
    }
    if (!Array.isArray(doc.stacks) || doc.stacks.length === 0) {
        throw new ReportShapeError(`${file}: stacks must be a non-empty array of stack reports`);
    }
    return doc.stacks.map((entry, i) => parseStackResult(entry, `${file}: stacks[${i}]`));
}

/**
 * The parts of a JSON report (or a `{ stack, error }` failure record) the comment uses, checked: a report from
 * another version of the checker fails with the field it lacks, instead of a comment full of "undefined".
 */
export function parseStackResult(doc: unknown, file: string): StackResult {
    if (!isRecord(doc)) {
        throw new ReportShapeError(`${file}: not a JSON object`);
    }
    const stack = str(doc.stack, `${file}: stack`);
    if (doc.error !== undefined) {
        return { stack, error: errorLine(str(doc.error, `${file}: error`)) };
    }
    if (!isRecord(doc.summary)) {
        throw new ReportShapeError(`${file}: summary missing (is it a redis-stack-check --format json report?)`);
    }
    const summary = {
        toCreate: num(doc.summary.toCreate, `${file}: summary.toCreate`),
        mandatory: num(doc.summary.mandatory, `${file}: summary.mandatory`),
        advisory: num(doc.summary.advisory, `${file}: summary.advisory`),
    };
    if (!Array.isArray(doc.violations)) {
        throw new ReportShapeError(`${file}: violations must be an array`);
    }
    const violations = doc.violations.map((v, i): Violation => {
        const where = `${file}: violations[${i}]`;
        if (!isRecord(v)) {
            throw new ReportShapeError(`${where} must be an object`);
        }
        return {
            policy: str(v.policy, `${where}.policy`),
            enforcementLevel: str(v.enforcementLevel, `${where}.enforcementLevel`),
            urn: v.urn === undefined || v.urn === null ? undefined : str(v.urn, `${where}.urn`),
            message: str(v.message, `${where}.message`),
        };
    });
    const report: StackReport = { stack, summary, violations };
    if (isRecord(doc.cost)) {
        report.cost = {
            monthly: num(doc.cost.monthly, `${file}: cost.monthly`),
            monthlyAfterFreeTier:
                doc.cost.monthlyAfterFreeTier === undefined
                    ? undefined
                    : num(doc.cost.monthlyAfterFreeTier, `${file}: cost.monthlyAfterFreeTier`),
        };
    }
    if (doc.plan !== undefined && doc.plan !== null) {
        report.plan = parsePlan(doc.plan, `${file}: plan`);
    }
    // Optional: reports from before the second pass have none.
    if (doc.wouldFailAtUp !== undefined) {
        if (!Array.isArray(doc.wouldFailAtUp)) {
            throw new ReportShapeError(`${file}: wouldFailAtUp must be an array`);
        }
        report.wouldFailAtUp = doc.wouldFailAtUp.map((f, i): UpFinding => {
            const where = `${file}: wouldFailAtUp[${i}]`;
            if (!isRecord(f)) {
                throw new ReportShapeError(`${where} must be an object`);
            }
            return {
                source: str(f.source, `${where}.source`),
                urn: str(f.urn, `${where}.urn`),
                message: str(f.message, `${where}.message`),
            };
        });
    }
    return report;
}

function parsePlan(p: unknown, where: string): Plan {
    if (!isRecord(p)) {
        throw new ReportShapeError(`${where} must be an object`);
    }
    if (!Array.isArray(p.steps)) {
        throw new ReportShapeError(`${where}.steps must be an array`);
    }
    const callouts = p.callouts === undefined ? [] : p.callouts;
    if (!Array.isArray(callouts)) {
        throw new ReportShapeError(`${where}.callouts must be an array`);
    }
    return {
        base: str(p.base, `${where}.base`),
        monthlyBefore: num(p.monthlyBefore, `${where}.monthlyBefore`),
        monthlyAfter: num(p.monthlyAfter, `${where}.monthlyAfter`),
        errors: strings(p.errors, `${where}.errors`),
        deleteBeforeReplace: strings(p.deleteBeforeReplace, `${where}.deleteBeforeReplace`),
        callouts: callouts.map((c, i) => {
            if (!isRecord(c)) {
                throw new ReportShapeError(`${where}.callouts[${i}] must be an object`);
            }
            return {
                urn: str(c.urn, `${where}.callouts[${i}].urn`),
                message: str(c.message, `${where}.callouts[${i}].message`),
            };
        }),
        steps: p.steps.map((s, i): PlanStep => {
            const at = `${where}.steps[${i}]`;
            if (!isRecord(s)) {
                throw new ReportShapeError(`${at} must be an object`);
            }
            const reasons = s.replaceReasons === undefined ? [] : s.replaceReasons;
            if (!Array.isArray(reasons)) {
                throw new ReportShapeError(`${at}.replaceReasons must be an array`);
            }
            return {
                urn: str(s.urn, `${at}.urn`),
                type: str(s.type, `${at}.type`),
                op: str(s.op, `${at}.op`),
                changed: strings(s.changed, `${at}.changed`),
                replaceReasons: reasons.map((r, j) => {
                    const rw = `${at}.replaceReasons[${j}]`;
                    if (!isRecord(r)) {
                        throw new ReportShapeError(`${rw} must be an object`);
                    }
                    return {
                        property: str(r.property, `${rw}.property`),
                        rule: str(r.rule, `${rw}.rule`),
                        source: r.source === undefined ? undefined : str(r.source, `${rw}.source`),
                    };
                }),
                stateful: s.stateful === true,
            };
        }),
    };
}

/**
 * Text that renders as itself anywhere in GitHub markdown (a table cell, a list item, a heading): every character
 * that markdown, GFM tables, HTML, math (`$`), mentions (`@`) or issue links (`#`) give a meaning becomes a numeric
 * character reference, which GitHub shows as the character and parses as nothing; line breaks become spaces.
 */
export function mdText(s: string): string {
    return s.replace(/\r\n?|\n/g, " ").replace(/[^A-Za-z0-9 ,.:;/=+\-?'"%()\u00a0-\u2027\u2030-\uffff]/g, (c) => {
        return `&#${c.codePointAt(0)};`;
    });
}

/** A URN's resource name (what follows its last `::`), or the text itself. */
function shortName(urn: string): string {
    return urn.includes("::") ? urn.slice(urn.lastIndexOf("::") + 2) : urn;
}

/** `aws:elasticache/replicationGroup:ReplicationGroup` + URN -> "aws:elasticache:ReplicationGroup redis-dev-x". */
function resourceLabel(type: string, urn: string): string {
    return `${displayType(type)} ${shortName(urn)}`;
}

/** Dollars, with the `$` escaped: two on one line would otherwise open GitHub's inline math. */
function usd(x: number): string {
    return `\\$${x.toFixed(2)}`;
}

function signedUsd(x: number): string {
    return `${x < 0 ? "−" : "+"}${usd(Math.abs(x))}`;
}

const OP_ORDER = ["replace", "delete", "create", "update", "same"];

function opCounts(steps: PlanStep[]): string {
    const n = new Map<string, number>();
    for (const s of steps) {
        n.set(s.op, (n.get(s.op) ?? 0) + 1);
    }
    const ops = [...OP_ORDER, ...[...n.keys()].filter((o) => !OP_ORDER.includes(o)).sort()];
    return ops.map((o) => `${n.get(o) ?? 0} to ${mdText(o)}`).join(", ");
}

function stackIcon(r: StackResult): string {
    if (isFailure(r)) {
        return "💥";
    }
    const destructive = (r.plan?.steps ?? []).some((s) => s.op === "replace" || s.op === "delete");
    const fails = r.summary.mandatory > 0 || (r.plan?.errors ?? []).length > 0 || (r.wouldFailAtUp ?? []).length > 0;
    return fails ? "❌" : destructive || r.summary.advisory > 0 ? "⚠️" : "✅";
}

/** A stack's section in two parts: what a reviewer must see (kept whole) and the verdict tables (cut first). */
interface Section {
    essential: string[];
    detail: string[];
}

function destructiveLines(plan: Plan): string[] {
    const risky = plan.steps
        .filter((s) => s.op === "replace" || s.op === "delete")
        .sort((a, b) => Number(b.stateful) - Number(a.stateful) || OP_ORDER.indexOf(a.op) - OP_ORDER.indexOf(b.op));
    if (risky.length === 0) {
        return ["No resource is replaced or deleted."];
    }
    return risky.map((s) => {
        const what = `**${s.op}**${s.stateful ? " (**stateful**: its data goes with it)" : ""}`;
        const reasons = (s.replaceReasons ?? []).map(
            (r) => `${mdText(r.property)} (${mdText(r.rule)}${r.source ? `: ${mdText(r.source)}` : ""})`,
        );
        const why = reasons.length > 0 ? `, forced by ${reasons.join("; ")}` : "";
        const first = (plan.deleteBeforeReplace ?? []).includes(s.urn)
            ? "; **deleted before its replacement is created** (downtime)"
            : "";
        const callout = (plan.callouts ?? []).find((c) => c.urn === s.urn);
        return `- ${what} ${mdText(resourceLabel(s.type, s.urn))}${why}${first}${callout ? `. ${mdText(callout.message)}` : ""}`;
    });
}

function costLine(r: StackReport): string {
    const after = r.plan?.monthlyAfter ?? r.cost?.monthly;
    if (r.plan) {
        const delta = r.plan.monthlyAfter - r.plan.monthlyBefore;
        return `Monthly cost: ${usd(r.plan.monthlyBefore)} → ${usd(r.plan.monthlyAfter)} (${signedUsd(delta)}).`;
    }
    if (after === undefined) {
        return "Monthly cost: not estimated.";
    }
    const free = r.cost?.monthlyAfterFreeTier;
    const afterFree = free !== undefined && free !== after ? `, ${usd(free)} after the free tier` : "";
    return `Monthly cost: ${usd(after)} at list price${afterFree} (no base to compare).`;
}

function verdictTable(level: string, vs: Violation[]): string[] {
    if (vs.length === 0) {
        return [`No ${level} violation.`, ""];
    }
    const out = [`**${vs.length} ${level}**`, "", "| Policy | Resource | Message |", "| --- | --- | --- |"];
    for (const v of vs) {
        const res = v.urn ? mdText(shortName(v.urn)) : "(stack)";
        out.push(`| ${mdText(v.policy)} | ${res} | ${mdText(v.message)} |`);
    }
    out.push("");
    return out;
}

function section(r: StackResult, base: string | undefined): Section {
    const head = `### ${stackIcon(r)} Stack ${mdText(r.stack)}`;
    if (isFailure(r)) {
        return { essential: [head, "", `The check could not run: ${mdText(r.error)}`, ""], detail: [] };
    }
    const essential = [head, ""];
    const atUp = r.wouldFailAtUp ?? [];
    if (atUp.length > 0) {
        essential.push(
            "**pulumi up would fail** where the preview passes (judged with every output known):",
            "",
            ...atUp.map((f) => `- ${mdText(f.source)}: ${mdText(shortName(f.urn))}: ${mdText(f.message)}`),
            "",
        );
    }
    if (r.plan) {
        const errors = r.plan.errors ?? [];
        if (errors.length > 0) {
            essential.push("**pulumi up would fail:**", "", ...errors.map((e) => `- ${mdText(e)}`), "");
        }
        essential.push(`Against base ${mdText(r.plan.base)}:`, "", ...destructiveLines(r.plan), "");
        essential.push(`Plan: ${opCounts(r.plan.steps)}.`, "");
    } else if (base) {
        essential.push(`No plan against the base in this report: ${r.summary.toCreate} resources as if created.`, "");
    } else {
        essential.push(`No base to compare with: ${r.summary.toCreate} resources as if created from scratch.`, "");
    }
    essential.push(costLine(r), "");
    essential.push(
        `Verdicts: ${r.summary.mandatory} mandatory, ${r.summary.advisory} advisory` +
            `${r.summary.mandatory > 0 ? " (a mandatory violation fails the check)" : ""}.`,
        "",
    );
    const mandatory = r.violations.filter((v) => v.enforcementLevel === "mandatory");
    const advisory = r.violations.filter((v) => v.enforcementLevel !== "mandatory");
    return { essential, detail: [...verdictTable("mandatory", mandatory), ...verdictTable("advisory", advisory)] };
}

function cutNote(omitted: number, maxChars: number, runUrl: string | undefined): string {
    const run = runUrl ? `[this run](${runUrl})` : "this workflow run";
    const limit =
        maxChars === GITHUB_COMMENT_LIMIT
            ? `GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit`
            : `${maxChars.toLocaleString("en-US")} characters`;
    return (
        `> ✂️ **Cut here** to stay under ${limit}: ${omitted} more line${omitted === 1 ? "" : "s"} not shown. ` +
        `The full reports are in the job summary and the offline-check-reports artifact of ${run}.`
    );
}

const joinedLength = (lines: string[]): number => lines.reduce((n, l) => n + l.length + 1, 0);

/**
 * The comment for every stack's result, at most `maxChars` long. When it doesn't fit, verdict table lines are
 * dropped first (document order: the earliest kept), then, only if every stack's replaces, deletes, counts and
 * costs alone are too long, those are cut line by line; either cut leaves a note where it happened.
 */
export function buildComment(results: StackResult[], opts: CommentOptions = {}): string {
    const maxChars = opts.maxChars ?? GITHUB_COMMENT_LIMIT;
    const top = [COMMENT_MARKER, "## Offline policy check and plan", ""];
    const base = opts.base ?? results.find((r): r is StackReport => !isFailure(r) && r.plan !== undefined)?.plan?.base;
    top.push(
        (base
            ? `Each stack checked against the pull request's base ${mdText(base)}`
            : "No base revision given: each stack is shown as a first deploy") +
            (opts.headSha ? ` at ${mdText(opts.headSha)}` : "") +
            " (redis-stack-check, offline: no cloud account, the real policy pack).",
        "",
    );
    const sections = results.map((r) => section(r, base));
    // One note's length as an upper bound for every note (the count has at most as many digits as the lines).
    const allLines = top.length + sections.reduce((n, s) => n + s.essential.length + s.detail.length, 0);
    const noteBudget = cutNote(allLines, maxChars, opts.runUrl).length + 3;
    const full = [...top, ...sections.flatMap((s) => [...s.essential, ...s.detail])];
    if (joinedLength(full) <= maxChars) {
        return full.join("\n");
    }
    const essentialLength = joinedLength(top) + sections.reduce((n, s) => n + joinedLength(s.essential), 0);
    const out = [...top];
    if (essentialLength + noteBudget <= maxChars) {
        // Every stack's essentials fit: keep verdict lines in document order while they fit; once a table is
        // cut, the note stands there and later stacks show their essentials only.
        let room = maxChars - essentialLength - noteBudget;
        let omitted = 0;
        for (const s of sections) {
            out.push(...s.essential);
            for (const line of s.detail) {
                if (omitted === 0 && line.length + 1 <= room) {
                    out.push(line);
                    room -= line.length + 1;
                } else {
                    if (omitted === 0) {
                        out.push("", cutNote(-1, maxChars, opts.runUrl), "");
                    }
                    omitted++;
                }
            }
        }
        return finishNote(out, omitted, maxChars, opts.runUrl);
    }
    // Even the essentials are too long: keep lines in document order, essentials before details, then the note.
    let room = maxChars - joinedLength(top) - noteBudget;
    let omitted = 0;
    for (const s of sections) {
        for (const line of [...s.essential, ...s.detail]) {
            if (omitted === 0 && line.length + 1 <= room) {
                out.push(line);
                room -= line.length + 1;
            } else {
                if (omitted === 0) {
                    out.push("", cutNote(-1, maxChars, opts.runUrl));
                }
                omitted++;
            }
        }
    }
    return finishNote(out, omitted, maxChars, opts.runUrl);
}

/** Puts the final count of omitted lines into the note placed where the cut happened. */
function finishNote(out: string[], omitted: number, maxChars: number, runUrl: string | undefined): string {
    const placeholder = cutNote(-1, maxChars, runUrl);
    return out.map((l) => (l === placeholder ? cutNote(omitted, maxChars, runUrl) : l)).join("\n");
}
