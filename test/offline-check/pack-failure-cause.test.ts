// packFailureCause: the line of a pack's stderr that says what went wrong comes first, whatever surrounds it.
import * as assert from "assert";
import { packFailureCause } from "../../scripts/offline-check/analyzer/pack-process";

const frames = (n: number): string[] => Array.from({ length: n }, (_, i) => `    at frame${i} (/pack/index.ts:${i}:1)`);

describe("offline-check: packFailureCause", () => {
    it("takes Node's error line, not the source line Node prints above it", () => {
        const stderr = [
            "/pack/index.ts:2",
            "throw new Error(`cannot load ${name}`);",
            "      ^",
            "Error: cannot load policies",
            ...frames(3),
        ].join("\n");
        assert.strictEqual(packFailureCause(stderr).split("\n")[0], "Error: cannot load policies");
    });

    it("recognises error lines with a code or a subclass name, before earlier lines that only mention a failure", () => {
        for (const line of [
            "Error [ERR_REQUIRE_ESM]: require() of ES Module /pack/x.js not supported.",
            "TypeError: policies is not iterable",
            "TSError: ⨯ Unable to compile TypeScript:",
        ]) {
            const stderr = ["loading failed, retrying once", line, ...frames(2)].join("\n");
            assert.strictEqual(packFailureCause(stderr).split("\n")[0], line);
        }
    });

    it("keeps the error line first and the last 20 lines after it when a long trace follows", () => {
        const trace = frames(30);
        const cause = packFailureCause(["Error: Cannot find module './dist/package.json'", ...trace].join("\n"));
        assert.deepStrictEqual(cause.split("\n"), [
            "Error: Cannot find module './dist/package.json'",
            ...trace.slice(-20),
        ]);
    });

    it("does not repeat the error line when it is among the last lines", () => {
        assert.strictEqual(packFailureCause("Error: boom\n    at x\n"), "Error: boom\n    at x");
    });

    it("falls back to a line mentioning an error, then to the first line; nothing for empty stderr", () => {
        assert.strictEqual(
            packFailureCause("starting\nunable to bind a port\n").split("\n")[0],
            "unable to bind a port",
        );
        assert.strictEqual(packFailureCause("Segmentation fault\n").split("\n")[0], "Segmentation fault");
        assert.strictEqual(packFailureCause("  \n"), "");
    });
});
