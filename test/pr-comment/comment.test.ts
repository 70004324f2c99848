import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import {
    COMMENT_MARKER,
    GITHUB_COMMENT_LIMIT,
    ReportShapeError,
    type StackReport,
    buildComment,
    mdText,
    parseStackResult,
} from "../../scripts/pr-comment/comment";
import { JOB_SUMMARY_MAX_CHARS, main } from "../../scripts/pr-comment/cli";
import { formatJson } from "../../scripts/offline-check/report/json";
import { estimateMonthlyCost } from "../../policy/shared";
import { PR_COMMENT_FIXTURES as FIXTURES, loadFixture as load } from "./fixtures";

const prod = (): StackReport => parseStackResult(load("prod-plan.json"), "prod-plan.json") as StackReport;
const dev = (): StackReport => parseStackResult(load("dev-no-plan.json"), "dev-no-plan.json") as StackReport;

/** What GitHub shows for mdText's output: numeric character references decoded. */
const decode = (s: string): string => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

describe("pr-comment", () => {
    it("per stack: replaces and deletes first (stateful on top, with the property and rule), counts, cost, verdicts", () => {
        const body = buildComment([prod()]);
        const lines = body.split("\n");
        assert.strictEqual(lines[0], COMMENT_MARKER);
        const replaceGroup = lines.findIndex(
            (l) => l.startsWith("- **replace**") && l.includes("ReplicationGroup redis-prod-cache-group"),
        );
        const replaceSg = lines.findIndex((l) => l.includes("SecurityGroup redis-prod-cache-sg"));
        const del = lines.findIndex((l) => l.includes("Parameter redis-prod-old-param"));
        const counts = lines.findIndex((l) => l.startsWith("Plan: "));
        const cost = lines.findIndex((l) => l.startsWith("Monthly cost: "));
        const mandatory = lines.findIndex((l) => l.startsWith("**1 mandatory**"));
        const advisory = lines.findIndex((l) => l.startsWith("**1 advisory**"));
        assert.ok(
            replaceGroup > 0 &&
                replaceGroup < del &&
                del < replaceSg &&
                replaceSg < counts &&
                counts < cost &&
                cost < mandatory &&
                mandatory < advisory,
            body,
        );
        assert.match(lines[replaceGroup], /^- \*\*replace\*\* \(\*\*stateful\*\*/);
        assert.match(lines[replaceGroup], /forced by port \(ForceNew: terraform-provider-aws internal\/service/);
        assert.match(lines[del], /^- \*\*delete\*\* \(\*\*stateful\*\*/);
        // The plan's optional parts: delete-first, the callout with the final snapshot, and why `up` would fail.
        assert.match(
            lines[replaceGroup],
            /; \*\*deleted before its replacement is created\*\* \(downtime\)\. its data is lost/,
        );
        assert.match(lines[replaceGroup], /final snapshot redis-prod-cache-group-final-0a1b2c3d keeps a copy$/);
        const fails = lines.indexOf("**pulumi up would fail:**");
        assert.ok(fails > 0 && fails < replaceGroup);
        assert.match(lines[fails + 2], /^- aws:elasticache:ReplicationGroup redis-prod-cache-group is protected: /);
        assert.strictEqual(lines[counts], "Plan: 2 to replace, 1 to delete, 1 to create, 1 to update, 1 to same.");
        assert.strictEqual(lines[cost], "Monthly cost: \\$798.10 → \\$812.40 (+\\$14.30).");
        assert.match(body, /Against base 4f2c9e1d0b7a6e5f4c3b2a1908f7e6d5c4b3a291:/);
        assert.match(body, /^### ❌ Stack prod$/m);
        assert.match(
            body,
            /\| elasticache-backup-retention \| redis-prod-cache-group \| Backups must be kept 35 days. /,
        );
        assert.ok(!body.includes("Cut here"));
    });

    it("without a plan (no --base) says so and shows the cost without a before", () => {
        const body = buildComment([dev()]);
        assert.match(body, /No base revision given/);
        assert.match(body, /No base to compare with: 23 resources as if created from scratch\./);
        assert.match(body, /^Monthly cost: \\\$1\.00 at list price \(no base to compare\)\.$/m);
        assert.match(body, /^### ✅ Stack dev$/m);
        assert.match(body, /^No mandatory violation\.$/m);
    });

    it("a base asked for but missing from a report is said so, not taken for a first deploy", () => {
        const body = buildComment([dev()], { base: "4f2c9e1" });
        assert.match(body, /Each stack checked against the pull request's base 4f2c9e1/);
        assert.match(body, /No plan against the base in this report: 23 resources as if created\./);
    });

    it("a stack whose check could not run is named with its error", () => {
        const failed = parseStackResult(load("staging-failed.json"), "staging-failed.json");
        const body = buildComment([dev(), failed, prod()]);
        assert.match(
            body,
            /^### 💥 Stack staging\n\nThe check could not run: the offline check could not run \(exit 2\)/m,
        );
        assert.ok(body.indexOf("Stack dev") < body.indexOf("Stack staging"));
    });

    it("escapes every markdown, HTML, table, math, mention and issue-link character, and decodes to the text", () => {
        fc.assert(
            fc.property(fc.string({ unit: "binary", maxLength: 80 }), (s) => {
                const out = mdText(s);
                const bare = out.replace(/&#\d+;/g, "");
                assert.doesNotMatch(bare, /[`|<>*_[\]\\$@#!~&{}\n\r\t]/);
                assert.strictEqual(decode(out), s.replace(/\r\n?|\n/g, " "));
            }),
        );
    });

    it("a hostile resource name and message stay inside their table cell", () => {
        const evil = "x|y`z</details><script>@octo-org/team #12 [a](http://e) **b** $x$\n## H\n| a | b |";
        const r = prod();
        r.violations = [
            { policy: "p|q", enforcementLevel: "mandatory", urn: `urn:pulumi:prod::p::t::${evil}`, message: evil },
        ];
        r.plan!.steps[2].urn = `urn:pulumi:prod::p::t::${evil}`;
        const body = buildComment([r]);
        const row = body.split("\n").find((l) => l.startsWith("| p"))!;
        // Exactly the 4 separators of a 3-column row; nothing breaks out of the cell, the code span or the list.
        assert.strictEqual(row.replace(/&#\d+;/g, "").split("|").length - 1, 4, row);
        for (const line of body.split("\n").slice(1)) {
            // Our own heading marks aside, no line carries a raw code, HTML, mention, issue-link, math or link character.
            const text = line.replace(/^#+ /, "").replace(/&#\d+;/g, "");
            assert.doesNotMatch(text, /[`<@#]|(?<!\\)\$|\]\(/, line);
        }
        assert.ok(!body.split("\n").some((l) => l.startsWith("## H")));
    });

    it("a huge input is cut under GitHub's 65,536 characters, verdicts first, with a note where it was cut", () => {
        const big = prod();
        big.violations = Array.from({ length: 5000 }, (_, i) => ({
            policy: "elasticache-backup-retention",
            enforcementLevel: i % 2 ? "advisory" : "mandatory",
            urn: `urn:pulumi:prod::redis-stack::t::res-${i}`,
            message: `violation ${i} `.repeat(10),
        }));
        const second = prod();
        second.stack = "staging";
        const body = buildComment([big, second], { runUrl: "https://github.com/o/r/actions/runs/1" });
        assert.ok(body.length <= GITHUB_COMMENT_LIMIT, `${body.length}`);
        assert.match(
            body,
            /✂️ \*\*Cut here\*\* to stay under GitHub's 65,536-character comment limit: \d+ more lines not shown\. The full reports are in the job summary and the offline-check-reports artifact of \[this run\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1\)\./,
        );
        // The second stack's replaces, counts and cost survive the cut.
        const staging = body.slice(body.indexOf("### ❌ Stack staging"));
        assert.match(staging, /\*\*replace\*\* \(\*\*stateful\*\*.*redis-prod-cache-group/);
        assert.match(staging, /Monthly cost: \\\$798\.10 → \\\$812\.40/);
        // The note's count is what was left out.
        const omitted = Number(/: (\d+) more lines not shown/.exec(body)![1]);
        const full = buildComment([big, second], { maxChars: 10_000_000 });
        assert.strictEqual(full.split("\n").length - body.split("\n").length + 3, omitted);
    });

    it("even a plan too long for the comment is cut line by line under any limit, with the note exactly when cut", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1000, max: 20_000 }), fc.integer({ min: 0, max: 3000 }), (maxChars, n) => {
                const r = prod();
                r.plan!.steps = Array.from({ length: n }, (_, i) => ({
                    urn: `urn:pulumi:prod::p::aws:ec2/subnet:Subnet::subnet-${i}`,
                    type: "aws:ec2/subnet:Subnet",
                    op: "delete",
                    stateful: true,
                }));
                const body = buildComment([r], { maxChars });
                assert.ok(body.length <= maxChars, `${body.length} > ${maxChars}`);
                assert.strictEqual(
                    body.length < buildComment([r], { maxChars: 1e9 }).length,
                    body.includes("Cut here"),
                );
            }),
            { numRuns: 40 },
        );
    });

    it("reads the offline check's real JSON report (formatJson), and names the file and field a bad one lacks", () => {
        const stackUrn = "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev";
        const json = formatJson({
            recording: { project: "demo", stack: "dev", resources: [], outputs: {} },
            pack: { name: "p", displayName: "", version: "0.1.0", initialConfig: {}, policies: [] },
            violations: [
                {
                    policy: "hours",
                    enforcementLevel: "advisory",
                    urn: stackUrn,
                    message: "m",
                    description: "",
                    severity: "",
                },
            ],
            cost: estimateMonthlyCost([], { region: "us-east-1", freeTier: "always-free-only" }),
            mainFile: "infra/index.ts",
            stackFile: "Pulumi.dev.yaml",
        });
        const r = parseStackResult(JSON.parse(json), "dev.json") as StackReport;
        assert.deepStrictEqual(r.summary, { toCreate: 0, mandatory: 0, advisory: 1 });
        assert.strictEqual(r.plan, undefined);
        assert.throws(() => parseStackResult({ stack: "dev" }, "dev.json"), ReportShapeError);
        assert.throws(
            () =>
                parseStackResult(
                    { ...(load("prod-plan.json") as object), plan: { base: "b", steps: [{ urn: "u" }] } },
                    "x.json",
                ),
            /x\.json: plan\.monthlyBefore must be a number/,
        );
    });

    it("CLI: writes the comment from report files; a bad file exits 2 naming it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-comment-"));
        try {
            const out = path.join(dir, "comment.md");
            assert.strictEqual(
                main(["--out", out, path.join(FIXTURES, "prod-plan.json"), path.join(FIXTURES, "dev-no-plan.json")]),
                0,
            );
            const body = fs.readFileSync(out, "utf8");
            assert.ok(body.startsWith(COMMENT_MARKER + "\n"));
            assert.match(body, /Stack prod[\s\S]*Stack dev/);
            // The job summary's size: the most a step may write, cut with a note naming that size.
            const summary = path.join(dir, "summary.md");
            const many = Array.from({ length: 40 }, () => path.join(FIXTURES, "prod-plan.json"));
            assert.strictEqual(main(["--out", summary, "--max-chars", String(JOB_SUMMARY_MAX_CHARS), ...many]), 0);
            assert.ok(fs.readFileSync(summary, "utf8").length <= JOB_SUMMARY_MAX_CHARS + 1);
            assert.strictEqual(main(["--out", summary, "--max-chars", "5000", ...many]), 0);
            assert.match(fs.readFileSync(summary, "utf8"), /Cut here\*\* to stay under 5,000 characters: /);
            const bad = path.join(dir, "bad.json");
            fs.writeFileSync(bad, "{ not json");
            const errors: string[] = [];
            const write = process.stderr.write.bind(process.stderr);
            process.stderr.write = (s: string) => errors.push(s) > 0;
            try {
                assert.strictEqual(main([bad]), 2);
                assert.strictEqual(main([]), 2);
                assert.strictEqual(main(["--max-chars", "2000000", path.join(FIXTURES, "dev-no-plan.json")]), 2);
            } finally {
                process.stderr.write = write;
            }
            assert.match(errors[0], /^pr-comment: .*bad\.json: /);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
