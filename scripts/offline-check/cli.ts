// The CLI of redis-stack-check (bin scripts/redis-stack-check.js -> cli -> run -> report): parses the flags,
// runs the offline check, renders the report and turns the verdict into an exit code (OFFLINE_CHECK_EXIT:
// 0 no mandatory violation, 1 at least one, 2 usage, config, program or pack error).
import * as fs from "fs";
import * as path from "path";
import { type FlagSpec, argTokens } from "../command-line";
import { SIGNAL_EXIT, stopWithParent, withTimeout } from "./lifecycle";
import {
    formatStacks,
    parseStackList,
    reportVerdict,
    runStacks,
    stackErrorLine,
    stacksSarif,
    worstExitCode,
} from "./multi-stack";
import { OFFLINE_CHECK_EXIT, OfflineCheckError, escapeControl, userMessage } from "./offline-check-error";
import { listStacks, loadProject } from "./project/project-file";
import { loadStackConfigValues } from "./project/stack-config";
import { REPORT_FORMATS, type ReportFormat, formatOfflineReport } from "./report/formats";
import { formatSarif } from "./report/sarif";
import { type OfflineCheckRequest, offlineCheckReport, runOfflineCheck } from "./run";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The default of --timeout: the whole check (program, pack start, every Analyze) must finish within it. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

export const OFFLINE_CHECK_USAGE = `Usage: redis-stack-check [--program DIR] [--stack NAME[,NAME...] | --all-stacks]
                         [--format text|json|markdown|sarif]
                         [--policy-pack-config FILE] [--policy-pack DIR] [--sarif-file FILE] [--timeout SECONDS]
                         [--base REV | --state FILE] [--fail-on-replace] [--preview-only]

Runs the Pulumi program in DIR for a stack under Pulumi's mock runtime in preview mode (no cloud account, no
Pulumi CLI) and judges what it would create with the policy pack, exactly as \`pulumi preview --policy-pack\`.

  --program DIR         Pulumi project directory (default: ${REPO_ROOT})
  --stack NAME          stack whose Pulumi.<NAME>.yaml to use (default: dev); several, comma-separated
                        (dev,staging,prod), are checked in one run, one report after another (json:
                        {"stacks": [...]}; sarif: one run per stack), exit status the worst of them
  --all-stacks          every stack: each Pulumi.<stack>.yaml beside Pulumi.yaml
  --format FORMAT       text (default), json, markdown or sarif
  --policy-pack-config FILE
                        policy pack config, as for \`pulumi preview --policy-pack-config\` (alias:
                        --policy-config; default: <policy pack>/config/<stack>.json when it exists)
  --policy-pack DIR     policy pack directory (default: ${path.join(REPO_ROOT, "policy")})
  --sarif-file FILE     also write the SARIF report to FILE (its directory must be writable)
  --timeout SECONDS     stop the check after SECONDS (default: ${DEFAULT_TIMEOUT_SECONDS}), naming what did not finish
  --base REV            also plan the update from the same stack at git revision REV of the program's repository
                        (create, update, replace with the property and rule forcing it, delete; cost before/after);
                        with several stacks, each from its own stack at REV
  --state FILE          also plan the update from \`pulumi stack export\` output in FILE (the deployed stack; one
                        stack only)
  --fail-on-replace     with --base or --state: exit 1 when a stateful resource (cache, KMS key, SSM parameter,
                        VPC or subnet with dependents) would be replaced or deleted
  --preview-only        skip the second pass (the program again with every output known, for what \`pulumi up\`
                        would refuse although the preview passes)
  -h, --help            show this help

Exit status: 0 no mandatory violation, 1 a mandatory violation (or a plan \`pulumi up\` would fail on, or with
--fail-on-replace a stateful replace or delete), 2 usage, config, program or pack error,
timeout, or something \`pulumi up\` would refuse (the second pass, with every output known), ${SIGNAL_EXIT.SIGINT} stopped by SIGINT, ${SIGNAL_EXIT.SIGTERM} stopped by SIGTERM (the program and the pack are stopped too).`;

/** The parsed command line: what to run, and how to report it. */
export interface OfflineCheckOptions extends OfflineCheckRequest {
    /** Every stack to check (`stack` is the first). */
    stacks: string[];
    /** --all-stacks: every Pulumi.<stack>.yaml of the program (resolved into `stacks` by the parser). */
    allStacks: boolean;
    format: ReportFormat;
    sarifFile?: string;
    timeoutSeconds: number;
    failOnReplace: boolean;
    help: boolean;
}

type SetFlag = (o: OfflineCheckOptions, value: string, cwd: string) => void;

const setPolicyConfig: SetFlag = (o, v, cwd) => {
    o.policyConfig = path.resolve(cwd, v);
};

/** The flags that take a value, in the order a usage error lists them: adding one is one entry. */
const VALUE_FLAGS: Readonly<Record<string, SetFlag>> = {
    program: (o, v, cwd) => {
        o.programDir = path.resolve(cwd, v);
    },
    stack: (o, v) => {
        o.stacks = parseStackList(v);
        o.stack = o.stacks[0];
    },
    format: (o, v) => {
        if (!(REPORT_FORMATS as readonly string[]).includes(v)) {
            throw new OfflineCheckError(`--format '${v}' is not supported (allowed: ${REPORT_FORMATS.join(", ")})`);
        }
        o.format = v as ReportFormat;
    },
    "policy-pack-config": setPolicyConfig,
    "policy-config": setPolicyConfig, // alias of --policy-pack-config, the Pulumi CLI's name
    "policy-pack": (o, v, cwd) => {
        o.policyPack = path.resolve(cwd, v);
    },
    "sarif-file": (o, v, cwd) => {
        o.sarifFile = path.resolve(cwd, v);
    },
    timeout: (o, v) => {
        o.timeoutSeconds = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || !(o.timeoutSeconds > 0) || o.timeoutSeconds > 86_400) {
            throw new OfflineCheckError(`--timeout '${v}' must be a number of seconds, above 0 and at most 86400`);
        }
    },
    base: (o, v) => {
        // Refused before git sees it: a revision starting with "-" would be read as an option.
        if (v.startsWith("-") || escapeControl(v) !== v) {
            throw new OfflineCheckError(`--base '${v}' is not a git revision`);
        }
        o.baseRevision = v;
    },
    state: (o, v, cwd) => {
        o.stateFile = path.resolve(cwd, v);
    },
};

/**
 * The flags that take no value, in the order a usage error lists them, with their one-letter aliases. `--flag=x`
 * is an unknown argument, but for --help, which ignores the value.
 */
const SWITCHES: Readonly<
    Record<
        string,
        { readonly short?: string; readonly ignoresValue?: true; readonly set: (o: OfflineCheckOptions) => void }
    >
> = {
    "all-stacks": {
        set: (o) => {
            o.allStacks = true;
        },
    },
    "fail-on-replace": {
        set: (o) => {
            o.failOnReplace = true;
        },
    },
    "preview-only": {
        set: (o) => {
            o.upPass = false;
        },
    },
    help: {
        short: "h",
        ignoresValue: true,
        set: (o) => {
            o.help = true;
        },
    },
};

const FLAG_SPECS: Record<string, FlagSpec> = {
    ...Object.fromEntries(Object.keys(VALUE_FLAGS).map((name) => [name, { type: "string" } as const])),
    ...Object.fromEntries(
        Object.entries(SWITCHES).map(([name, s]) => [name, { type: "boolean", short: s.short } as const]),
    ),
};

function unknownArgument(arg: string): OfflineCheckError {
    const flags = [...Object.keys(VALUE_FLAGS), ...Object.keys(SWITCHES)].map((f) => `--${f}`);
    return new OfflineCheckError(`unknown argument '${arg}' (flags: ${flags.join(", ")})`);
}

/** Parses argv (without node and script); throws OfflineCheckError naming the flag and the allowed values. */
export function parseOfflineCheckArgs(argv: string[], cwd = process.cwd()): OfflineCheckOptions {
    const opts: OfflineCheckOptions = {
        programDir: REPO_ROOT,
        stack: "dev",
        stacks: ["dev"],
        allStacks: false,
        format: "text",
        policyPack: path.join(REPO_ROOT, "policy"),
        timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
        failOnReplace: false,
        help: false,
    };
    let stackGiven = false;
    for (const token of argTokens(argv, FLAG_SPECS)) {
        if (token.kind === "unknown") {
            throw unknownArgument(token.arg);
        }
        stackGiven ||= token.name === "stack";
        const flag = `--${token.name}`;
        const setValue = VALUE_FLAGS[token.name];
        if (setValue === undefined) {
            const toggle = SWITCHES[token.name];
            if (token.inline && !toggle.ignoresValue) {
                throw unknownArgument(`${token.flag}=${token.value}`);
            }
            toggle.set(opts);
            continue;
        }
        if (token.value === undefined || (!token.inline && token.value.startsWith("--"))) {
            throw new OfflineCheckError(`${flag} needs a value`);
        }
        if (token.value === "") {
            throw new OfflineCheckError(`${flag} needs a non-empty value`);
        }
        setValue(opts, token.value, cwd);
    }
    if (opts.allStacks) {
        if (stackGiven) {
            throw new OfflineCheckError("--all-stacks and --stack both name stacks: give one of them");
        }
        opts.stacks = listStacks(opts.programDir);
        if (opts.stacks.length === 0) {
            throw new OfflineCheckError(`--all-stacks: no Pulumi.<stack>.yaml in ${opts.programDir}`);
        }
        opts.stack = opts.stacks[0];
    }
    // A --state export is one stack's state; --base REV holds every stack's (each stack at REV, as CI checks them).
    if (opts.stacks.length > 1 && opts.stateFile !== undefined) {
        throw new OfflineCheckError("--state plans one stack: give a single --stack");
    }
    if (opts.baseRevision !== undefined && opts.stateFile !== undefined) {
        throw new OfflineCheckError("--base and --state are alternatives: give one base for the plan");
    }
    if (opts.failOnReplace && opts.baseRevision === undefined && opts.stateFile === undefined) {
        throw new OfflineCheckError("--fail-on-replace needs a plan: add --base REV or --state FILE");
    }
    if (!fs.existsSync(opts.programDir) || !fs.statSync(opts.programDir).isDirectory()) {
        throw new OfflineCheckError(`--program ${opts.programDir} is not a directory`);
    }
    if (opts.sarifFile) {
        checkWritable("--sarif-file", opts.sarifFile);
    }
    return opts;
}

/**
 * Refuses an output path that cannot be written, before anything runs: the check takes a while, and failing
 * after the report was printed left a stack trace and no file.
 */
function checkWritable(flag: string, file: string): void {
    let target = file;
    if (fs.existsSync(file)) {
        if (fs.statSync(file).isDirectory()) {
            throw new OfflineCheckError(`${flag} ${file} is a directory; name a file`);
        }
    } else {
        target = path.dirname(file);
        if (!fs.existsSync(target) || !fs.statSync(target).isDirectory()) {
            throw new OfflineCheckError(`${flag} ${file}: the directory ${target} does not exist`);
        }
    }
    try {
        fs.accessSync(target, fs.constants.W_OK);
    } catch {
        throw new OfflineCheckError(`${flag} ${file}: ${target} is not writable`);
    }
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
        process.stderr.write(`redis-stack-check: ${userMessage((e as Error).message)}\n\n${OFFLINE_CHECK_USAGE}\n`);
        return OFFLINE_CHECK_EXIT.error;
    }
    if (opts.help) {
        process.stdout.write(`${OFFLINE_CHECK_USAGE}\n`);
        return OFFLINE_CHECK_EXIT.ok;
    }
    stopWithParent();
    if (opts.stacks.length > 1) {
        return checkStacks(opts);
    }
    try {
        const report = offlineCheckReport(await withTimeout(runOfflineCheck(opts), opts.timeoutSeconds));
        const version = toolVersion();
        if (opts.sarifFile) {
            try {
                fs.writeFileSync(opts.sarifFile, formatSarif(report, version));
            } catch (e) {
                throw new OfflineCheckError(`--sarif-file ${opts.sarifFile}: ${(e as Error).message}`);
            }
        }
        process.stdout.write(formatOfflineReport(report, opts.format, version));
        const { code, stderr } = reportVerdict(report, opts.failOnReplace);
        process.stderr.write(stderr);
        return code;
    } catch (e) {
        return reportError(e);
    }
}

/**
 * Several stacks in one run (multi-stack.ts): every stack's config is loaded first, so a bad stack name or
 * config is one line and exit 2 before anything runs; then one report per stack, the worst exit code.
 */
async function checkStacks(opts: OfflineCheckOptions): Promise<number> {
    try {
        const project = loadProject(opts.programDir);
        for (const stack of opts.stacks) {
            loadStackConfigValues(project, stack);
        }
        const outcomes = await withTimeout(runStacks(opts, opts.stacks), opts.timeoutSeconds);
        const version = toolVersion();
        if (opts.sarifFile) {
            try {
                fs.writeFileSync(
                    opts.sarifFile,
                    stacksSarif(
                        outcomes.filter((o) => "report" in o),
                        version,
                    ),
                );
            } catch (e) {
                throw new OfflineCheckError(`--sarif-file ${opts.sarifFile}: ${(e as Error).message}`);
            }
        }
        for (const o of outcomes) {
            process.stderr.write(
                "error" in o ? stackErrorLine(o) : reportVerdict(o.report, opts.failOnReplace, o.stack).stderr,
            );
        }
        process.stdout.write(formatStacks(outcomes, opts.format, version));
        return worstExitCode(outcomes, opts.failOnReplace);
    } catch (e) {
        return reportError(e);
    }
}

/** Prints a check's error on stderr (one line for an OfflineCheckError, the stack for a bug); exit code 2. */
function reportError(e: unknown): number {
    if (e instanceof OfflineCheckError) {
        process.stderr.write(`redis-stack-check: error: ${userMessage(e.message)}\n`);
    } else {
        process.stderr.write(`redis-stack-check: internal error: ${userMessage((e as Error)?.stack ?? String(e))}\n`);
    }
    return OFFLINE_CHECK_EXIT.error;
}
