// The RESP reply parser against a hostile server (issue #20, class 6): fuzzed with fast-check against an
// independently written reference (a recursive-descent parse of the whole byte string, from the RESP2
// specification), for random chunkings, for well-formed replies (encoder round trip) and for arbitrary bytes
// drawn from RESP's own alphabet. The parser must be total: values, "need more bytes" or a protocol error, never a
// hang, never another exception.
import * as assert from "assert";
import fc from "fast-check";
import {
    RespError,
    RespParser,
    RespProtocolError,
    type RespLimits,
    type RespValue,
} from "../../scripts/redis-check/resp";

const LIMITS: RespLimits = { maxLine: 64, maxBulk: 256, maxArray: 16, maxDepth: 4 };

type Outcome = { values: unknown[]; end: "incomplete" | "invalid" };

/**
 * The reference: the RESP2 grammar read off the specification, over the whole input at once. `+`/`-` lines, `:`
 * integers, `$` bulk strings (length, CRLF, bytes, CRLF; -1 is null) and `*` arrays (count, items; -1 is null),
 * with the same limits. A reply cut short is "incomplete"; anything else off the grammar is "invalid".
 */
function reference(input: Buffer, limits: RespLimits): Outcome {
    const values: unknown[] = [];
    let pos = 0;
    class Incomplete {}
    class Invalid {}
    const readLine = (): string => {
        let i = pos + 1;
        for (;;) {
            if (i - (pos + 1) > limits.maxLine) throw new Invalid();
            if (i + 1 >= input.length) {
                // Not found yet: invalid if already too long to be a line, else wait.
                if (input.length - (pos + 1) >= limits.maxLine + 2) throw new Invalid();
                throw new Incomplete();
            }
            if (input[i] === 13 && input[i + 1] === 10) break;
            i++;
        }
        const text = input.toString("utf8", pos + 1, i);
        pos = i + 2;
        return text;
    };
    const readInt = (text: string, min: number, max: number): number => {
        let digits = text;
        if (digits.startsWith("-")) digits = digits.slice(1);
        if (digits.length === 0 || digits.length > 19 || [...digits].some((c) => c < "0" || c > "9"))
            throw new Invalid();
        const n = Number(text);
        if (!Number.isSafeInteger(n) || n < min || n > max) throw new Invalid();
        return n;
    };
    const value = (depth: number): unknown => {
        if (pos >= input.length) throw new Incomplete();
        const type = String.fromCharCode(input[pos]);
        if (!"+-:$*".includes(type)) throw new Invalid();
        const text = readLine();
        if (type === "+") return text;
        if (type === "-") return new RespError(text);
        if (type === ":") return readInt(text, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
        if (type === "$") {
            const len = readInt(text, -1, limits.maxBulk);
            if (len === -1) return null;
            if (input.length < pos + len + 2) throw new Incomplete();
            if (input[pos + len] !== 13 || input[pos + len + 1] !== 10) throw new Invalid();
            const s = input.toString("utf8", pos, pos + len);
            pos += len + 2;
            return s;
        }
        const n = readInt(text, -1, limits.maxArray);
        if (n === -1) return null;
        if (n > 0 && depth >= limits.maxDepth) throw new Invalid();
        return Array.from({ length: n }, () => value(depth + 1));
    };
    for (;;) {
        if (pos === input.length) return { values, end: "incomplete" };
        const start = pos;
        try {
            values.push(value(0));
        } catch (e) {
            pos = start;
            if (e instanceof Incomplete) return { values, end: "incomplete" };
            if (e instanceof Invalid) return { values, end: "invalid" };
            throw e;
        }
    }
}

/** Feeds `input` in the given chunk sizes, taking every reply as soon as it is complete. */
function parse(input: Buffer, cuts: number[], limits: RespLimits): Outcome {
    const parser = new RespParser(limits);
    const values: unknown[] = [];
    let at = 0;
    const sizes = [...cuts, input.length];
    try {
        for (const size of sizes) {
            const next = Math.min(input.length, at + Math.max(1, size));
            parser.push(input.subarray(at, next));
            at = next;
            // Each reply consumes at least 3 bytes: more iterations than bytes is a hang.
            for (let guard = 0, v = parser.next(); v !== undefined; v = parser.next()) {
                values.push(v);
                assert.ok(++guard <= input.length, "next() keeps returning replies without consuming bytes");
            }
            if (at >= input.length) break;
        }
    } catch (e) {
        if (e instanceof RespProtocolError) return { values, end: "invalid" };
        throw e;
    }
    return { values, end: "incomplete" };
}

/** An independent RESP2 encoder (for the round trip). */
function encode(v: RespValue, asSimple: boolean): string {
    if (v === null) return "$-1\r\n";
    if (v instanceof RespError) return `-${v.message}\r\n`;
    if (typeof v === "number") return `:${v}\r\n`;
    if (typeof v === "string") return asSimple ? `+${v}\r\n` : `$${Buffer.byteLength(v)}\r\n${v}\r\n`;
    return `*${v.length}\r\n${v.map((x) => encode(x, asSimple)).join("")}`;
}

const lineText = fc.string({ maxLength: 20 }).filter((s) => !/[\r\n]/.test(s));
const respValue: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => ({
    value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.string({ maxLength: 30, unit: "grapheme" }),
        fc.integer(),
        fc.constant(null),
        lineText.map((s) => new RespError(s)),
        fc.array(tie("value"), { maxLength: 5 }),
    ),
})).value;
const cuts = fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 30 });

describe("redis-check RESP parser (property: against a reference parse)", () => {
    it("well-formed replies, in any chunking, parse to what was encoded", () => {
        fc.assert(
            fc.property(fc.array(respValue, { maxLength: 6 }), fc.boolean(), cuts, (values, simple, c) => {
                const wire = values.map((v) => encode(v, simple && typeof v === "string")).join("");
                assert.deepStrictEqual(parse(Buffer.from(wire), c, RESP_LIMITS_WIDE), { values, end: "incomplete" });
            }),
            { numRuns: 500 },
        );
    });

    it("any bytes from RESP's alphabet: the same values and the same ending as the reference, never a hang", () => {
        const token = fc.constantFrom(
            "+",
            "-",
            ":",
            "$",
            "*",
            "-1",
            "0",
            "1",
            "2",
            "3",
            "9",
            "x",
            " ",
            ".",
            "\r\n",
            "\r",
            "\n",
            "OK",
            "99999999999999999999",
        );
        fc.assert(
            fc.property(fc.array(token, { maxLength: 40 }), cuts, (tokens, c) => {
                const input = Buffer.from(tokens.join(""));
                assert.deepStrictEqual(parse(input, c, LIMITS), reference(input, LIMITS));
            }),
            { numRuns: 3000 },
        );
    });

    it("arbitrary bytes: a protocol error or replies, never another exception, never a hang", () => {
        fc.assert(
            fc.property(fc.uint8Array({ maxLength: 200 }), cuts, (bytes, c) => {
                const input = Buffer.from(bytes);
                assert.deepStrictEqual(parse(input, c, LIMITS), reference(input, LIMITS));
            }),
            { numRuns: 2000 },
        );
    });

    it("examples a hostile server sent: malformed lengths fail, oversize ones fail before buffering", () => {
        for (const wire of [
            "$x\r\n",
            "$1.5\r\n",
            "$+1\r\n",
            "$ 1\r\n",
            "$-2\r\n",
            "*x\r\n",
            ":1e3\r\n",
            "$3\r\nabcde\r\n",
        ]) {
            assert.deepStrictEqual(parse(Buffer.from(wire), [], LIMITS), { values: [], end: "invalid" }, wire);
        }
        assert.deepStrictEqual(parse(Buffer.from("$257\r\n"), [], LIMITS).end, "invalid", "bulk over the limit");
        assert.deepStrictEqual(parse(Buffer.from("*17\r\n"), [], LIMITS).end, "invalid", "array over the limit");
        assert.deepStrictEqual(parse(Buffer.from("*1\r\n".repeat(5)), [], LIMITS).end, "invalid", "nested too deep");
        assert.deepStrictEqual(parse(Buffer.from(`+${"a".repeat(70)}`), [], LIMITS).end, "invalid", "endless line");
    });
});

const RESP_LIMITS_WIDE: RespLimits = { maxLine: 1024, maxBulk: 1 << 20, maxArray: 1024, maxDepth: 64 };
