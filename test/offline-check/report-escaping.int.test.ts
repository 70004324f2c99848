// Reports escaped for their medium (issue #20, class 5), through the bin: resource names that carry terminal
// escapes, a fake line, a code fence, HTML, a table column break and a link reach no reader raw, in the text
// report (terminal, CI log), the markdown report (pull request, job summary) or SARIF (valid JSON, names intact).
import * as assert from "assert";
import * as path from "path";
import { HOSTILE } from "../fixtures/hostile-names";
import { FIXTURES, runCli } from "./run-cli";

const PROGRAM = path.join(FIXTURES, "hostile-names");
const PACK = path.join(FIXTURES, "policy-pack");
const args = (format: string) => ["--program", PROGRAM, "--stack", "test", "--policy-pack", PACK, "--format", format];
// eslint-disable-next-line no-control-regex -- what must not reach a terminal
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

describe("redis-stack-check CLI: reports escaped for their medium", function () {
    this.timeout(180_000);

    it("text: no control character reaches the terminal, and a name cannot fake a line", async () => {
        const r = await runCli(args("text"));
        assert.strictEqual(r.code, 1, r.stderr);
        assert.doesNotMatch(r.stdout + r.stderr, RAW_CONTROLS);
        assert.match(r.stdout, /evil\\x1b\]8;;https:\/\/evil\.example\\x07link/);
        assert.match(r.stdout, /\\x9b31m\\u202eetisil\\x0a {4}no violations/);
        // A policy message may span lines (indented under its verdict); a name cannot start a line of the report's own.
        assert.ok(!/^ {4}no violations \(24 policies\)$/m.test(r.stdout), "a name printed a fake line");
    });

    it("markdown: the plan's fence outlasts the name's, no HTML, link or column break renders", async () => {
        const r = await runCli(args("markdown"));
        assert.strictEqual(r.code, 1, r.stderr);
        const md = r.stdout;
        assert.doesNotMatch(md, RAW_CONTROLS);
        const lines = md.split("\n");
        const open = lines.findIndex((l) => /^`{3,}$/.test(l));
        const close = lines.indexOf(lines[open], open + 1);
        assert.ok(open > 0 && close > open, "a fenced plan");
        assert.deepStrictEqual(
            lines.slice(open + 1, close).filter((l) => /^\s*`{3,}/.test(l) && l.trim().length >= lines[open].length),
            [],
            "a line inside the fence that closes it",
        );
        // Outside the fence and code spans (where CommonMark renders nothing), no raw HTML and no link.
        const outside = [...lines.slice(0, open), ...lines.slice(close + 1)]
            .join("\n")
            .replace(/(`+)(?!`)[^\n]*?[^`]\1(?!`)/g, "");
        assert.doesNotMatch(outside, /<img|<\/details>\s*<img|(?<!\\)\]\(https:/);
        // Every verdict row has exactly its four cells: no unescaped `|` inside one.
        const rows = lines.filter((l) => l.startsWith("| mandatory |"));
        assert.ok(rows.length > 0, md);
        for (const row of rows) {
            assert.strictEqual(row.split(/(?<!\\)\|/).length - 2, 4, row);
        }
        assert.ok(
            rows.some((row) => row.includes("evil")),
            "the hostile name is in a verdict row",
        );
    });

    it("sarif: valid JSON whose strings hold the names as they are", async () => {
        const r = await runCli(args("sarif"));
        assert.strictEqual(r.code, 1, r.stderr);
        assert.doesNotMatch(r.stdout, RAW_CONTROLS);
        const sarif = JSON.parse(r.stdout) as {
            runs: { results: { locations: { logicalLocations: { name: string }[] }[] }[] }[];
        };
        const names = sarif.runs[0].results.flatMap((res) => res.locations.flatMap((l) => l.logicalLocations));
        assert.ok(
            names.some((n) => n.name === HOSTILE),
            "the name, intact",
        );
    });
});
