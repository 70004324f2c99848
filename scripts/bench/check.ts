// Benchmark of the offline check (`npm run bench:check`), end to end through the CLI as a user runs it:
//  - start-up, side by side in rounds (each round runs every kind once, so a busy machine slows them alike): the
//    floor (Node loading only the modules a check uses: @pulumi/pulumi, @pulumi/aws, @pulumi/policy, typescript),
//    the dev stack cold (transpile cache emptied), first after install (an empty cache filled by the `prepare`
//    script, warm-cache.js, as `npm ci` does), warm, and three stacks in one run; wall and total CPU ratios against
//    the floor and against one stack (goals: first run after install within 3x the floor, warm within 1.5x wall
//    and 2.5x CPU, three stacks within 1.6x of one);
//  - a plan against a base (`--base HEAD~1` in a temporary copy of the repository whose last commit changes the dev
//    stack's redisPort), side by side with a single check of the same copy, and their ratio (goal: within 2.2x);
//  - synthetic programs of 1,000, 5,000 and 20,000 resources: wall time, and per process (checker, program
//    child, policy pack) the peak RSS and CPU time (goal: 20,000 resources under 1 GB peak RSS per process,
//    linear time).
// Each process reports its own peak RSS and CPU time through a preloaded probe (process-usage.js). The machine
// may be shared: the load average is printed with the figures, and wall times are the best of the runs.
//  - the provider-check stage's share of each synthetic run: the stage timed in-process on the recorded program
//    (best of 3), against the run's wall time (goal: under 10%).
// BENCH_CHECK_SIZES (default 1000,5000,20000; empty: none), BENCH_CHECK_REPEAT (runs of the floor and the dev stack, default
// 3) and BENCH_CHECK_SIZE_REPEAT (runs per synthetic size, default 1) adjust the runs.
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { recordProgram } from "../offline-check";
import { ProviderCheckStage, seededSuffix } from "../offline-check/provider-check";

const REPO = path.resolve(__dirname, "..", "..");
const LAUNCHER = path.join(REPO, "scripts", "redis-stack-check.js");
const WARM_CACHE = path.join(REPO, "scripts", "offline-check", "warm-cache.js");
const PROBE = path.join(__dirname, "process-usage.js");
const FLOOR_MODULES = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/policy", "typescript"];
const MB = 1024;

/** The processes of one check, named by the script each runs. */
const ROLES: Record<string, string> = {
    "redis-stack-check.js": "checker",
    "program-child-entry.js": "program",
    "pack-entry.js": "pack",
    "node -e": "floor",
};

interface ProcessUsage {
    maxRssKb: number;
    cpuMs: number;
}

interface Measurement {
    label: string;
    resources: number;
    /** Seconds, best of the runs. */
    wall: number;
    /** Per role: the highest peak RSS and the lowest CPU time over the runs (a role's processes summed). */
    usage: Record<string, ProcessUsage>;
    /** Seconds of CPU of every process of the run, best run. */
    cpu: number;
    violations: number;
    /** Seconds the provider-check stage takes on the run's resources (synthetic runs). */
    providerCheck?: number;
}

/** The provider-check stage over a recorded program's resources, in-process: seconds, best of 3. */
async function providerCheckSeconds(dir: string): Promise<number> {
    const { resources } = await recordProgram({ programDir: dir, stack: "bench" });
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
        const stage = new ProviderCheckStage(seededSuffix("bench"));
        const start = process.hrtime.bigint();
        for (const r of resources) {
            stage.add(r);
        }
        best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
        if (stage.problems.length > 0) {
            throw new Error(`the synthetic program fails the provider check: ${stage.problems[0]}`);
        }
    }
    return best;
}

/**
 * A synthetic program of `count` registrations (including the stack and the default provider): one VPC, then
 * repeating groups of a security group, an ingress rule referencing it, a subnet and, every tenth group, a
 * small compliant cache with its own security group, so resource and stack policies all have work.
 */
function writeSyntheticProgram(dir: string, count: number): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        "name: bench\nruntime: nodejs\nconfig:\n  count:\n    type: integer\n",
    );
    fs.writeFileSync(
        path.join(dir, "Pulumi.bench.yaml"),
        `config:\n  aws:region: eu-west-1\n  bench:count: ${count}\n`,
    );
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const total = new pulumi.Config().requireNumber("count") - 3; // the stack, the default provider and the VPC
const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" });
let made = 0;
for (let g = 0; made < total; g++) {
    const sg = new aws.ec2.SecurityGroup(\`group-\${g}\`, { vpcId: vpc.id, description: \`group \${g}\`, ingress: [] });
    if (++made >= total) break;
    new aws.ec2.SecurityGroupRule(\`rule-\${g}\`, {
        type: "ingress", securityGroupId: sg.id, protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"],
    });
    if (++made >= total) break;
    const subnet = new aws.ec2.Subnet(\`subnet-\${g}\`, { vpcId: vpc.id, cidrBlock: \`10.0.\${g % 256}.0/24\` });
    if (++made >= total) break;
    if (g % 10 === 0 && made + 2 <= total) {
        const group = new aws.elasticache.SubnetGroup(\`cache-subnets-\${g}\`, { subnetIds: [subnet.id] });
        new aws.elasticache.ReplicationGroup(\`cache-\${g}\`, {
            description: "bench", engine: "redis", engineVersion: "7.1", nodeType: "cache.t3.micro", numCacheClusters: 1,
            subnetGroupName: group.name, securityGroupIds: [sg.id], transitEncryptionEnabled: true,
            transitEncryptionMode: "required", atRestEncryptionEnabled: true, authToken: pulumi.secret("bench-token-0123456789"),
            snapshotRetentionLimit: 7, snapshotWindow: "03:00-04:00", maintenanceWindow: "mon:00:00-mon:01:00",
        });
        made += 2;
    }
}
`,
    );
}

/** Runs `node <args>` with the usage probe preloaded into it and every Node process it starts. */
function runProbed(
    args: string[],
    extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ wall: number; stdout: string; usage: Record<string, ProcessUsage> }> {
    const usageFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-usage-")), "usage.jsonl");
    const env = {
        ...process.env,
        ...extraEnv,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${PROBE}`.trim(),
        BENCH_USAGE_FILE: usageFile,
    };
    const start = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
        execFile(process.execPath, args, { env, cwd: REPO, maxBuffer: 1024 * 1024 * 1024 }, (err, stdout) => {
            const wall = Number(process.hrtime.bigint() - start) / 1e9;
            const code = err ? (err as { code?: number }).code : 0;
            try {
                if (typeof code !== "number" || code > 1) {
                    reject(err ?? new Error(`exit ${code}`));
                    return;
                }
                const usage: Record<string, ProcessUsage> = {};
                for (const line of fs.readFileSync(usageFile, "utf8").trim().split("\n")) {
                    const u = JSON.parse(line) as ProcessUsage & { process: string };
                    // Several stacks in one run: one program and one pack per stack, summed.
                    const role = ROLES[u.process] ?? u.process;
                    const prev = usage[role];
                    usage[role] = prev
                        ? { maxRssKb: Math.max(prev.maxRssKb, u.maxRssKb), cpuMs: prev.cpuMs + u.cpuMs }
                        : { maxRssKb: u.maxRssKb, cpuMs: u.cpuMs };
                }
                resolve({ wall, stdout, usage });
            } finally {
                fs.rmSync(path.dirname(usageFile), { recursive: true, force: true });
            }
        });
    });
}

function merge(a: Record<string, ProcessUsage>, b: Record<string, ProcessUsage>): Record<string, ProcessUsage> {
    const out: Record<string, ProcessUsage> = { ...a };
    for (const [role, u] of Object.entries(b)) {
        const prev = out[role];
        out[role] = prev ? { maxRssKb: Math.max(prev.maxRssKb, u.maxRssKb), cpuMs: Math.min(prev.cpuMs, u.cpuMs) } : u;
    }
    return out;
}

type JsonReport = { resources: unknown[]; violations: unknown[] };

/** One run of `args` as a Measurement (`prepare`, if given, runs first, unmeasured). */
async function measureOnce(
    label: string,
    args: string[],
    extraEnv: NodeJS.ProcessEnv = {},
    prepare?: () => Promise<void>,
): Promise<Measurement> {
    await prepare?.();
    const run = await runProbed(args, extraEnv);
    let resources = 0;
    let violations = 0;
    if (run.stdout.trim()) {
        const doc = JSON.parse(run.stdout) as JsonReport | { stacks: JsonReport[] };
        for (const report of "stacks" in doc ? doc.stacks : [doc]) {
            resources += report.resources.length;
            violations += report.violations.length;
        }
    }
    const cpu = Object.values(run.usage).reduce((sum, u) => sum + u.cpuMs, 0) / 1000;
    return { label, resources, wall: run.wall, usage: run.usage, cpu, violations };
}

/** The best of two measurements of the same run: least wall, least CPU, worst peak RSS. */
function best(a: Measurement | undefined, b: Measurement): Measurement {
    return a
        ? { ...a, wall: Math.min(a.wall, b.wall), cpu: Math.min(a.cpu, b.cpu), usage: merge(a.usage, b.usage) }
        : b;
}

/** `repeat` runs of `args`: the best wall time (the least disturbed run), the worst peak RSS. */
async function measure(label: string, args: string[], repeat: number): Promise<Measurement> {
    let result: Measurement | undefined;
    for (let i = 0; i < repeat; i++) {
        result = best(result, await measureOnce(label, args));
    }
    return result!;
}

/** Runs warm-cache.js (the `prepare` script of `npm ci`) with the transpile cache in `cacheDir`. */
function warmCache(cacheDir: string): Promise<void> {
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            [WARM_CACHE],
            { cwd: REPO, env: { ...process.env, REDIS_STACK_CHECK_CACHE_DIR: cacheDir } },
            (err) => (err ? reject(err) : resolve()),
        );
    });
}

/**
 * Start-up, in `repeat` rounds of: floor, cold, first after install, warm, three stacks. Cold and first after
 * install each get a fresh cache directory.
 */
async function measureStartup(repeat: number, floorScript: string): Promise<Record<string, Measurement>> {
    const kinds: Record<string, Measurement | undefined> = {};
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cache-"));
    try {
        for (let i = 0; i < repeat; i++) {
            const coldDir = path.join(tmp, `cold-${i}`);
            const installDir = path.join(tmp, `install-${i}`);
            const round = [
                await measureOnce("module floor", ["-e", floorScript]),
                await measureOnce("dev cold", checkArgs(REPO, "dev"), { REDIS_STACK_CHECK_CACHE_DIR: coldDir }),
                await measureOnce(
                    "dev after npm ci",
                    checkArgs(REPO, "dev"),
                    { REDIS_STACK_CHECK_CACHE_DIR: installDir },
                    () => warmCache(installDir),
                ),
                await measureOnce("dev warm", checkArgs(REPO, "dev")),
                await measureOnce("3 stacks warm", checkArgs(REPO, "dev,staging,prod")),
            ];
            for (const m of round) {
                kinds[m.label] = best(kinds[m.label], m);
            }
        }
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
    return kinds as Record<string, Measurement>;
}

/**
 * A git repository in `dir` with the project's tracked files (node_modules linked) and two commits: the project as
 * it is, then the dev stack on another redisPort (a replace of the cache: the plan has real work).
 */
function writePlanRepository(dir: string): void {
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: REPO, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const f of files.filter((x) => fs.existsSync(path.join(REPO, x)))) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
    }
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    const git = (...args: string[]) =>
        execFileSync("git", ["-c", "user.email=bench@example.com", "-c", "user.name=bench", ...args], { cwd: dir });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "base");
    fs.appendFileSync(path.join(dir, "Pulumi.dev.yaml"), "  redis-stack:redisPort: 6380\n");
    git("commit", "-qam", "port");
}

function checkArgs(programDir: string, stack: string): string[] {
    return [LAUNCHER, "--program", programDir, "--stack", stack, "--format", "json"];
}

function row(cells: (string | number)[], widths: number[]): string {
    return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
}

function load(): string {
    return os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ");
}

async function main(): Promise<void> {
    const sizes = (process.env.BENCH_CHECK_SIZES ?? "1000,5000,20000")
        .split(",")
        .filter((x) => x.trim() !== "")
        .map(Number);
    const repeat = Number(process.env.BENCH_CHECK_REPEAT ?? "3");
    const sizeRepeat = Number(process.env.BENCH_CHECK_SIZE_REPEAT ?? "1");
    const loadBefore = load();
    const floorScript = FLOOR_MODULES.map((m) => `require(${JSON.stringify(m)});`).join(" ");
    // The default cache warm before the rounds: "warm" means every run after the first.
    await measureOnce("warm-up", checkArgs(REPO, "dev,staging,prod"));
    const startup = await measureStartup(repeat, floorScript);
    const floor = startup["module floor"];
    const dev = startup["dev warm"];
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-check-"));
    const synthetic: Measurement[] = [];
    let single: Measurement | undefined;
    let planned: Measurement | undefined;
    try {
        const planRepo = path.join(tmp, "plan-repo");
        writePlanRepository(planRepo);
        // Alternated, so that a change in the machine's load hits both alike.
        for (let i = 0; i < repeat; i++) {
            const a = await measure("dev check (copy)", checkArgs(planRepo, "dev"), 1);
            const b = await measure("dev --base HEAD~1", [...checkArgs(planRepo, "dev"), "--base", "HEAD~1"], 1);
            single = single
                ? { ...single, wall: Math.min(single.wall, a.wall), usage: merge(single.usage, a.usage) }
                : a;
            planned = planned
                ? { ...planned, wall: Math.min(planned.wall, b.wall), usage: merge(planned.usage, b.usage) }
                : b;
        }
        for (const n of sizes) {
            const dir = path.join(tmp, `n${n}`);
            writeSyntheticProgram(dir, n);
            const m = await measure(`synthetic ${n}`, checkArgs(dir, "bench"), sizeRepeat);
            synthetic.push({ ...m, providerCheck: await providerCheckSeconds(dir) });
        }
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }

    const s = (x: number) => x.toFixed(2);
    const rss = (u?: ProcessUsage) => (u ? String(Math.round(u.maxRssKb / MB)) : "-");
    const cpu = (u?: ProcessUsage) => (u ? s(u.cpuMs / 1000) : "-");
    console.log(
        `bench:check (${os.cpus().length} CPUs, node ${process.version}; load average ${loadBefore} -> ${load()})`,
    );
    console.log(
        `wall: best of ${repeat} (floor, dev) / ${sizeRepeat} (synthetic) runs; peak RSS: worst run; CPU: best run`,
    );
    const widths = [18, 9, 8, 8, 8, 8, 8, 8, 8, 10];
    console.log(
        row(
            ["run", "resources", "wall s", "checker", "program", "pack", "checker", "program", "pack", "violations"],
            widths,
        ),
    );
    console.log(row(["", "", "", "MB RSS", "MB RSS", "MB RSS", "CPU s", "CPU s", "CPU s", ""], widths));
    for (const m of [
        startup["dev cold"],
        startup["dev after npm ci"],
        dev,
        startup["3 stacks warm"],
        ...(single && planned ? [single, planned] : []),
        ...synthetic,
    ]) {
        const u = m.usage;
        console.log(
            row(
                [
                    m.label,
                    m.resources,
                    s(m.wall),
                    rss(u.checker),
                    rss(u.program),
                    rss(u.pack),
                    cpu(u.checker),
                    cpu(u.program),
                    cpu(u.pack),
                    m.violations,
                ],
                widths,
            ),
        );
    }
    for (const m of synthetic) {
        const share = ((m.providerCheck ?? 0) / m.wall) * 100;
        console.log(
            `provider-check stage, ${m.resources} resources: ${(m.providerCheck ?? 0).toFixed(3)} s = ` +
                `${share.toFixed(1)}% of the run's ${s(m.wall)} s wall (goal under 10%: ${share < 10 ? "met" : "MISSED"})`,
        );
    }
    if (synthetic.length > 1) {
        // Fixed costs (process and module start-up) hide linearity in ratios; the cost of each extra resource
        // between sizes should stay flat.
        const perResource = (a: Measurement, b: Measurement, f: (m: Measurement) => number) =>
            ((f(b) - f(a)) * 1000) / (b.resources - a.resources);
        const cpuOf = (role: string) => (m: Measurement) => (m.usage[role]?.cpuMs ?? 0) / 1000;
        console.log("marginal ms per extra resource (flat = linear):");
        for (let i = 1; i < synthetic.length; i++) {
            const [a, b] = [synthetic[i - 1], synthetic[i]];
            console.log(
                `  ${a.resources} -> ${b.resources}: wall ${s(perResource(a, b, (m) => m.wall))}, CPU checker ` +
                    `${s(perResource(a, b, cpuOf("checker")))}, program ${s(perResource(a, b, cpuOf("program")))}, ` +
                    `pack ${s(perResource(a, b, cpuOf("pack")))}`,
            );
        }
    }
    console.log(
        `module floor (node -e require ${FLOOR_MODULES.join(", ")}): ${s(floor.wall)} s wall, ` +
            `${rss(floor.usage.floor)} MB RSS, ${cpu(floor.usage.floor)} s CPU`,
    );
    console.log(`start-up side by side (${repeat} rounds): wall and CPU (every process) against the floor`);
    const one = dev;
    const ratioRow = (m: Measurement): string =>
        `  ${m.label.padEnd(17)} ${s(m.wall).padStart(6)} s wall = ${(m.wall / floor.wall).toFixed(2)}x floor, ` +
        `${s(m.cpu).padStart(6)} s CPU = ${(m.cpu / floor.cpu).toFixed(2)}x floor` +
        (m.label.startsWith("3 stacks")
            ? `; ${(m.wall / one.wall).toFixed(2)}x wall and ${(m.cpu / one.cpu).toFixed(2)}x CPU of one stack`
            : "");
    for (const m of [floor, startup["dev cold"], startup["dev after npm ci"], dev, startup["3 stacks warm"]]) {
        console.log(ratioRow(m));
    }
    const goal = (what: string, value: number, limit: number): void =>
        console.log(`goal ${what} within ${limit}x: ${value.toFixed(2)}x ${value <= limit ? "met" : "MISSED"}`);
    goal("first run after npm ci, wall against the floor,", startup["dev after npm ci"].wall / floor.wall, 3);
    goal("warm run, wall against the floor,", dev.wall / floor.wall, 1.5);
    goal("warm run, CPU against the floor,", dev.cpu / floor.cpu, 2.5);
    goal("three stacks, wall against one stack,", startup["3 stacks warm"].wall / one.wall, 1.6);
    if (single && planned) {
        const planRatio = planned.wall / single.wall;
        console.log(
            `goal --base run within 2.2x a single check: ${s(planned.wall)} s vs ${s(single.wall)} s = ` +
                `${planRatio.toFixed(2)}x ${planRatio <= 2.2 ? "met" : "MISSED"}`,
        );
    }
    const largest = synthetic[synthetic.length - 1];
    if (largest && largest.resources >= 20000) {
        const peak = Math.max(...Object.values(largest.usage).map((u) => u.maxRssKb)) / MB;
        console.log(
            `goal ${largest.resources} resources under 1024 MB peak RSS per process: ${Math.round(peak)} MB ` +
                `${peak < 1024 ? "met" : "MISSED"}`,
        );
    }
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
});
