// The CLI of redis-stack-check (bin scripts/redis-stack-check.js -> cli -> run -> report): parses the flags,
// runs the offline check, renders the report and turns the verdict into an exit code (OFFLINE_CHECK_EXIT:
// 0 no mandatory violation, 1 at least one, 2 usage, config, program or pack error).
import * as fs from "fs";
import * as path from "path";
import { OFFLINE_CHECK_EXIT, OfflineCheckError } from "./offline-check-error";
import { REPORT_FORMATS, type ReportFormat, formatOfflineReport } from "./report/formats";
import { formatSarif } from "./report/sarif";
import { type OfflineCheckRequest, offlineCheckReport, runOfflineCheck } from "./run";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export const OFFLINE_CHECK_USAGE = `Usage: redis-stack-check [--program DIR] [--stack NAME] [--format text|json|markdown|sarif]
                         [--policy-config FILE] [--policy-pack DIR] [--sarif-file FILE]

Runs the Pulumi program in DIR for a stack under Pulumi's mock runtime in preview mode (no cloud account, no
Pulumi CLI) and judges what it would create with the policy pack, exactly as \`pulumi preview --policy-pack\`.

  --program DIR         Pulumi project directory (default: ${REPO_ROOT})
  --stack NAME          stack whose Pulumi.<NAME>.yaml to use (default: dev)
  --format FORMAT       text (default), json, markdown or sarif
  --policy-config FILE  policy pack config, as for \`pulumi preview --policy-pack-config\`
                        (default: <policy pack>/config/<stack>.json when it exists)
  --policy-pack DIR     policy pack directory (default: ${path.join(REPO_ROOT, "policy")})
  --sarif-file FILE     also write the SARIF report to FILE
  -h, --help            show this help

Exit status: 0 no mandatory violation, 1 a mandatory violation, 2 usage, config, program or pack error.`;

/** The parsed command line: what to run, and how to report it. */
export interface OfflineCheckOptions extends OfflineCheckRequest {
    format: ReportFormat;
    sarifFile?: string;
    help: boolean;
}

/** Parses argv (without node and script); throws OfflineCheckError naming the flag and the allowed values. */
export function parseOfflineCheckArgs(argv: string[], cwd = process.cwd()): OfflineCheckOptions {
    const opts: OfflineCheckOptions = {
        programDir: REPO_ROOT,
        stack: "dev",
        format: "text",
        policyPack: path.join(REPO_ROOT, "policy"),
        help: false,
    };
    const flags = ["--program", "--stack", "--format", "--policy-config", "--policy-pack", "--sarif-file"];
    for (let i = 0; i < argv.length; i++) {
        let arg = argv[i];
        let value: string | undefined;
        const eq = arg.indexOf("=");
        if (arg.startsWith("--") && eq > 0) {
            value = arg.slice(eq + 1);
            arg = arg.slice(0, eq);
        }
        if (arg === "-h" || arg === "--help") {
            opts.help = true;
            continue;
        }
        if (!flags.includes(arg)) {
            throw new OfflineCheckError(`unknown argument '${argv[i]}' (flags: ${flags.join(", ")}, --help)`);
        }
        if (value === undefined) {
            value = argv[++i];
            if (value === undefined || value.startsWith("--")) {
                throw new OfflineCheckError(`${arg} needs a value`);
            }
        }
        if (value === "") {
            throw new OfflineCheckError(`${arg} needs a non-empty value`);
        }
        switch (arg) {
            case "--program":
                opts.programDir = path.resolve(cwd, value);
                break;
            case "--stack":
                if (!/^[A-Za-z0-9_.-]+$/.test(value)) {
                    throw new OfflineCheckError(
                        `--stack '${value}' is not a valid stack name (letters, digits, '_', '.', '-')`,
                    );
                }
                opts.stack = value;
                break;
            case "--format":
                if (!(REPORT_FORMATS as readonly string[]).includes(value)) {
                    throw new OfflineCheckError(
                        `--format '${value}' is not supported (allowed: ${REPORT_FORMATS.join(", ")})`,
                    );
                }
                opts.format = value as ReportFormat;
                break;
            case "--policy-config":
                opts.policyConfig = path.resolve(cwd, value);
                break;
            case "--policy-pack":
                opts.policyPack = path.resolve(cwd, value);
                break;
            case "--sarif-file":
                opts.sarifFile = path.resolve(cwd, value);
                break;
        }
    }
    if (!fs.existsSync(opts.programDir) || !fs.statSync(opts.programDir).isDirectory()) {
        throw new OfflineCheckError(`--program ${opts.programDir} is not a directory`);
    }
    return opts;
}

function toolVersion(): string {
    try {
        return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string })
            .version;
    } catch {
        return "0.0.0";
    }
}

/** Runs the CLI; resolves to the exit code (never rejects: every error is reported on stderr). */
export async function main(argv: string[]): Promise<number> {
    let opts: OfflineCheckOptions;
    try {
        opts = parseOfflineCheckArgs(argv);
    } catch (e) {
        process.stderr.write(`redis-stack-check: ${(e as Error).message}\n\n${OFFLINE_CHECK_USAGE}\n`);
        return OFFLINE_CHECK_EXIT.error;
    }
    if (opts.help) {
        process.stdout.write(`${OFFLINE_CHECK_USAGE}\n`);
        return OFFLINE_CHECK_EXIT.ok;
    }
    try {
        const report = offlineCheckReport(await runOfflineCheck(opts));
        const version = toolVersion();
        process.stdout.write(formatOfflineReport(report, opts.format, version));
        if (opts.sarifFile) {
            fs.writeFileSync(opts.sarifFile, formatSarif(report, version));
        }
        return report.violations.some((v) => v.enforcementLevel === "mandatory")
            ? OFFLINE_CHECK_EXIT.mandatoryViolation
            : OFFLINE_CHECK_EXIT.ok;
    } catch (e) {
        if (e instanceof OfflineCheckError) {
            process.stderr.write(`redis-stack-check: error: ${e.message}\n`);
        } else {
            process.stderr.write(`redis-stack-check: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
        }
        return OFFLINE_CHECK_EXIT.error;
    }
}
