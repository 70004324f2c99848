import * as assert from "assert";
import * as path from "path";
import { packEnv } from "../../scripts/offline-check/analyzer/pack-process";
import { durationSeconds, skipInternalKeys } from "../../scripts/offline-check/analyzer/wire";
import { describeProgramError } from "../../scripts/offline-check/recorder/program-child";

describe("offline-check/analyzer wire helpers", () => {
    it("drops the engine's internal keys at every level, as MarshalProperties(SkipInternalKeys) does", () => {
        assert.deepStrictEqual(skipInternalKeys({ __defaults: [], a: { __x: 1, b: [{ __y: 2, c: 3 }] } }), {
            a: { b: [{ c: 3 }] },
        });
    });

    it("converts Go durations to the engine's seconds", () => {
        assert.strictEqual(durationSeconds(""), 0);
        assert.strictEqual(durationSeconds("5m"), 300);
        assert.strictEqual(durationSeconds("1h30m"), 5400);
        assert.strictEqual(durationSeconds("250ms"), 0.25);
    });

    it("gives the pack the environment the engine gives a nodejs policy pack", () => {
        assert.deepStrictEqual(packEnv("p", "dev", { "p:k": "v" }), {
            PULUMI_CONFIG: '{"p:k":"v"}',
            PULUMI_NODEJS_PROJECT: "p",
            PULUMI_NODEJS_STACK: "dev",
            PULUMI_NODEJS_DRY_RUN: "true",
            PULUMI_PROJECT: "p",
            PULUMI_STACK: "dev",
            PULUMI_DRY_RUN: "true",
        });
    });

    it("describes a program error by its message and the first frame in the program", () => {
        const err = new Error("bad value");
        err.stack = [
            "Error: bad value",
            "    at check (/work/proj/node_modules/lib/index.js:1:1)",
            `    at Object.<anonymous> (/work/proj${path.sep}infra${path.sep}config.ts:12:11)`,
        ].join("\n");
        assert.strictEqual(
            describeProgramError(err, "/work/proj"),
            "bad value (Object.<anonymous> (infra/config.ts:12:11))",
        );
        assert.strictEqual(describeProgramError("plain", "/work/proj"), "plain");
    });
});
