// Every process of a check sets the V8 flags of scripts/offline-check/v8-flags.js (tiering for a short run, capped
// heap growth): the checker, the program child and the pack host each start with START_UP_V8_FLAGS and may, once
// START_UP_MS have passed (a slow machine), set STEADY_V8_FLAGS. A preload records each process's
// v8.setFlagsFromString calls.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { START_UP_MS, START_UP_V8_FLAGS, STEADY_V8_FLAGS, tuningApplies } from "../../scripts/offline-check/v8-flags";
import { REPO, runCli } from "./run-cli";

const PROBE = `
const v8 = require("v8");
const set = v8.setFlagsFromString;
v8.setFlagsFromString = function (flags) {
    require("fs").appendFileSync(process.env.V8_FLAGS_LOG, require("path").basename(process.argv[1] || "[eval]") + " " + flags + "\\n");
    return set.call(this, flags);
};
`;

const PROCESSES = ["pack-entry.js", "program-child-entry.js", "redis-stack-check.js"];

describe("offline check: V8 flags in every process (v8-flags.js)", () => {
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "v8-flags-"));
        fs.writeFileSync(path.join(tmp, "probe.js"), PROBE);
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("the checker, the program child and the pack host each start with the start-up flags", async () => {
        const log = path.join(tmp, "flags.log");
        const r = await runCli(["--program", REPO, "--stack", "dev", "--format", "json", "--preview-only"], {
            NODE_OPTIONS: `--require ${path.join(tmp, "probe.js")}`,
            V8_FLAGS_LOG: log,
        });
        assert.strictEqual(r.code, 0, r.stderr);
        const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
        for (const p of PROCESSES) {
            const flags = calls.filter((l) => l.startsWith(`${p} `)).map((l) => l.slice(p.length + 1));
            if (!tuningApplies()) {
                assert.deepStrictEqual(flags, [], p);
                continue;
            }
            // A process still running after START_UP_MS (a slow machine) has gone back to V8's defaults.
            const started = flags.slice(0, START_UP_V8_FLAGS.length);
            assert.deepStrictEqual(started, [...START_UP_V8_FLAGS], p);
            assert.ok([0, STEADY_V8_FLAGS.length].includes(flags.length - started.length), `${p}: ${flags.join(" ")}`);
            assert.deepStrictEqual(
                flags.slice(started.length),
                flags.length > started.length ? [...STEADY_V8_FLAGS] : [],
            );
        }
    });

    it("goes back to V8's defaults after the start-up time, and its timer keeps no process alive", () => {
        const flagsModule = path.join(REPO, "scripts", "offline-check", "v8-flags.js");
        const calls = (log: string): string[] =>
            fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
        // On another V8 nothing is set at all.
        const expected = (flags: readonly string[]): string[] =>
            tuningApplies() ? flags.map((f) => `[eval] ${f}`) : [];
        const run = (code: string, log: string): number => {
            const start = Date.now();
            execFileSync(process.execPath, ["--require", path.join(tmp, "probe.js"), "-e", code], {
                env: { ...process.env, V8_FLAGS_LOG: log },
            });
            return Date.now() - start;
        };
        const longLog = path.join(tmp, "long.log");
        run(`require(${JSON.stringify(flagsModule)}).tuneV8ForCheck(300); setTimeout(() => {}, 600);`, longLog);
        assert.deepStrictEqual(calls(longLog), expected([...START_UP_V8_FLAGS, ...STEADY_V8_FLAGS]));
        const shortLog = path.join(tmp, "short.log");
        // The timer of START_UP_MS does not hold a process that has nothing left to do.
        const ms = run(`require(${JSON.stringify(flagsModule)}).tuneV8ForCheck();`, shortLog);
        assert.ok(ms < START_UP_MS, `a process with nothing left to do exited after ${ms} ms`);
        assert.deepStrictEqual(calls(shortLog), expected(START_UP_V8_FLAGS));
    });

    it("sets flags this V8 knows, with their values in its syntax", () => {
        // v8.setFlagsFromString does not throw on a flag V8 does not know (V8 prints a line on stderr and goes on).
        const options = execFileSync(process.execPath, ["--v8-options"], { encoding: "utf8" });
        for (const flag of new Set([...START_UP_V8_FLAGS, ...STEADY_V8_FLAGS])) {
            const m = /^--([a-z0-9-]+)=(\d+)$/.exec(flag);
            assert.ok(m, `${flag}: not --name=<integer>`);
            assert.match(options, new RegExp(`^\\s+--${m[1]} \\(.*\\n\\s+type: int `, "m"), flag);
        }
    });

    it("applies to the V8 it was measured on only", () => {
        assert.ok(tuningApplies("11.3.244.8-node.38"));
        assert.ok(!tuningApplies("12.4.254.21-node.33"));
        assert.ok(!tuningApplies("10.2.154.26-node.36"));
    });
});
