// The policy pack for several stacks: one pack host serving them all (analyzer/pack-process.ts PackHost) against
// one pack process per stack, each analyzing its stack's real recording (this repository's program and pack,
// every Pulumi.<stack>.yaml), and against the first stack alone. The programs are recorded first, then per mode
// the packs are started, analyze every stack side by side and stop; each pack process reports its CPU time and
// peak RSS through the preloaded probe (process-usage.js). Both modes must give every stack the same violations.
// Prints the best of the runs per mode and their ratios.
// Run: npm run bench:pack-host [-- <runs>]
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PackHost, type PackProcess, packEnv } from "../offline-check/analyzer/pack-process";
import { Analysis, AnalyzerSession } from "../offline-check/analyzer/session";
import { loadProject } from "../offline-check/project/project-file";
import { type StackConfigValues, loadStackConfigValues } from "../offline-check/project/stack-config";
import { ProviderCheckStage, parseAutonamingConfig, randomSuffix } from "../offline-check/provider-check";
import { runRecorder } from "../offline-check/recorder/program-process";
import type { Recording } from "../offline-check/recorder/recording";

const REPO = path.resolve(__dirname, "..", "..");
const PACK = path.join(REPO, "policy");
const PROBE = path.join(__dirname, "process-usage.js");

interface Usage {
    /** Per stack, its violations (JSON): both modes must give the same. */
    verdicts: string[];
    processes: number;
    cpuMs: number;
    maxRssKb: number;
    wall: number;
}

interface StackRun {
    stackConfig: StackConfigValues;
    recording: Recording;
}

/** Each stack's recording, with the inputs the provider's Check passes on (as run.ts feeds the pack). */
async function record(stacks: string[]): Promise<StackRun[]> {
    const project = loadProject(REPO);
    const runs: StackRun[] = [];
    for (const stack of stacks) {
        const stackConfig = loadStackConfigValues(project, stack);
        const autonaming = parseAutonamingConfig(stackConfig.config["pulumi:autonaming"], {
            organization: "organization",
            project: project.name,
            stack,
            config: stackConfig.config,
        });
        const check = new ProviderCheckStage(randomSuffix(), autonaming);
        const recorded = await runRecorder(project, stackConfig, (r) => void check.add(r));
        runs.push({
            stackConfig,
            recording: { ...recorded, resources: recorded.resources.map((r) => check.passedOn(r)) },
        });
    }
    return runs;
}

/** Starts the packs (one host for every stack, or one per stack), analyzes every stack, stops them. */
async function measure(runs: StackRun[], shared: boolean): Promise<Usage> {
    const usageDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pack-host-"));
    const usageFile = path.join(usageDir, "usage.jsonl");
    const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, BENCH_USAGE_FILE: process.env.BENCH_USAGE_FILE };
    process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ""} --require ${PROBE}`.trim();
    process.env.BENCH_USAGE_FILE = usageFile;
    const project = loadProject(REPO);
    const stacks = runs.map((r) => ({
        stack: r.stackConfig.stack,
        env: packEnv(project.name, r.stackConfig.stack, r.stackConfig.config),
    }));
    const start = process.hrtime.bigint();
    let packs: PackProcess[];
    try {
        const hosts = shared ? [PackHost.start(PACK, stacks)] : stacks.map((s) => PackHost.start(PACK, [s]));
        packs = await Promise.all(stacks.map((s, i) => hosts[shared ? 0 : i].pack(s.stack)));
    } finally {
        // Only the packs get the probe.
        process.env.NODE_OPTIONS = saved.NODE_OPTIONS;
        process.env.BENCH_USAGE_FILE = saved.BENCH_USAGE_FILE;
        if (saved.NODE_OPTIONS === undefined) {
            delete process.env.NODE_OPTIONS;
        }
        if (saved.BENCH_USAGE_FILE === undefined) {
            delete process.env.BENCH_USAGE_FILE;
        }
    }
    let verdicts: string[];
    try {
        verdicts = await Promise.all(
            runs.map(async (run, i) => {
                const session = new AnalyzerSession(packs[i]);
                try {
                    const policyConfigFile = path.join(PACK, "config", `${run.stackConfig.stack}.json`);
                    const analysis = new Analysis(Promise.resolve(session), project.name, run.stackConfig.stack, {
                        config: run.stackConfig.config,
                        secretKeys: run.stackConfig.secretKeys,
                        policyConfigFile: fs.existsSync(policyConfigFile) ? policyConfigFile : undefined,
                        tags: { "pulumi:project": project.name, "pulumi:runtime": project.runtime },
                    });
                    return JSON.stringify((await analysis.finish(run.recording)).violations);
                } finally {
                    session.close();
                }
            }),
        );
    } finally {
        await Promise.all(packs.map((p) => p.stop()));
    }
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    try {
        const lines = fs
            .readFileSync(usageFile, "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as { process: string; cpuMs: number; maxRssKb: number })
            .filter((u) => u.process === "pack-entry.js");
        return {
            verdicts,
            processes: lines.length,
            cpuMs: lines.reduce((sum, u) => sum + u.cpuMs, 0),
            maxRssKb: lines.reduce((sum, u) => sum + u.maxRssKb, 0),
            wall,
        };
    } finally {
        fs.rmSync(usageDir, { recursive: true, force: true });
    }
}

function best(us: Usage[]): Usage {
    return {
        verdicts: us[0].verdicts,
        processes: us[0].processes,
        cpuMs: Math.min(...us.map((u) => u.cpuMs)),
        maxRssKb: Math.min(...us.map((u) => u.maxRssKb)),
        wall: Math.min(...us.map((u) => u.wall)),
    };
}

async function main(): Promise<void> {
    const runs = Number(process.argv[2] ?? 3);
    if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
        throw new Error(`runs must be an integer 1..20, got ${process.argv[2]}`);
    }
    const stacks = fs
        .readdirSync(REPO)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
    const recorded = await record(stacks);
    const host: Usage[] = [];
    const separate: Usage[] = [];
    const single: Usage[] = [];
    // Alternated, so that a change in the machine's load affects the modes alike.
    for (let i = 0; i < runs; i++) {
        host.push(await measure(recorded, true));
        separate.push(await measure(recorded, false));
        single.push(await measure(recorded.slice(0, 1), true));
    }
    for (const u of [...host, ...separate]) {
        if (u.verdicts.join() !== host[0].verdicts.join()) {
            throw new Error("the pack host and one pack process per stack gave different violations");
        }
    }
    const h = best(host);
    const s = best(separate);
    const one = best(single);
    const row = (label: string, u: Usage): string =>
        `${label.padEnd(28)} ${String(u.processes).padStart(9)} ${(u.cpuMs / 1000).toFixed(2).padStart(8)} s ` +
        `${(u.maxRssKb / 1024).toFixed(0).padStart(9)} MB ${u.wall.toFixed(2).padStart(7)} s`;
    const counts = h.verdicts.map((v, i) => `${stacks[i]} ${(JSON.parse(v) as unknown[]).length}`).join(", ");
    console.log(`policy pack for ${stacks.join(", ")}: start, analyze each stack's recording, stop; best of ${runs}`);
    console.log(`violations (the same from both modes): ${counts}`);
    console.log(`${"".padEnd(28)} processes      CPU   peak RSS (sum)  wall`);
    console.log(row("one pack host", h));
    console.log(row("one pack process per stack", s));
    console.log(row(`one stack alone (${stacks[0]})`, one));
    console.log(
        `host / separate: CPU ${(h.cpuMs / s.cpuMs).toFixed(2)}x, peak RSS ${(h.maxRssKb / s.maxRssKb).toFixed(2)}x, ` +
            `wall ${(h.wall / s.wall).toFixed(2)}x; host / one stack: CPU ${(h.cpuMs / one.cpuMs).toFixed(2)}x, ` +
            `peak RSS ${(h.maxRssKb / one.maxRssKb).toFixed(2)}x, wall ${(h.wall / one.wall).toFixed(2)}x`,
    );
}

main().catch((e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
});
