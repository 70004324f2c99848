// redis-stack-check: runs a Pulumi program offline (mock runtime, preview mode), judges it with the real policy
// pack over the Analyzer gRPC protocol, prints the plan and verdicts. Exit 0: no mandatory violation; 1: at
// least one; 2: usage, config, program or pack error.
import * as fs from "fs";
import * as path from "path";
import { Analysis, type AnalysisResult, AnalyzerSession, PackProcess, packEnv } from "./analyzer";
import { CheckError, EXIT_ERROR, EXIT_MANDATORY, EXIT_OK } from "./errors";
import { FORMATS, type Format, formatReport, formatSarif } from "./format";
import { type Project, type StackConfig, loadProject, loadStackConfig, programEntry } from "./project";
import { runRecorder } from "./record";
import type { Recording } from "./recording";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export const USAGE = `Usage: redis-stack-check [--program DIR] [--stack NAME] [--format text|json|markdown|sarif]
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

export interface CliOptions {
    programDir: string;
    stack: string;
    format: Format;
    policyConfig?: string;
    policyPack: string;
    sarifFile?: string;
    help: boolean;
}

/** Parses argv (without node and script); throws CheckError naming the flag and the allowed values. */
export function parseArgs(argv: string[], cwd = process.cwd()): CliOptions {
    const opts: CliOptions = {
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
            throw new CheckError(`unknown argument '${argv[i]}' (flags: ${flags.join(", ")}, --help)`);
        }
        if (value === undefined) {
            value = argv[++i];
            if (value === undefined || value.startsWith("--")) {
                throw new CheckError(`${arg} needs a value`);
            }
        }
        if (value === "") {
            throw new CheckError(`${arg} needs a non-empty value`);
        }
        switch (arg) {
            case "--program":
                opts.programDir = path.resolve(cwd, value);
                break;
            case "--stack":
                if (!/^[A-Za-z0-9_.-]+$/.test(value)) {
                    throw new CheckError(
                        `--stack '${value}' is not a valid stack name (letters, digits, '_', '.', '-')`,
                    );
                }
                opts.stack = value;
                break;
            case "--format":
                if (!(FORMATS as readonly string[]).includes(value)) {
                    throw new CheckError(`--format '${value}' is not supported (allowed: ${FORMATS.join(", ")})`);
                }
                opts.format = value as Format;
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
        throw new CheckError(`--program ${opts.programDir} is not a directory`);
    }
    return opts;
}

/** The file a SARIF result points at: the program's main source file. */
export function mainSourceFile(project: Project): string {
    const entry = programEntry(project);
    if (fs.existsSync(entry) && fs.statSync(entry).isDirectory()) {
        for (const f of ["index.ts", "index.js"]) {
            if (fs.existsSync(path.join(entry, f))) {
                return path.join(entry, f);
            }
        }
    }
    return entry;
}

function toolVersion(): string {
    try {
        return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string })
            .version;
    } catch {
        return "0.0.0";
    }
}

export interface CheckRun {
    project: Project;
    stackConfig: StackConfig;
    recording: Recording;
    analysis: AnalysisResult;
}

/** Loads, runs and judges; the pack is stopped whatever happens. */
export async function runCheck(opts: CliOptions): Promise<CheckRun> {
    const project = loadProject(opts.programDir);
    const stackConfig = loadStackConfig(project, opts.stack);
    const defaultPolicyConfig = path.join(opts.policyPack, "config", `${opts.stack}.json`);
    const policyConfigFile =
        opts.policyConfig ?? (fs.existsSync(defaultPolicyConfig) ? defaultPolicyConfig : undefined);

    const tags: Record<string, string> = { "pulumi:project": project.name, "pulumi:runtime": project.runtime };
    if (project.description) {
        tags["pulumi:description"] = project.description;
    }
    // Like the engine: the pack starts before the program runs, and each resource is analyzed as its
    // registration arrives, while the program goes on (on two cores the program and the pack run side by side).
    const packStart = PackProcess.start(opts.policyPack, packEnv(project.name, opts.stack, stackConfig.config));
    const sessionStart = packStart.then((pack) => new AnalyzerSession(pack));
    sessionStart.catch(() => undefined);
    const analysis = new Analysis(sessionStart, project.name, opts.stack, {
        config: stackConfig.config,
        secretKeys: stackConfig.secretKeys,
        policyConfigFile,
        tags,
    });
    const [packResult, recordResult] = await Promise.allSettled([
        packStart,
        runRecorder(project, stackConfig, (r) => analysis.add(r)),
    ]);
    const pack = packResult.status === "fulfilled" ? packResult.value : undefined;
    try {
        if (recordResult.status === "rejected") {
            throw recordResult.reason;
        }
        if (packResult.status === "rejected") {
            throw packResult.reason;
        }
        const result = await analysis.finish(recordResult.value);
        return { project, stackConfig, recording: recordResult.value, analysis: result };
    } finally {
        if (pack) {
            (await sessionStart).close();
            await pack.stop();
        }
    }
}

function repoRelative(file: string): string {
    return path.relative(process.cwd(), file).split(path.sep).join("/");
}

export async function main(argv: string[]): Promise<number> {
    let opts: CliOptions;
    try {
        opts = parseArgs(argv);
    } catch (e) {
        process.stderr.write(`redis-stack-check: ${(e as Error).message}\n\n${USAGE}\n`);
        return EXIT_ERROR;
    }
    if (opts.help) {
        process.stdout.write(`${USAGE}\n`);
        return EXIT_OK;
    }
    try {
        const run = await runCheck(opts);
        const report = {
            recording: run.recording,
            pack: run.analysis.pack,
            violations: run.analysis.violations,
            mainFile: repoRelative(mainSourceFile(run.project)),
            stackFile: repoRelative(run.stackConfig.stackFile),
        };
        const version = toolVersion();
        process.stdout.write(formatReport(report, opts.format, version));
        if (opts.sarifFile) {
            fs.writeFileSync(opts.sarifFile, formatSarif(report, version));
        }
        return report.violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT_MANDATORY : EXIT_OK;
    } catch (e) {
        if (e instanceof CheckError) {
            process.stderr.write(`redis-stack-check: error: ${e.message}\n`);
        } else {
            process.stderr.write(`redis-stack-check: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
        }
        return EXIT_ERROR;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
