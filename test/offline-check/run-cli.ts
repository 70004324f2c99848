// Runs the redis-stack-check launcher as a child process, the way users and CI run it.
import { type ChildProcess, execFile, spawn } from "child_process";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

export const REPO = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(REPO, "test", "fixtures");
const LAUNCHER = path.join(REPO, "scripts", "redis-stack-check.js");

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

export interface JsonReport {
    project: string;
    stack: string;
    resources: {
        urn: string;
        type: string;
        name: string;
        parent: string;
        provider: string;
        defaultProvider: boolean;
        inputs: Record<string, unknown>;
        propertyDependencies: Record<string, string[]>;
    }[];
    outputs: Record<string, unknown>;
    violations: { policy: string; enforcementLevel: string; urn: string; message: string }[];
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            [LAUNCHER, ...args],
            { cwd: REPO, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
            (err, stdout, stderr) => {
                if (err && typeof err.code !== "number") {
                    reject(err);
                    return;
                }
                resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
            },
        );
    });
}

/** Starts the launcher (stdout and stderr collected) for tests that signal it; `done` resolves when it exits. */
export function startCli(
    args: string[],
    env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<CliResult & { signal: NodeJS.Signals | null }> } {
    const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: REPO, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
    });
    return { child, done };
}

/** Resolves once `check` returns true (polled every 100 ms), or rejects after `ms`. */
export async function waitFor(what: string, check: () => boolean, ms = 60_000): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
}

export function parseReport(r: CliResult): JsonReport {
    try {
        return JSON.parse(r.stdout) as JsonReport;
    } catch {
        throw new Error(`not JSON (exit ${r.code}):\n${r.stdout.slice(0, 2000)}\nstderr:\n${r.stderr.slice(-2000)}`);
    }
}

export function mandatory(report: JsonReport): string[] {
    return [
        ...new Set(report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy)),
    ].sort();
}

/**
 * PIDs of live processes (zombies have exited already: their parent just has not reaped them yet) for which
 * `match(pid, pgrp)` holds. A process that ends while we look, or is not ours to inspect, is left out.
 */
function liveProcesses(match: (pid: string, pgrp: number) => boolean): number[] {
    const pids: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            // Fields after the command name: state, ppid, pgrp.
            const [state, , pgrp] = fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ").pop()!.split(" ");
            if (state !== "Z" && match(entry, Number(pgrp))) {
                pids.push(Number(entry));
            }
        } catch {
            // Gone, or not ours.
        }
    }
    return pids;
}

/** PIDs of live processes of the process group `pgid`. */
export function processesInGroup(pgid: number): number[] {
    return liveProcesses((_pid, pgrp) => pgrp === pgid);
}

/**
 * Whether `pid` belongs to the run given `TMPDIR=tmpdir`: the checker passes its environment to the program and
 * the pack, and they to what they start, so a run's processes carry it even once orphaned. Other test files use
 * the same fixture directories at the same time (`npm test` runs files in parallel), so "a process in the pack's
 * directory" must mean one of this run's.
 */
function ofRun(pid: string, tmpdir: string): boolean {
    return fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`TMPDIR=${tmpdir}`);
}

/** PIDs of live processes of the run given `TMPDIR=tmpdir`: the checker and its children. */
export function processesOfRun(tmpdir: string): number[] {
    return liveProcesses((pid) => ofRun(pid, tmpdir));
}

/**
 * PIDs of live processes of the run given `TMPDIR=tmpdir` whose working directory is `dir` (a policy pack runs in
 * its own directory, a program child in the program's).
 */
export function processesIn(dir: string, tmpdir: string): number[] {
    return liveProcesses((pid) => fs.readlinkSync(`/proc/${pid}/cwd`) === dir && ofRun(pid, tmpdir));
}

/** The check's temp dirs in `tmpdir`, the TMPDIR a run was given (TypeScript's compile cache lives there too). */
export function checkTempDirs(tmpdir: string): string[] {
    return fs.readdirSync(tmpdir).filter((d) => d.startsWith("redis-stack-check-"));
}

/**
 * Nothing of a check is left: no process of the run in the program's or the pack's directory, none of its temp
 * dirs (`tmpdir` is the TMPDIR the run was given; the lifecycle tests wait for the run's children with the same
 * filter, which proves the children carry it). A child
 * the check SIGKILLed on its way out dies when the kernel next schedules it, which on a loaded machine can be a
 * moment after the check's own exit: a process still there after 2 s outlived the check.
 */
export function assertNothingLeft(tmpdir: string, ...dirs: string[]): void {
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (const dir of dirs) {
        for (let waited = 0; processesIn(dir, tmpdir).length > 0 && waited < 2000; waited += 50) {
            Atomics.wait(sleeper, 0, 0, 50);
        }
        assert.deepStrictEqual(processesIn(dir, tmpdir), [], `a process outlived the check in ${dir}`);
    }
    assert.deepStrictEqual(checkTempDirs(tmpdir), [], "temp files outlived the check");
}
