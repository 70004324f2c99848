// scripts/ci-offline-check.sh, the workflow's offline check of every stack in one run, run with bash in a temp dir
// whose scripts/redis-stack-check.js is a stand-in: it records its arguments and answers with the document, stderr
// and exit code a test gives it (the real checker's several-stack output is tested in test/offline-check/ and, as
// pr-comment reads it, in test/pr-comment/stacks-document.test.ts). Then pr-comment renders what the step wrote.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as prComment } from "../../scripts/pr-comment/cli";
import { loadFixture as load } from "../pr-comment/fixtures";

const STEP = path.join(__dirname, "..", "..", "scripts", "ci-offline-check.sh");

/** Records argv, writes --sarif-file, prints FAKE_STDOUT / FAKE_STDERR, exits FAKE_CODE (or is killed by SIGTERM). */
const STAND_IN = `
const fs = require("fs");
const args = process.argv.slice(2);
fs.writeFileSync("args.json", JSON.stringify(args));
const sarif = args.indexOf("--sarif-file");
if (sarif >= 0 && process.env.FAKE_CODE !== "signal") fs.writeFileSync(args[sarif + 1], '{"runs":[]}');
process.stdout.write(process.env.FAKE_STDOUT || "");
process.stderr.write(process.env.FAKE_STDERR || "");
if (process.env.FAKE_CODE === "signal") process.kill(process.pid, "SIGTERM");
else process.exitCode = Number(process.env.FAKE_CODE);
`;

interface StepResult {
    args: string[];
    stdout: string;
    env: string;
    document: unknown;
    comment: string;
}

function runStep(fake: { stdout?: string; stderr?: string; code: string }, baseSha?: string): StepResult {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-offline-check-"));
    try {
        fs.mkdirSync(path.join(dir, "scripts"));
        fs.writeFileSync(path.join(dir, "scripts", "redis-stack-check.js"), STAND_IN);
        for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.staging.yml"]) {
            fs.writeFileSync(path.join(dir, f), "config: {}\n");
        }
        const githubEnv = path.join(dir, "github-env");
        const r = spawnSync("bash", [STEP], {
            cwd: dir,
            env: {
                PATH: process.env.PATH,
                GITHUB_ENV: githubEnv,
                ...(baseSha === undefined ? {} : { BASE_SHA: baseSha }),
                FAKE_STDOUT: fake.stdout ?? "",
                FAKE_STDERR: fake.stderr ?? "",
                FAKE_CODE: fake.code,
            },
            encoding: "utf8",
            timeout: 20_000,
        });
        assert.strictEqual(r.status, 0, `the step itself never fails: ${r.stderr}`);
        const reports = path.join(dir, "reports", "stacks.json");
        const out = path.join(dir, "comment.md");
        assert.strictEqual(prComment(["--out", out, reports]), 0);
        assert.strictEqual(fs.readFileSync(path.join(dir, "reports", "stacks.err"), "utf8"), fake.stderr ?? "");
        return {
            args: JSON.parse(fs.readFileSync(path.join(dir, "args.json"), "utf8")) as string[],
            stdout: r.stdout,
            env: fs.readFileSync(githubEnv, "utf8"),
            document: JSON.parse(fs.readFileSync(reports, "utf8")),
            comment: fs.readFileSync(out, "utf8"),
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const document = (...stacks: unknown[]): string => JSON.stringify({ stacks }, null, 2);

describe("scripts/ci-offline-check.sh (the workflow's offline check step)", () => {
    it("one run: --all-stacks against the base, JSON to reports/stacks.json, SARIF to sarif/stacks.sarif; 0 passes", () => {
        const doc = document(load("dev-no-plan.json"), load("prod-plan.json"));
        const r = runStep({ stdout: doc, stderr: "redis-stack-check: note: a note\n", code: "0" }, "4f2c9e1d");
        assert.deepStrictEqual(r.args, [
            "--all-stacks",
            "--format",
            "json",
            "--sarif-file",
            "sarif/stacks.sarif",
            "--base",
            "4f2c9e1d",
        ]);
        assert.deepStrictEqual(r.document, JSON.parse(doc));
        assert.strictEqual(r.env, "OFFLINE_CHECK_STATUS=0\n");
        assert.match(
            r.stdout,
            /^redis-stack-check --all-stacks .* --base 4f2c9e1d\nredis-stack-check: note: a note\n$/,
        );
        assert.match(r.comment, /Stack dev[\s\S]*Stack prod/);
    });

    it("without a base (workflow_dispatch) no --base", () => {
        const r = runStep({ stdout: document(load("dev-no-plan.json")), code: "0" }, "");
        assert.ok(!r.args.includes("--base"), r.args.join(" "));
    });

    it("1 (a mandatory violation or plan errors in a stack) and 2 (a stack's check failed): the job fails after the comment", () => {
        const one = runStep({ stdout: document(load("prod-plan.json")), code: "1" }, "b");
        assert.strictEqual(one.env, "OFFLINE_CHECK_STATUS=1\n");
        assert.match(one.stdout, /^::error title=Policy check::mandatory policy violations/m);
        assert.match(one.comment, /^### ❌ Stack prod$/m);
        const failed = { stack: "staging", error: "Pulumi.staging.yaml: bad value" };
        const two = runStep(
            {
                stdout: document(load("dev-no-plan.json"), failed),
                stderr: "redis-stack-check: error: stack 'staging': Pulumi.staging.yaml: bad value\n",
                code: "2",
            },
            "b",
        );
        assert.strictEqual(two.env, "OFFLINE_CHECK_STATUS=1\n");
        assert.match(
            two.stdout,
            /^::error title=Policy check::exit 2: a stack's check could not run or found what pulumi up would refuse/m,
        );
        // The run's own document is kept: the other stacks still report.
        assert.deepStrictEqual((two.document as { stacks: unknown[] }).stacks[1], failed);
        assert.match(two.comment, /^### ✅ Stack dev$/m);
        assert.match(
            two.comment,
            /^### 💥 Stack staging\n\nThe check could not run: Pulumi\.staging\.yaml: bad value$/m,
        );
    });

    it("a run stopped before any report: every stack's record holds the exit code and stderr's first line", () => {
        const stderr =
            "redis-stack-check: error: Pulumi.prod.yaml: redis-stack:nodeType must be a string\n\nUsage: ...\n";
        const r = runStep({ stderr, code: "2" }, "b");
        const error = "exit 2: redis-stack-check: error: Pulumi.prod.yaml: redis-stack:nodeType must be a string";
        assert.deepStrictEqual(r.document, {
            stacks: ["dev", "prod", "staging"].map((stack) => ({ stack, error })),
        });
        assert.strictEqual(r.env, "OFFLINE_CHECK_STATUS=1\n");
        assert.strictEqual((r.comment.match(/^### 💥 Stack /gm) ?? []).length, 3);
        // Stopped by a signal (the job's timeout): 128 + 15, no message.
        const killed = runStep({ code: "signal" }, "b");
        assert.deepStrictEqual((killed.document as { stacks: unknown[] }).stacks[0], {
            stack: "dev",
            error: "exit 143: no message",
        });
        assert.strictEqual(killed.env, "OFFLINE_CHECK_STATUS=1\n");
    });
});
