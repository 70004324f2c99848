// The plan end to end through the CLI: a temporary git repository holding the project's tracked files, commits
// that change one stack setting each, and `redis-stack-check --base HEAD~1`; and `--state` on the dev stack's
// export fixture. Every run gets its own TMPDIR, which must be empty afterwards (worktree and temp files gone).
import * as assert from "assert";
import { execFile, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIXTURES, REPO, checkTempDirs } from "../run-cli";

const LAUNCHER = path.join(REPO, "scripts", "redis-stack-check.js");
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";

interface JsonPlan {
    base: string;
    steps: {
        urn: string;
        type: string;
        op: string;
        changed: string[];
        replaceReasons: { property: string; rule: string; source: string }[];
        stateful: boolean;
    }[];
    monthlyBefore: number;
    monthlyAfter: number;
    errors: string[];
    callouts: { urn: string; op: string; message: string }[];
}

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

function check(cwd: string, args: string[], tmpdir: string): Promise<Run> {
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            [LAUNCHER, ...args],
            { cwd, env: { ...process.env, TMPDIR: tmpdir }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
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

function planOf(r: Run): JsonPlan {
    try {
        return (JSON.parse(r.stdout) as { plan: JsonPlan }).plan;
    } catch {
        throw new Error(`not JSON (exit ${r.code}): ${r.stderr.slice(-2000)}`);
    }
}

function stepOf(plan: JsonPlan, type: string) {
    const s = plan.steps.find((x) => x.type === type);
    assert.ok(s, `no ${type} step`);
    return s;
}

describe("plan: --base REV and --state FILE through the CLI", function () {
    this.timeout(900_000);
    let root: string;
    let repo: string;
    let tmpdir: string;
    const git = (...args: string[]) =>
        execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
            cwd: repo,
            encoding: "utf8",
        });
    /** Sets `key: value` in Pulumi.dev.yaml (replacing the key's line, else appending it) and commits. */
    const commitSetting = (line: string) => {
        const file = path.join(repo, "Pulumi.dev.yaml");
        const key = line.split(":").slice(0, 2).join(":");
        const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
        const at = lines.findIndex((l) => l.trim().startsWith(`${key}:`));
        if (at >= 0) {
            lines[at] = `  ${line}`;
        } else {
            lines.push(`  ${line}`);
        }
        fs.writeFileSync(file, lines.join("\n") + "\n");
        git("commit", "-qam", line);
    };
    const nothingLeft = () => {
        assert.deepStrictEqual(checkTempDirs(tmpdir), [], "temp files outlived the check");
        assert.strictEqual(git("worktree", "list").trim().split("\n").length, 1, "a worktree outlived the check");
    };

    before(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));
        repo = path.join(root, "repo");
        tmpdir = path.join(root, "tmp");
        fs.mkdirSync(tmpdir);
        const files = execFileSync("git", ["ls-files", "-z"], { cwd: REPO, encoding: "utf8" })
            .split("\0")
            .filter(Boolean);
        for (const f of files) {
            if (fs.existsSync(path.join(REPO, f))) {
                fs.mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
                fs.copyFileSync(path.join(REPO, f), path.join(repo, f));
            }
        }
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(repo, "node_modules"), "dir");
        git("init", "-q");
        git("add", "-A");
        git("commit", "-qm", "base");
    });

    after(() => {
        fs.rmSync(root, { recursive: true, force: true });
    });

    it("redisNodeType: an in-place update of the replication group, nothing replaced (dev's pack refuses the node)", async () => {
        commitSetting("redis-stack:redisNodeType: cache.t3.small");
        const r = await check(
            repo,
            ["--program", repo, "--stack", "dev", "--format", "json", "--base", "HEAD~1", "--fail-on-replace"],
            tmpdir,
        );
        // Exit 1 from the pack alone: dev.json allows free-tier nodes and $1 a month only; the plan has no error.
        assert.strictEqual(r.code, 1, r.stderr);
        assert.deepStrictEqual(
            [
                ...new Set(
                    (JSON.parse(r.stdout) as { violations: { policy: string; enforcementLevel: string }[] }).violations
                        .filter((v) => v.enforcementLevel === "mandatory")
                        .map((v) => v.policy),
                ),
            ],
            ["elasticache-free-tier-node-type", "stack-monthly-budget"],
        );
        assert.deepStrictEqual(planOf(r).errors, []);
        const plan = planOf(r);
        assert.match(plan.base, /^git HEAD~1 \([0-9a-f]{12}\)$/);
        const group = stepOf(plan, RG);
        assert.strictEqual(group.op, "update");
        assert.ok(group.changed.includes("nodeType"), group.changed.join());
        assert.deepStrictEqual(
            plan.steps.filter((s) => s.op === "replace" || s.op === "delete"),
            [],
        );
        assert.ok(plan.monthlyAfter > plan.monthlyBefore, "a bigger node costs more");
        nothingLeft();
    });

    it("redisPort: replace of the replication group naming port (ForceNew), called out first; --fail-on-replace exits 1", async () => {
        commitSetting("redis-stack:redisPort: 6380");
        const r = await check(
            repo,
            ["--program", repo, "--stack", "dev", "--format", "json", "--base", "HEAD~1", "--fail-on-replace"],
            tmpdir,
        );
        assert.strictEqual(r.code, 1, r.stderr);
        const plan = planOf(r);
        const group = stepOf(plan, RG);
        assert.strictEqual(plan.steps[0], group, "the stateful replace comes first");
        assert.strictEqual(group.op, "replace");
        assert.deepStrictEqual(
            group.replaceReasons.map((x) => [x.property, x.rule]),
            [["port", "ForceNew"]],
        );
        assert.ok(group.stateful);
        assert.deepStrictEqual(Object.keys(group).sort(), [
            "changed",
            "op",
            "replaceReasons",
            "stateful",
            "type",
            "urn",
        ]);
        // --base plans two previews: the final snapshot's per-deploy suffix is unknown in both (the state has it).
        assert.match(plan.callouts[0].message, /final snapshot \(its name is computed at deploy/);
        nothingLeft();
    });

    it("the other formats put the stateful replace first too", async () => {
        // SARIF through --sarif-file beside the text report: two checks, not three.
        const sarifFile = path.join(root, "formats.sarif");
        const [text, markdown] = await Promise.all(
            [
                ["--format", "text", "--sarif-file", sarifFile],
                ["--format", "markdown"],
            ].map((format) =>
                check(repo, ["--program", repo, "--stack", "dev", ...format, "--base", "HEAD~1"], tmpdir),
            ),
        );
        assert.match(
            text.stdout.split("\n").slice(0, 5).join("\n"),
            /REPLACE aws:elasticache:ReplicationGroup redis-dev-cache-group/,
            text.stderr,
        );
        assert.ok(
            markdown.stdout.indexOf("Stateful resources replaced") < markdown.stdout.indexOf("| Op |"),
            markdown.stderr,
        );
        const results = (
            JSON.parse(fs.readFileSync(sarifFile, "utf8")) as {
                runs: { results: { ruleId: string; message: { text: string } }[] }[];
            }
        ).runs[0].results;
        assert.strictEqual(results[0].ruleId, "plan-stateful-change");
        assert.match(results[0].message.text, /final snapshot \(its name is computed at deploy/);
        nothingLeft();
    });

    it("CI's one run, --all-stacks --base: every stack planned from itself at the revision, one SARIF run each", async () => {
        const sarifFile = path.join(root, "stacks.sarif");
        const r = await check(
            repo,
            ["--program", repo, "--all-stacks", "--base", "HEAD~1", "--format", "json", "--sarif-file", sarifFile],
            tmpdir,
        );
        // dev's pack refuses the t3.small node committed above: the worst stack's exit code.
        assert.strictEqual(r.code, 1, r.stderr);
        const stacks = (JSON.parse(r.stdout) as { stacks: { stack: string; plan: JsonPlan }[] }).stacks;
        assert.deepStrictEqual(
            stacks.map((s) => s.stack),
            ["dev", "prod", "staging"],
        );
        for (const { stack, plan } of stacks) {
            assert.match(plan.base, /^git HEAD~1 \([0-9a-f]{12}\)$/, stack);
            assert.deepStrictEqual(plan.errors, [], stack);
        }
        // Only dev's file changed in the last commit: its replication group is replaced (port), the others' stay.
        const dev = stacks[0].plan;
        assert.deepStrictEqual(
            [stepOf(dev, RG).op, stepOf(dev, RG).replaceReasons.map((x) => x.property)],
            ["replace", ["port"]],
        );
        for (const { stack, plan } of stacks.slice(1)) {
            assert.deepStrictEqual([...new Set(plan.steps.map((s) => s.op))], ["same"], stack);
        }
        const runs = (
            JSON.parse(fs.readFileSync(sarifFile, "utf8")) as { runs: { automationDetails: { id: string } }[] }
        ).runs;
        assert.deepStrictEqual(
            runs.map((x) => x.automationDetails.id),
            ["redis-stack-check/dev/", "redis-stack-check/prod/", "redis-stack-check/staging/"],
        );
        nothingLeft();
    });

    it("a Graviton bastion while its AMI is unpinned: the up would fail, naming bastionAmiId (exit 1)", async () => {
        commitSetting("redis-stack:bastionInstanceType: t4g.micro");
        const r = await check(
            repo,
            ["--program", repo, "--stack", "dev", "--format", "json", "--base", "HEAD~1"],
            tmpdir,
        );
        assert.strictEqual(r.code, 1, r.stderr);
        const plan = planOf(r);
        assert.strictEqual(plan.errors.length, 1);
        assert.match(plan.errors[0], /x86_64 to arm64.*pin bastionAmiId/);
        nothingLeft();
    });

    it("SIGTERM while the base is checked out: exit 143, the worktree and its registration are gone", async () => {
        commitSetting("redis-stack:alarmCpuPercent: 85");
        const child = spawn(process.execPath, [LAUNCHER, "--program", repo, "--stack", "dev", "--base", "HEAD~1"], {
            cwd: repo,
            env: { ...process.env, TMPDIR: tmpdir },
            stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
        let exited = false;
        const done = new Promise<number | null>((resolve) =>
            child.on("close", (code) => {
                exited = true;
                resolve(code);
            }),
        );
        const checkedOut = () =>
            checkTempDirs(tmpdir).some((d) => fs.existsSync(path.join(tmpdir, d, "worktree", "Pulumi.yaml")));
        const end = Date.now() + 120_000;
        while (!checkedOut()) {
            assert.ok(Date.now() < end && !exited, `the base was never checked out: ${stderr}`);
            await new Promise((r) => setTimeout(r, 50));
        }
        child.kill("SIGTERM");
        assert.strictEqual(await done, 143);
        nothingLeft();
    });

    it("a revision that is not a commit: one line, exit 2, nothing left", async () => {
        const r = await check(repo, ["--program", repo, "--stack", "dev", "--base", "no-such-rev"], tmpdir);
        assert.strictEqual(r.code, 2);
        assert.strictEqual(
            r.stderr.trim(),
            `redis-stack-check: error: --base no-such-rev: not a commit of the repository ${fs.realpathSync(repo)}`,
        );
        nothingLeft();
    });

    it("--state: the deployed dev stack (export fixture) plans as unchanged; bad files are one line, exit 2", async () => {
        const fixture = path.join(FIXTURES, "stack-export", "dev.json");
        const r = await check(REPO, ["--stack", "dev", "--format", "json", "--state", fixture], tmpdir);
        assert.strictEqual(r.code, 0, r.stderr);
        const plan = planOf(r);
        assert.strictEqual(plan.base, "state dev.json");
        assert.deepStrictEqual([...new Set(plan.steps.map((s) => s.op))], ["same"]);
        assert.strictEqual(plan.monthlyBefore, plan.monthlyAfter);

        const moved = path.join(root, "moved.json");
        fs.writeFileSync(moved, fs.readFileSync(fixture, "utf8").replace(/"port": 6379/g, '"port": 6390'));
        const replaced = planOf(await check(REPO, ["--stack", "dev", "--format", "json", "--state", moved], tmpdir));
        assert.deepStrictEqual(
            stepOf(replaced, RG).replaceReasons.map((x) => x.property),
            ["port"],
        );

        const broken = path.join(root, "broken.json");
        fs.writeFileSync(broken, '{"version": 3, "deployment": {"resources": [{"urn": 1}]}}');
        const bad = await check(REPO, ["--stack", "dev", "--state", broken], tmpdir);
        assert.strictEqual(bad.code, 2);
        assert.match(
            bad.stderr,
            /^redis-stack-check: error: --state .*broken\.json: deployment\.resources\[0\]\.urn is not a Pulumi URN/,
        );
        assert.strictEqual(bad.stderr.trim().split("\n").length, 1);
        assert.deepStrictEqual(checkTempDirs(tmpdir), []);
    });

    it("without --base or --state there is no plan field", async () => {
        const r = await check(REPO, ["--stack", "dev", "--format", "json"], tmpdir);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.ok(!("plan" in (JSON.parse(r.stdout) as object)));
    });
});
