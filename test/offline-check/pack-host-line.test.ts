// The pack host's stdout lines (analyzer/pack-process.ts parsePackHostLine), fuzzed: whatever a line holds, the
// parser returns a stack's port (an integer 1..65535), a stack's load error (a string), or nothing, and never
// throws; the host's own lines (pack-entry.js writes JSON.stringify({ stack, port }) / { stack, error }) come back
// as written.
import * as assert from "assert";
import fc from "fast-check";
import { parsePackHostLine } from "../../scripts/offline-check/analyzer/pack-process";

describe("pack host lines", () => {
    it("the host's own lines come back as written", () => {
        fc.assert(
            fc.property(fc.string(), fc.integer({ min: 1, max: 65535 }), fc.string(), (stack, port, error) => {
                assert.deepStrictEqual(parsePackHostLine(JSON.stringify({ stack, port })), { stack, port });
                assert.deepStrictEqual(parsePackHostLine(JSON.stringify({ stack, error })), { stack, error });
            }),
        );
    });

    it("any other line is a valid message or nothing, never an exception", () => {
        const line = fc.oneof(
            fc.string(),
            fc.json(),
            fc
                .record({ stack: fc.anything(), port: fc.anything(), error: fc.anything() }, { requiredKeys: [] })
                .map((o) => JSON.stringify(o) ?? ""),
        );
        fc.assert(
            fc.property(line, (l) => {
                const m = parsePackHostLine(l);
                if (m === undefined) {
                    return;
                }
                assert.strictEqual(typeof m.stack, "string");
                if ("port" in m) {
                    assert.ok(Number.isInteger(m.port) && m.port >= 1 && m.port <= 65535, l);
                    assert.deepStrictEqual(Object.keys(m), ["stack", "port"]);
                } else {
                    assert.strictEqual(typeof m.error, "string");
                    assert.deepStrictEqual(Object.keys(m), ["stack", "error"]);
                }
            }),
            { numRuns: 2000 },
        );
    });

    it("refuses a port out of range or not an integer, a stack that is not a string, and lines that are not JSON", () => {
        for (const l of [
            '{"stack":"dev","port":0}',
            '{"stack":"dev","port":65536}',
            '{"stack":"dev","port":1.5}',
            '{"stack":"dev","port":"1234"}',
            '{"stack":1,"port":1234}',
            '{"port":1234}',
            '{"stack":"dev","error":{}}',
            "1234",
            "null",
            '["dev",1234]',
            '{"stack":"dev","port":1234',
        ]) {
            assert.strictEqual(parsePackHostLine(l), undefined, l);
        }
    });
});
