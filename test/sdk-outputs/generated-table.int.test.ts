// The generated table (scripts/offline-check/analyzer/computed-outputs.json) is what the generator gives for the
// installed SDKs: never edited by hand. Reads and parses every declaration file of @pulumi/aws (about 5 s), so it
// runs in the full suite only.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { computedOutputs } from "../../scripts/offline-check/analyzer/planned-outputs";
import { computedOutputsTable } from "../../scripts/sdk-outputs/sdk-declarations";

const REPO = path.resolve(__dirname, "../..");
const SDKS = ["@pulumi/aws", "@pulumi/random"];
const installedDir = (pkg: string) => path.dirname(require.resolve(`${pkg}/package.json`, { paths: [REPO] }));
const SCRIPT = path.join(REPO, "scripts/sdk-outputs/refresh.ts");

function refresh(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) =>
        execFile(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", SCRIPT, ...args],
            { cwd: REPO, timeout: 120_000 },
            (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
        ),
    );
}

describe("sdk-outputs: the generated table", () => {
    it("the generated table is what the generator gives for the installed SDKs (never edited by hand)", function () {
        this.timeout(60_000);
        const fresh = computedOutputsTable(SDKS.map(installedDir), computedOutputs().generated);
        const table = computedOutputs();
        assert.equal(table.types.size, Object.keys(fresh.types).length);
        for (const [token, names] of Object.entries(fresh.types)) {
            assert.deepEqual(table.types.get(token), names === "" ? [] : names.split(" "), token);
        }
    });

    it("npm run sdk-outputs:refresh writes the dated table of the SDKs it is given; a bad option exits 2", async function () {
        this.timeout(120_000);
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sdk-outputs-"));
        try {
            const out = path.join(tmp, "computed-outputs.json");
            const fixture = path.join(REPO, "test/fixtures/sdk-outputs");
            const ok = await refresh(["--sdk", fixture, "--out", out, "--date", "2026-12-04"]);
            assert.equal(ok.code, 0, ok.stderr);
            assert.match(ok.stdout, /2 resource types from @fixture\/sdk@1\.2\.3/);
            assert.deepEqual(JSON.parse(fs.readFileSync(out, "utf8")), computedOutputsTable([fixture], "2026-12-04"));
            const bad = await refresh(["--date", "04.12.2026", "--out", out]);
            assert.equal(bad.code, 2);
            assert.match(bad.stderr, /--date must be YYYY-MM-DD/);
            const unknown = await refresh(["--from", fixture]);
            assert.equal(unknown.code, 2);
            assert.match(unknown.stderr, /options: --sdk DIR, --out FILE, --date YYYY-MM-DD/);
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
