// pr-comment reading the several-stack document of one `redis-stack-check --all-stacks --format json` run (CI's),
// beside the per-stack files it read before (other workflows still check one stack per process).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    ReportShapeError,
    type StackFailure,
    type StackReport,
    buildComment,
    mdText,
    parseReportDocument,
    parseStackResult,
} from "../../scripts/pr-comment/comment";
import { main } from "../../scripts/pr-comment/cli";
import { formatStacks } from "../../scripts/offline-check/multi-stack";
import { OfflineCheckError } from "../../scripts/offline-check/offline-check-error";
import type { OfflineCheckReport } from "../../scripts/offline-check/report/report";
import { estimateMonthlyCost } from "../../policy/shared";
import { PR_COMMENT_FIXTURES as FIXTURES, loadFixture as load } from "./fixtures";

/** A report as the checker builds it (no plan: the fixtures carry one), for the checker's own formatStacks. */
function checkerReport(stack: string, wouldFailAtUp: OfflineCheckReport["wouldFailAtUp"] = []): OfflineCheckReport {
    return {
        recording: { project: "redis-stack", stack, resources: [], outputs: {} },
        pack: { name: "p", displayName: "", version: "0.1.0", initialConfig: {}, policies: [] },
        violations: [
            {
                policy: "elasticache-backup-retention",
                enforcementLevel: "mandatory",
                urn: `urn:pulumi:${stack}::redis-stack::t::cache`,
                message: "Backups must be kept 35 days.",
                description: "",
                severity: "",
            },
        ],
        cost: estimateMonthlyCost([], { region: "us-east-1", freeTier: "always-free-only" }),
        mainFile: "infra/index.ts",
        stackFile: `Pulumi.${stack}.yaml`,
        wouldFailAtUp,
    };
}

describe("pr-comment: the several-stack document ({ stacks: [...] })", () => {
    it("gives the same comment as one file per stack, in the document's order", () => {
        const staging = { stack: "staging", error: "the offline check could not run (exit 2): invalid config" };
        const doc = { stacks: [load("dev-no-plan.json"), staging, load("prod-plan.json")] };
        const fromDoc = parseReportDocument(JSON.parse(JSON.stringify(doc)), "stacks.json");
        const perFile = [
            parseStackResult(load("dev-no-plan.json"), "dev.json"),
            parseStackResult(staging, "staging.json"),
            parseStackResult(load("prod-plan.json"), "prod.json"),
        ];
        assert.deepStrictEqual(
            fromDoc.map((r) => r.stack),
            ["dev", "staging", "prod"],
        );
        const opts = { base: "4f2c9e1", headSha: "abc1234", runUrl: "https://github.com/o/r/actions/runs/1" };
        assert.strictEqual(buildComment(fromDoc, opts), buildComment(perFile, opts));
        // A per-stack file is still one stack.
        assert.deepStrictEqual(parseReportDocument(load("prod-plan.json"), "prod.json"), [perFile[2]]);
    });

    it("reads the checker's own several-stack JSON (multi-stack.ts formatStacks): reports, errors and findings", () => {
        const finding = { source: "provider", urn: "urn:pulumi:prod::redis-stack::t::cache", message: "too long" };
        const json = formatStacks(
            [
                { stack: "dev", report: checkerReport("dev") },
                { stack: "staging", error: new OfflineCheckError("Pulumi.staging.yaml: bad\n    details below") },
                { stack: "prod", report: checkerReport("prod", [finding]) },
            ],
            "json",
            "0.1.0",
        );
        const [dev, staging, prod] = parseReportDocument(JSON.parse(json), "stacks.json");
        assert.deepStrictEqual((dev as StackReport).summary, { toCreate: 0, mandatory: 1, advisory: 0 });
        assert.deepStrictEqual((dev as StackReport).wouldFailAtUp, []);
        assert.deepStrictEqual(staging, { stack: "staging", error: "Pulumi.staging.yaml: bad" });
        assert.deepStrictEqual((prod as StackReport).wouldFailAtUp, [finding]);
        const body = buildComment([dev, staging, prod]);
        assert.match(body, /^### ❌ Stack dev$/m);
        assert.match(body, /^### 💥 Stack staging\n\nThe check could not run: Pulumi\.staging\.yaml: bad$/m);
        assert.ok(!body.includes("details below"));
        // The second pass's findings fail the stack (the checker exits 2) and are listed before the plan.
        assert.match(
            body,
            /^### ❌ Stack prod\n\n\*\*pulumi up would fail\*\* where the preview passes \(judged with every output known\):\n\n- provider: cache: too long$/m,
        );
    });

    it("a stack's error shows its first line, escaped; an empty one says so", () => {
        const evil = "boom <b>@team #1 `x` | [a](http://e)";
        const results = parseReportDocument(
            {
                stacks: [
                    { stack: "dev", error: `\n  ${evil}\r\n    at Object.<anonymous> (x.ts:1)` },
                    { stack: "p", error: " " },
                ],
            },
            "stacks.json",
        );
        assert.deepStrictEqual(
            results.map((r) => (r as StackFailure).error),
            [evil, "no message"],
        );
        const body = buildComment(results);
        assert.ok(body.includes(`The check could not run: ${mdText(evil)}\n`), body);
        assert.ok(!body.includes("anonymous"));
        assert.match(body, /The check could not run: no message$/m);
    });

    it("a bad document names the file, the entry and the field", () => {
        const dev = load("dev-no-plan.json");
        const cases: [unknown, RegExp][] = [
            [{ stacks: {} }, /^stacks\.json: stacks must be a non-empty array of stack reports$/],
            [{ stacks: [] }, /^stacks\.json: stacks must be a non-empty array of stack reports$/],
            [{ stacks: [dev, 3] }, /^stacks\.json: stacks\[1\]: not a JSON object$/],
            [{ stacks: [{ stack: "x" }] }, /^stacks\.json: stacks\[0\]: summary missing/],
            [{ stacks: [{ error: "e" }] }, /^stacks\.json: stacks\[0\]: stack must be a string, got undefined$/],
            [
                { stacks: [{ ...dev, wouldFailAtUp: "x" }] },
                /^stacks\.json: stacks\[0\]: wouldFailAtUp must be an array$/,
            ],
            [
                { stacks: [{ ...dev, wouldFailAtUp: [{ source: "p", urn: "u" }] }] },
                /^stacks\.json: stacks\[0\]: wouldFailAtUp\[0\]\.message must be a string/,
            ],
            [{}, /^stacks\.json: stack must be a string, got undefined$/],
        ];
        for (const [doc, message] of cases) {
            assert.throws(
                () => parseReportDocument(doc, "stacks.json"),
                (e: unknown) => e instanceof ReportShapeError && message.test(e.message),
                JSON.stringify(doc).slice(0, 80),
            );
        }
    });

    it("CLI: a document and per-stack files together; a bad entry exits 2 naming it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-comment-stacks-"));
        const write = process.stderr.write.bind(process.stderr);
        try {
            const doc = path.join(dir, "stacks.json");
            fs.writeFileSync(doc, JSON.stringify({ stacks: [load("dev-no-plan.json"), load("prod-plan.json")] }));
            const out = path.join(dir, "comment.md");
            assert.strictEqual(main(["--out", out, doc, path.join(FIXTURES, "staging-failed.json")]), 0);
            const body = fs.readFileSync(out, "utf8");
            assert.ok(
                body.indexOf("Stack dev") < body.indexOf("Stack prod") &&
                    body.indexOf("Stack prod") < body.indexOf("Stack staging"),
                body,
            );
            fs.writeFileSync(doc, JSON.stringify({ stacks: [load("dev-no-plan.json"), { stack: 1 }] }));
            const errors: string[] = [];
            process.stderr.write = (s: string) => errors.push(s) > 0;
            assert.strictEqual(main(["--out", out, doc]), 2);
            process.stderr.write = write;
            assert.deepStrictEqual(errors, [`pr-comment: ${doc}: stacks[1]: stack must be a string, got 1\n`]);
        } finally {
            process.stderr.write = write;
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
