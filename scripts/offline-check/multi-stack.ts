// Several stacks in one run (`--stack dev,staging,prod`, `--all-stacks`): one checker process, one program child
// and one policy pack process for all of them (their start-up paid once; each program run in an SDK state of its
// own, as the automation API runs inline programs, and the pack loaded once per stack with that stack's
// environment: run.ts, recorder/program-child.ts, analyzer/pack-entry.js; see the README, "Several stacks in one
// run"). Reports come in the order the stacks were named; the exit code is the worst of them (2 > 1 > 0).
import { OFFLINE_CHECK_EXIT, OfflineCheckError, userMessage } from "./offline-check-error";
import { formatJson } from "./report/json";
import { statefulChanges } from "./report/plan";
import type { OfflineCheckReport } from "./report/report";
import { type ReportFormat, formatOfflineReport } from "./report/formats";
import { formatSarif } from "./report/sarif";
import { type OfflineCheckRequest, type StackRun, offlineCheckReport, runOfflineChecks } from "./run";

/** One stack's result: its report, or the error that stopped its check. */
export type StackOutcome = { stack: string; report: OfflineCheckReport } | { stack: string; error: Error };

/** The stack names of a `--stack` value: comma-separated, each a valid name, none twice. */
export function parseStackList(value: string): string[] {
    const stacks = value.split(",");
    for (const s of stacks) {
        if (!/^[A-Za-z0-9_.-]+$/.test(s)) {
            throw new OfflineCheckError(`--stack '${s}' is not a valid stack name (letters, digits, '_', '.', '-')`);
        }
    }
    const twice = stacks.find((s, i) => stacks.indexOf(s) !== i);
    if (twice !== undefined) {
        throw new OfflineCheckError(`--stack names '${twice}' twice`);
    }
    return stacks;
}

/**
 * Runs the stacks' checks (run.ts runOfflineChecks: one program child for all of them), outcomes in the order of
 * `stacks`; never rejects for one stack's failure (its outcome holds the error).
 */
export async function runStacks(
    req: Omit<OfflineCheckRequest, "stack">,
    stacks: string[],
    check: (req: Omit<OfflineCheckRequest, "stack">, stacks: string[]) => Promise<StackRun[]> = runOfflineChecks,
): Promise<StackOutcome[]> {
    return (await check(req, stacks)).map((o) => {
        if ("error" in o) {
            return o;
        }
        try {
            return { stack: o.stack, report: offlineCheckReport(o.run) };
        } catch (e) {
            return { stack: o.stack, error: e instanceof Error ? e : new Error(String(e)) };
        }
    });
}

/**
 * What one report adds on stderr and its exit code: the second pass's note when it was skipped; its findings
 * (`pulumi up` would fail where the preview passes) exit 2; else 1 with a mandatory violation, a plan error, or
 * (with --fail-on-replace) a plan that replaces or deletes a stateful resource; else 0. `stack` names the stack
 * in the lines when several are checked.
 */
export function reportVerdict(
    report: OfflineCheckReport,
    failOnReplace = false,
    stack?: string,
): { code: number; stderr: string } {
    const where = stack === undefined ? "" : `stack '${stack}': `;
    let stderr = "";
    if (report.upPassSkipped) {
        stderr += `redis-stack-check: note: ${where}the second pass (every output known) was skipped: the program failed with mock outputs: ${userMessage(report.upPassSkipped)}\n`;
    }
    const findings = report.wouldFailAtUp ?? [];
    if (findings.length > 0) {
        // The preview passes, but `pulumi up` would not (the second pass, up-pass.ts): exit 2 with one line each.
        stderr +=
            `redis-stack-check: error: ${where}would fail at \`pulumi up\`: ${findings.length} problem${findings.length === 1 ? "" : "s"} a real preview cannot see (judged with every output known):\n` +
            findings.map((f) => `    ${userMessage(f.message).split("\n").join("\n      ")}`).join("\n") +
            "\n";
        return { code: OFFLINE_CHECK_EXIT.error, stderr };
    }
    const plan = report.plan;
    const refused =
        report.violations.some((v) => v.enforcementLevel === "mandatory") ||
        (plan !== undefined && plan.errors.length > 0) ||
        (plan !== undefined && failOnReplace && statefulChanges(plan).length > 0);
    return { code: refused ? OFFLINE_CHECK_EXIT.mandatoryViolation : OFFLINE_CHECK_EXIT.ok, stderr };
}

/** The worst of the stacks: an error (2) over a refusal (1) over none (0), each as reportVerdict judges it. */
export function worstExitCode(outcomes: StackOutcome[], failOnReplace = false): number {
    return Math.max(
        OFFLINE_CHECK_EXIT.ok,
        ...outcomes.map((o) => ("error" in o ? OFFLINE_CHECK_EXIT.error : reportVerdict(o.report, failOnReplace).code)),
    );
}

/** The line a stack's error prints on stderr, naming the stack (as a single stack's `error:` line otherwise). */
export function stackErrorLine(o: { stack: string; error: Error }): string {
    const kind = o.error instanceof OfflineCheckError ? "error" : "internal error";
    const text = o.error instanceof OfflineCheckError ? o.error.message : (o.error.stack ?? o.error.message);
    return `redis-stack-check: ${kind}: stack '${o.stack}': ${userMessage(text)}\n`;
}

/**
 * Several stacks' reports in one document. text and markdown: one report after another; json:
 * `{ "stacks": [<one stack's report>, ...] }` with `{ "stack", "error" }` for a stack whose check failed; sarif:
 * one run per stack (each with its own automationDetails id, `redis-stack-check/<stack>/`), in one log.
 */
export function formatStacks(outcomes: StackOutcome[], format: ReportFormat, toolVersion: string): string {
    const reports = outcomes.filter((o): o is { stack: string; report: OfflineCheckReport } => "report" in o);
    switch (format) {
        case "text":
        case "markdown":
            return reports.map((o) => formatOfflineReport(o.report, format, toolVersion)).join("\n");
        case "json":
            return (
                JSON.stringify(
                    {
                        stacks: outcomes.map((o) =>
                            "report" in o
                                ? (JSON.parse(formatJson(o.report)) as unknown)
                                : { stack: o.stack, error: o.error.message },
                        ),
                    },
                    null,
                    2,
                ) + "\n"
            );
        case "sarif":
            return stacksSarif(reports, toolVersion);
    }
}

/** One SARIF log with a run per stack (a log with no run when every stack failed). */
export function stacksSarif(reports: { report: OfflineCheckReport }[], toolVersion: string): string {
    const logs = reports.map((o) => JSON.parse(formatSarif(o.report, toolVersion)) as { runs: unknown[] });
    const first = logs[0] ?? { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs: [] };
    return JSON.stringify({ ...first, runs: logs.flatMap((l) => l.runs) }, null, 2) + "\n";
}
