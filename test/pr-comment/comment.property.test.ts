// Fuzzing pr-comment's parser of the checker's JSON (the house rule: a parser of what a peer sends gets fuzzed; the
// reports are written by the pull request's own code, and by other versions of the checker): any JSON, and valid documents with one
// part replaced or removed, parse to stack results or fail with one ReportShapeError line, never anything else;
// what parses renders within the limit. Valid documents keep their stacks, in order, with an oracle built here.
import * as assert from "assert";
import fc from "fast-check";
import {
    ReportShapeError,
    type StackFailure,
    buildComment,
    mdText,
    parseReportDocument,
} from "../../scripts/pr-comment/comment";
import { loadFixture as load } from "./fixtures";

const REPORTS = [load("dev-no-plan.json"), load("prod-plan.json"), load("staging-failed.json")];

/** Every path to a value inside `v` (the root included), keys and indexes. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
    const inner =
        typeof v === "object" && v !== null
            ? Object.entries(v).flatMap(([k, x]) => paths(x, [...at, Array.isArray(v) ? Number(k) : k]))
            : [];
    return [at, ...inner];
}

/** `doc` with the value at `where` replaced by `by`, or removed when `by` is undefined. */
function mutate(doc: unknown, where: (string | number)[], by: unknown): unknown {
    if (where.length === 0) {
        return by;
    }
    const copy = JSON.parse(JSON.stringify(doc)) as Record<string | number, unknown>;
    let parent = copy;
    for (const k of where.slice(0, -1)) {
        parent = parent[k] as Record<string | number, unknown>;
    }
    const last = where[where.length - 1];
    if (by === undefined && Array.isArray(parent)) {
        parent.splice(Number(last), 1);
    } else if (by === undefined) {
        delete parent[last];
    } else {
        parent[last] = by;
    }
    return copy;
}

/** Parses, and renders what parsed: throws only ReportShapeError, whose message names the file. */
function parseAndRender(doc: unknown): void {
    try {
        const results = parseReportDocument(doc, "stacks.json");
        assert.ok(results.length > 0 && results.every((r) => typeof r.stack === "string"));
        assert.ok(buildComment(results, { maxChars: 5000 }).length <= 5000);
    } catch (e) {
        if (!(e instanceof ReportShapeError)) {
            throw e;
        }
        assert.match(e.message, /^stacks\.json: /);
        assert.doesNotMatch(e.message.split("stacks.json: ")[1], /^$/);
    }
}

describe("pr-comment: the report parser, fuzzed", () => {
    it("any JSON value: stack results or one ReportShapeError naming the file", () => {
        fc.assert(
            fc.property(
                fc.oneof(
                    fc.jsonValue(),
                    fc.jsonValue().map((stacks) => ({ stacks })),
                    fc.array(fc.jsonValue(), { maxLength: 4 }).map((stacks) => ({ stacks })),
                ),
                parseAndRender,
            ),
            { numRuns: 300 },
        );
    });

    it("a valid several-stack document with one part replaced or removed", () => {
        const doc = fc.array(fc.constantFrom(...REPORTS), { minLength: 1, maxLength: 3 }).map((stacks) => ({ stacks }));
        fc.assert(
            fc.property(doc, fc.nat(), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }), (d, pick, by) => {
                const all = paths(d);
                parseAndRender(mutate(d, all[pick % all.length], by));
            }),
            { numRuns: 500 },
        );
    });

    it("valid documents keep every stack, in order; a failure keeps its first line", () => {
        const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
        // A first line without line breaks or surrounding blanks, then anything after a line break.
        const line = fc
            .string({ minLength: 1, maxLength: 30 })
            .map((s) => s.replace(/[\r\n]/g, "").trim())
            .filter((s) => s.length > 0);
        const entry = fc.oneof(
            fc.tuple(name, fc.constantFrom(REPORTS[0], REPORTS[1])).map(([stack, r]) => ({
                expect: { stack, error: undefined as string | undefined },
                doc: { ...(r as object), stack },
            })),
            fc
                .tuple(name, line, fc.string({ maxLength: 30 }), fc.constantFrom("\n", "\r\n"))
                .map(([stack, first, rest, nl]) => ({
                    expect: { stack, error: first },
                    doc: { stack, error: ` ${first}${nl}${rest}` },
                })),
        );
        fc.assert(
            fc.property(fc.array(entry, { minLength: 1, maxLength: 5 }), (entries) => {
                const results = parseReportDocument({ stacks: entries.map((e) => e.doc) }, "stacks.json");
                assert.deepStrictEqual(
                    results.map((r) => ({ stack: r.stack, error: (r as StackFailure).error })),
                    entries.map((e) => e.expect),
                );
                const body = buildComment(results, { maxChars: 1e7 });
                let at = 0;
                for (const e of entries) {
                    const heading = body.indexOf(` Stack ${mdText(e.expect.stack)}\n`, at);
                    assert.ok(heading >= at, `${e.expect.stack} missing or out of order`);
                    at = heading + 1;
                }
            }),
            { numRuns: 200 },
        );
    });
});
