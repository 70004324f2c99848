// A stack config value larger than one environment string may be (issue #10: Linux refuses a single argv or
// environment string over MAX_ARG_STRLEN, 128 KiB, with `spawn E2BIG`): the merged config reaches the program
// child in its request file and the pack in its env file, never through argv or the environment.
import * as assert from "assert";
import { createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIXTURES, REPO, assertNothingLeft, parseReport, startCli } from "./run-cli";

const CONFIG_PACK = path.join(FIXTURES, "config-pack");
/** Over twice MAX_ARG_STRLEN (32 pages of 4 KiB), so neither argv nor the environment could carry it. */
const BLOB_CHARS = 300_000;

describe("redis-stack-check CLI: a stack config value larger than an environment string", function () {
    this.timeout(120_000);
    let root: string;
    let program: string;
    let tmpdir: string;
    const blob = randomBytes(BLOB_CHARS / 2).toString("hex");
    const sha256 = createHash("sha256").update(blob).digest("hex");
    before(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "check-large-config-"));
        program = path.join(root, "program");
        fs.cpSync(path.join(FIXTURES, "big-config"), program, { recursive: true });
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(program, "node_modules"), "dir");
        fs.writeFileSync(path.join(program, "Pulumi.big.yaml"), `config:\n  fixture-big-config:blob: "${blob}"\n`);
        tmpdir = path.join(root, "tmp");
        fs.mkdirSync(tmpdir);
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it("reaches the program and the pack whole: exit 0, nothing left behind", async () => {
        const { done } = startCli(
            ["--program", program, "--stack", "big", "--policy-pack", CONFIG_PACK, "--format", "json"],
            { TMPDIR: tmpdir },
        );
        const r = await done;
        assert.strictEqual(r.code, 0, r.stderr);
        const report = parseReport(r);
        assert.deepStrictEqual(report.outputs, { blobLength: BLOB_CHARS, blobSha256: sha256 }, "what the program got");
        assert.deepStrictEqual(
            report.violations.map((v) => [v.policy, v.message.split("\n").pop()]),
            [["fixture-stack-config-seen", `blob: ${BLOB_CHARS} chars, sha256 ${sha256}`]],
            "what the pack got in PULUMI_CONFIG",
        );
        assertNothingLeft(tmpdir, program, CONFIG_PACK);
    });
});
