// A failed pack keeps its cause (issue #10): the first line of the error names how the pack ended and the first
// error line of its stderr, which the last 20 lines of a long trace, or the gRPC status of a call the pack's death
// cut off (`14 UNAVAILABLE: read ECONNRESET`), would not show. Exit 2, nothing left behind.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIXTURES, assertNothingLeft, startCli } from "./run-cli";

const COMPLIANT = path.join(FIXTURES, "compliant");
const STACK_URN = "urn:pulumi:test::fixture-compliant::pulumi:pulumi:Stack::fixture-compliant-test";

describe("redis-stack-check CLI: the cause of a pack failure", function () {
    this.timeout(120_000);
    let tmpdir: string;
    beforeEach(() => {
        tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "check-pack-failure-"));
    });
    afterEach(() => fs.rmSync(tmpdir, { recursive: true, force: true }));

    async function check(pack: string): Promise<string[]> {
        const { done } = startCli(["--program", COMPLIANT, "--stack", "test", "--policy-pack", pack], {
            TMPDIR: tmpdir,
        });
        const r = await done;
        assert.strictEqual(r.code, 2, r.stderr);
        assert.strictEqual(r.stdout, "");
        assert.doesNotMatch(r.stderr, /internal error/);
        assertNothingLeft(tmpdir, COMPLIANT, pack);
        return r.stderr.trimEnd().split("\n");
    }

    it("a pack that fails to start with a long trace: its first error line and exit status on the first line", async () => {
        const pack = path.join(FIXTURES, "missing-module-pack");
        const lines = await check(pack);
        assert.strictEqual(
            lines[0],
            `redis-stack-check: error: policy pack in ${pack} failed to start (exit 1): Error: Cannot find module './dist/package.json'`,
        );
        // The fixture's premise: the line right below the error line in the pack's stderr is not among its last 20.
        assert.ok(!lines.includes("Require stack:"), "the pack's trace should run past the last 20 lines shown");
    });

    it("a pack that dies while answering Analyze: its exit status and first error line before the gRPC status", async () => {
        const lines = await check(path.join(FIXTURES, "dying-pack"));
        assert.strictEqual(
            lines[0],
            `redis-stack-check: error: policy pack Analyze for ${STACK_URN} failed: the pack died (exit 7): Error: dying-fixture-pack: lost its state while answering Analyze`,
        );
        assert.match(lines[lines.length - 1], /^\((?:14 UNAVAILABLE|13 INTERNAL): /);
    });
});
