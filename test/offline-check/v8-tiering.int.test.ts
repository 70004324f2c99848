// Every process of a check tunes V8's tiering for a short run (scripts/offline-check/v8-tiering.js): the checker,
// the program child and the pack host each set CHECK_V8_FLAGS. A preload records each process's
// v8.setFlagsFromString calls.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CHECK_V8_FLAGS } from "../../scripts/offline-check/v8-tiering";
import { REPO, runCli } from "./run-cli";

const PROBE = `
const v8 = require("v8");
const set = v8.setFlagsFromString;
v8.setFlagsFromString = function (flags) {
    require("fs").appendFileSync(process.env.V8_FLAGS_LOG, require("path").basename(process.argv[1]) + " " + flags + "\\n");
    return set.call(this, flags);
};
`;

describe("offline check: V8 tiering in every process (v8-tiering.js)", () => {
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "v8-tiering-"));
        fs.writeFileSync(path.join(tmp, "probe.js"), PROBE);
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("the checker, the program child and the pack host each set the flags", async () => {
        const log = path.join(tmp, "flags.log");
        const r = await runCli(["--program", REPO, "--stack", "dev", "--format", "json", "--preview-only"], {
            NODE_OPTIONS: `--require ${path.join(tmp, "probe.js")}`,
            V8_FLAGS_LOG: log,
        });
        assert.strictEqual(r.code, 0, r.stderr);
        const lines = fs.readFileSync(log, "utf8").trim().split("\n").sort();
        assert.deepStrictEqual(
            lines,
            ["pack-entry.js", "program-child-entry.js", "redis-stack-check.js"].flatMap((p) =>
                CHECK_V8_FLAGS.map((f) => `${p} ${f}`),
            ),
        );
    });
});
