// Several stacks in one run, through the CLI as users and CI run it: `--stack a,b` and `--all-stacks` report
// every stack (text, json, sarif and --sarif-file), exit with the worst stack's code, and refuse a bad stack name
// in one line before anything runs. The fixture program's stacks differ in region, which the fixture pack judges
// (fixture-region: mandatory outside the EU): stack test passes, stack us fails.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIXTURES, type JsonReport, runCli, startCli } from "./run-cli";

const PROGRAM = path.join(FIXTURES, "compliant");
const PACK = path.join(FIXTURES, "policy-pack");
const base = ["--program", PROGRAM, "--policy-pack", PACK];

const regionViolations = (r: JsonReport): number => r.violations.filter((v) => v.policy === "fixture-region").length;

describe("redis-stack-check: several stacks in one run", function () {
    this.timeout(240_000);
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "check-multi-stack-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("--stack test,us: json {stacks: [...]} in the order named, each stack's verdicts, exit the worst (1); --sarif-file one run per stack", async () => {
        const sarifFile = path.join(tmp, "check.sarif");
        const r = await runCli([...base, "--stack", "test,us", "--format", "json", "--sarif-file", sarifFile]);
        assert.strictEqual(r.code, 1, r.stderr);
        const doc = JSON.parse(r.stdout) as { stacks: JsonReport[] };
        assert.deepStrictEqual(
            doc.stacks.map((s) => s.stack),
            ["test", "us"],
        );
        const [test, us] = doc.stacks;
        assert.strictEqual(regionViolations(test), 0, JSON.stringify(test.violations));
        assert.ok(regionViolations(us) >= 8, JSON.stringify(us.violations));
        assert.ok(test.resources.length > 0 && us.resources.length === test.resources.length);
        assert.ok(us.resources.every((x) => x.urn.startsWith("urn:pulumi:us::")));
        const sarif = JSON.parse(fs.readFileSync(sarifFile, "utf8")) as {
            runs: { automationDetails: { id: string }; results: unknown[] }[];
        };
        assert.deepStrictEqual(
            sarif.runs.map((run) => run.automationDetails.id),
            ["redis-stack-check/test/", "redis-stack-check/us/"],
        );
        assert.deepStrictEqual(
            sarif.runs.map((run) => run.results.length),
            [test.violations.length, us.violations.length],
        );
    });

    it("two stacks and their second passes are three processes: the checker, one program child, one pack", async () => {
        // Each Node process of the run appends a line naming its script when it exits (the benchmark's probe).
        const usage = path.join(tmp, "usage.jsonl");
        const probe = path.join(__dirname, "..", "..", "scripts", "bench", "process-usage.js");
        const r = await startCli([...base, "--stack", "test,us", "--format", "json"], {
            NODE_OPTIONS: `--require ${probe}`,
            BENCH_USAGE_FILE: usage,
        }).done;
        assert.strictEqual(r.code, 1, r.stderr);
        const doc = JSON.parse(r.stdout) as { stacks: (JsonReport & { wouldFailAtUp?: unknown[] })[] };
        assert.deepStrictEqual(
            doc.stacks.map((s) => [s.stack, Array.isArray(s.wouldFailAtUp)]),
            [
                ["test", true],
                ["us", true],
            ],
        );
        const scripts = fs
            .readFileSync(usage, "utf8")
            .trim()
            .split("\n")
            .map((l) => (JSON.parse(l) as { process: string }).process)
            .sort();
        assert.deepStrictEqual(scripts, ["pack-entry.js", "program-child-entry.js", "redis-stack-check.js"]);
    });

    it("--all-stacks: every Pulumi.<stack>.yaml beside Pulumi.yaml, text reports one after another", async () => {
        const r = await runCli([...base, "--all-stacks"]);
        assert.strictEqual(r.code, 1, r.stderr);
        assert.deepStrictEqual(
            [...r.stdout.matchAll(/^Previewing update \((\w+)\) of /gm)].map((m) => m[1]),
            ["test", "us"],
        );
    });

    it("markdown: one section per stack; sarif on stdout: one run per stack", async () => {
        const md = await runCli([...base, "--stack", "us,test", "--format", "markdown"]);
        assert.strictEqual(md.code, 1, md.stderr);
        assert.deepStrictEqual(
            [...md.stdout.matchAll(/Policy check: stack `(\w+)`/g)].map((m) => m[1]),
            ["us", "test"],
        );
        const sarif = await runCli([...base, "--stack", "us,test", "--format", "sarif"]);
        assert.strictEqual(sarif.code, 1, sarif.stderr);
        assert.deepStrictEqual(
            (JSON.parse(sarif.stdout) as { runs: { automationDetails: { id: string } }[] }).runs.map(
                (run) => run.automationDetails.id,
            ),
            ["redis-stack-check/us/", "redis-stack-check/test/"],
        );
    });

    it("one stack whose check passes alone exits 0, and its json keeps the single-stack shape", async () => {
        const r = await runCli([...base, "--stack", "test", "--format", "json"]);
        assert.strictEqual(r.code, 0, r.stderr);
        const doc = JSON.parse(r.stdout) as JsonReport & { stacks?: unknown };
        assert.strictEqual(doc.stack, "test");
        assert.strictEqual(doc.stacks, undefined);
    });

    it("a stack whose check fails at run time: its error line names it, json holds {stack, error}, exit 2", async () => {
        const broken = path.join(FIXTURES, "broken-pack");
        const r = await runCli([
            "--program",
            PROGRAM,
            "--policy-pack",
            broken,
            "--stack",
            "test,us",
            "--format",
            "json",
        ]);
        assert.strictEqual(r.code, 2);
        const doc = JSON.parse(r.stdout) as { stacks: { stack: string; error: string }[] };
        assert.deepStrictEqual(
            doc.stacks.map((s) => s.stack),
            ["test", "us"],
        );
        for (const { stack, error } of doc.stacks) {
            assert.match(error, /policy pack in .*broken-pack failed to start/);
            assert.match(r.stderr, new RegExp(`^redis-stack-check: error: stack '${stack}': policy pack in `, "m"));
        }
    });

    it("a bad stack name among several: one line naming it, exit 2, nothing run", async () => {
        const r = await runCli([...base, "--stack", "test,nope"]);
        assert.strictEqual(r.code, 2);
        assert.strictEqual(r.stdout, "");
        assert.match(
            r.stderr,
            /^redis-stack-check: error: unknown stack 'nope': no Pulumi\.nope\.yaml in .*; stacks found: test, us\n$/,
        );
    });

    it("flag errors: a stack named twice, --all-stacks with --stack, --all-stacks with a value", async () => {
        for (const [args, message] of [
            [["--stack", "test,test"], "--stack names 'test' twice"],
            [["--stack", "test", "--all-stacks"], "--all-stacks and --stack both name stacks: give one of them"],
            [["--all-stacks=yes"], "unknown argument '--all-stacks=yes'"],
            [["--stack", "test,us", "--state", "s.json"], "--state plans one stack: give a single --stack"],
            [["--stack", "test,b@d"], "--stack 'b@d' is not a valid stack name"],
        ] as const) {
            const r = await runCli([...base, ...args]);
            assert.strictEqual(r.code, 2, args.join(" "));
            assert.ok(r.stderr.startsWith(`redis-stack-check: ${message}`), r.stderr);
        }
    });
});
