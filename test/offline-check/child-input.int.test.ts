// Input from the children is bounded and checked (issue #20, class 3): whatever the program or the pack sends, the
// check ends with one line naming what is wrong and exit 2, never a crash, a stack trace or exit 1.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIXTURES, assertNothingLeft, startCli } from "./run-cli";

const COMPLIANT = path.join(FIXTURES, "compliant");
const PACK = path.join(FIXTURES, "policy-pack");

describe("redis-stack-check CLI: input from the children is bounded and checked", function () {
    this.timeout(180_000);
    let tmpdir: string;
    beforeEach(() => {
        tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "check-child-input-"));
    });
    afterEach(() => fs.rmSync(tmpdir, { recursive: true, force: true }));

    async function refused(program: string, pack: string): Promise<string[]> {
        const { done } = startCli(["--program", program, "--stack", "test", "--policy-pack", pack], {
            TMPDIR: tmpdir,
        });
        const r = await done;
        assert.strictEqual(r.code, 2, r.stderr.slice(-4000));
        assert.strictEqual(r.stdout, "");
        assert.doesNotMatch(r.stderr, /internal error/);
        assertNothingLeft(tmpdir, program, pack);
        return r.stderr.trimEnd().split("\n");
    }

    it("a line that is not JSON on the program's result channel: one line naming the stack, exit 2", async () => {
        const program = path.join(FIXTURES, "result-channel-program");
        const lines = await refused(program, PACK);
        assert.deepStrictEqual(lines, [
            `redis-stack-check: error: the program for stack 'test' sent a line that is not a registration: "this is not a registration" on the checker's result channel (file descriptor 3); a program must not write to it`,
        ]);
    });

    it("a pack writing 600 MB to stderr: the checker keeps a bounded part and names the cause, exit 2", async () => {
        const pack = path.join(FIXTURES, "loud-stderr-pack");
        const lines = await refused(COMPLIANT, pack);
        assert.strictEqual(
            lines[0],
            `redis-stack-check: error: policy pack in ${pack} failed to start (exit 3): Error: loud-stderr-pack gave up`,
        );
        assert.strictEqual(lines[lines.length - 1], "the last line of loud-stderr-pack");
        assert.ok(lines.length <= 22, `${lines.length} lines`);
    });

    it("a pack whose package.json is not JSON: one line naming the file, exit 2", async () => {
        const pack = path.join(FIXTURES, "invalid-package-pack");
        const lines = await refused(COMPLIANT, pack);
        assert.strictEqual(lines.length, 1, lines.join("\n"));
        assert.match(
            lines[0],
            new RegExp(
                `^redis-stack-check: error: policy pack failed to start: ${path.join(pack, "package.json")} is not valid JSON: `,
            ),
        );
    });
});
