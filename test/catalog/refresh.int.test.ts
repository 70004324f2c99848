// The refresh scripts through their command lines: catalog:refresh writes a module from fixtures in AWS's formats
// (exit 0) or names the missing input (exit 2); aws-models:refresh names the missing models (exit 2) rather than
// writing a partial table.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO = path.resolve(__dirname, "../..");
const FIXTURES = path.join(REPO, "test/fixtures");

function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(REPO, script), ...args],
            { cwd: REPO, timeout: 60_000 },
            (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
        );
    });
}

describe("refresh scripts (catalog:refresh, aws-models:refresh)", function () {
    this.timeout(120_000);
    let tmp: string;
    beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "refresh-"))));
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("catalog:refresh writes a dated module from a DescribeCacheEngineVersions answer and an offer file", async () => {
        const out = path.join(tmp, "catalog.ts");
        const r = await run("scripts/catalog/refresh.ts", [
            "--engine-versions",
            path.join(FIXTURES, "catalog/describe-cache-engine-versions.json"),
            "--price-list",
            path.join(FIXTURES, "catalog/AmazonElastiCache.json"),
            "--date",
            "2026-11-30",
            "--out",
            out,
        ]);
        assert.equal(r.code, 0, r.stderr);
        const text = fs.readFileSync(out, "utf8");
        assert.match(text, /generatedOn: "2026-11-30"/);
        assert.match(text, /valkey: \["7\.2", "8\.2"\]/);
        assert.match(
            text,
            /AmazonElastiCache offer \(2026-11-20T00:00:00Z\): test\/fixtures\/catalog\/AmazonElastiCache\.json/,
        );
        assert.doesNotMatch(text, /transcribed/);
    });

    it("catalog:refresh: a missing input file is a usage error naming it", async () => {
        const r = await run("scripts/catalog/refresh.ts", [
            "--engine-versions",
            "nope.json",
            "--out",
            path.join(tmp, "x.ts"),
        ]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /catalog:refresh: .*nope\.json does not exist/);
        assert.equal(fs.existsSync(path.join(tmp, "x.ts")), false);
    });

    it("aws-models:refresh without a service's model: exit 2 naming it and how to install the models", async () => {
        const out = path.join(tmp, "constraints.ts");
        const r = await run("scripts/aws-models/refresh.ts", [
            "--models",
            path.join(FIXTURES, "aws-models"),
            "--version",
            "0.0.0",
            "--out",
            out,
        ]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(
            r.stderr,
            /aws-models:refresh: .*aws-models\/cloudwatch does not exist: install the models \(apt-get install python3-botocore\)/,
        );
        assert.equal(fs.existsSync(out), false);
    });
});
