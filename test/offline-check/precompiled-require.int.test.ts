// The bins' own TypeScript served precompiled (precompiled-require.js): the checker's report is the one the ts-node
// path gives; a changed file is recompiled, never served stale; a hit loads neither TypeScript nor ts-node and
// still shows TypeScript lines in stack traces.
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIXTURES, REPO, startCli } from "./run-cli";

const HOOK = path.join(REPO, "scripts", "offline-check", "precompiled-require.js");
const TSCONFIG = path.join(REPO, "tsconfig.json");
/** A preload that says on stderr, as the process exits, whether TypeScript or ts-node got loaded. */
const COMPILER_PROBE = path.join(FIXTURES, "compiler-probe.js");

/**
 * Loads `file` (a .ts module exporting `value()`) through the hook in a fresh Node process, `times` times (the
 * source rewritten by `edits[i]` before load i+1); prints what each load returned, the hook's hits and misses,
 * whether TypeScript or ts-node got loaded, and the stack of an error thrown by `boom()` if it exports one.
 */
function loadInChild(
    cacheDir: string,
    file: string,
    edits: string[] = [],
): {
    values: unknown[];
    stats: { hits: number; misses: number };
    compilerLoaded: boolean;
    stack?: string;
} {
    const script = `
        const fs = require("fs");
        const hook = require(${JSON.stringify(HOOK)});
        hook.registerPrecompiled(${JSON.stringify(TSCONFIG)});
        const file = ${JSON.stringify(file)};
        const edits = ${JSON.stringify(edits)};
        const values = [];
        let stack;
        for (let i = 0; i <= edits.length; i++) {
            if (i > 0) { fs.writeFileSync(file, edits[i - 1]); delete require.cache[file]; }
            const m = require(file);
            values.push(m.value());
            if (m.boom) { try { m.boom(); } catch (e) { stack = e.stack; } }
        }
        const compilerLoaded = Object.keys(require.cache).some((k) => /node_modules\\/(typescript|ts-node)\\//.test(k));
        process.stdout.write(JSON.stringify({ values, stats: hook.registerPrecompiled.stats, compilerLoaded, stack }));
    `;
    const out = execFileSync(process.execPath, ["-e", script], {
        env: { ...process.env, REDIS_STACK_CHECK_CACHE_DIR: cacheDir, REDIS_STACK_CHECK_CACHE: "" },
        encoding: "utf8",
    });
    return JSON.parse(out);
}

/** A report with the random auto-name suffixes (7 hex characters) masked. */
function maskAutoNames(json: string): string {
    return json.replace(/-[0-9a-f]{7}"/g, '-XXXXXXX"');
}

describe("precompiled checker (precompiled-require.js)", function () {
    this.timeout(240_000);
    let tmp: string;
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "check-precompiled-"));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("compiles on a miss, serves a hit without loading TypeScript or ts-node, and maps stack traces to .ts lines", () => {
        const file = path.join(tmp, "mod.ts");
        fs.writeFileSync(
            file,
            'const n: number = 1;\nexport function value(): number {\n    return n;\n}\nexport function boom(): never {\n    throw new Error("boom");\n}\n',
        );
        const cache = path.join(tmp, "cache");
        const first = loadInChild(cache, file);
        assert.deepStrictEqual(first.values, [1]);
        assert.deepStrictEqual(first.stats, { hits: 0, misses: 1 });
        assert.strictEqual(first.compilerLoaded, true);
        const second = loadInChild(cache, file);
        assert.deepStrictEqual(second.values, [1]);
        assert.deepStrictEqual(second.stats, { hits: 1, misses: 0 });
        assert.strictEqual(second.compilerLoaded, false);
        assert.match(second.stack ?? "", /at (Object\.)?boom \(.*mod\.ts:6:11\)/);
    });

    it("a changed source file is recompiled, in the same process and in the next, never served stale", () => {
        const file = path.join(tmp, "mod.ts");
        const source = (v: number) => `export function value(): number {\n    return ${v};\n}\n`;
        fs.writeFileSync(file, source(1));
        const cache = path.join(tmp, "cache");
        const run = loadInChild(cache, file, [source(2)]);
        assert.deepStrictEqual(run.values, [1, 2]);
        assert.deepStrictEqual(run.stats, { hits: 0, misses: 2 });
        fs.writeFileSync(file, source(3));
        const next = loadInChild(cache, file, [source(1)]);
        assert.deepStrictEqual(next.values, [3, 1]);
        assert.deepStrictEqual(next.stats, { hits: 1, misses: 1 });
    });

    it("the precompiled checker gives the report the ts-node path gives (REDIS_STACK_CHECK_CACHE=0)", async () => {
        const args = ["--program", path.join(FIXTURES, "compliant"), "--stack", "us"];
        const cacheDir = path.join(tmp, "cache");
        // Cold (compiling, storing) once; the text format then from the warm cache only: what is served does not
        // depend on the format asked for.
        for (const [format, runs] of [
            ["json", ["cold", "warm"]],
            ["text", ["warm"]],
        ] as const) {
            const precompiled = [];
            for (const _ of runs) {
                precompiled.push(
                    await startCli([...args, "--format", format], { REDIS_STACK_CHECK_CACHE_DIR: cacheDir }).done,
                );
            }
            const tsNode = await startCli([...args, "--format", format], { REDIS_STACK_CHECK_CACHE: "0" }).done;
            assert.ok(tsNode.stdout.length > 0, tsNode.stderr);
            for (const r of precompiled) {
                assert.strictEqual(r.code, tsNode.code, r.stderr);
                assert.strictEqual(maskAutoNames(r.stdout), maskAutoNames(tsNode.stdout));
            }
        }
    });

    for (const [bin, args] of [
        ["redis-stack-redis-check.js", ["--help"]],
        ["redis-stack-redis-check.js", ["--port", "nope"]],
        ["redis-stack-connect.js", ["--help"]],
    ] as const) {
        it(`${bin} ${args.join(" ")}: warm, loads no compiler and says what the ts-node path says`, () => {
            const cacheDir = path.join(tmp, "cache");
            const run = (env: NodeJS.ProcessEnv) =>
                spawnSync(process.execPath, ["-r", COMPILER_PROBE, path.join(REPO, "scripts", bin), ...args], {
                    cwd: REPO,
                    env: { ...process.env, REDIS_STACK_CHECK_CACHE: "", ...env },
                    encoding: "utf8",
                });
            const tsNode = run({ REDIS_STACK_CHECK_CACHE: "0" });
            run({ REDIS_STACK_CHECK_CACHE_DIR: cacheDir });
            const warm = run({ REDIS_STACK_CHECK_CACHE_DIR: cacheDir });
            assert.match(tsNode.stderr, /compiler loaded: true\n$/);
            assert.match(warm.stderr, /compiler loaded: false\n$/);
            assert.deepStrictEqual(
                [warm.status, warm.stdout, warm.stderr.replace(/compiler loaded: false\n$/, "")],
                [tsNode.status, tsNode.stdout, tsNode.stderr.replace(/compiler loaded: true\n$/, "")],
            );
        });
    }
});
