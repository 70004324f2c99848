// A program's and a pack's TypeScript served precompiled (typescript-host.js registerPrecompiledHost): what ts-node
// registered as the CLI's hosts register it gives, without loading TypeScript or ts-node on a warm run; every input
// of ts-node's output is in the key (a parent tsconfig edited is a miss); what ts-node handles differently from a
// plain `.ts` file (node_modules, `.cts`, an ESM package, TS_NODE_* settings, a tsconfig that widens its hooks)
// behaves as under ts-node.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { precompilableTsconfigs } from "../../scripts/offline-check/typescript-host";
import { REPO } from "./run-cli";

const HOST = path.join(REPO, "scripts", "offline-check", "typescript-host.js");

interface HostRun {
    values: unknown;
    stats: { hits: number; misses: number };
    compilerLoaded: boolean;
    error?: { code?: string; stack: string };
}

/**
 * Registers TypeScript for `dir` as the program child does, in a fresh Node process, then requires `entry` and
 * prints `values()` of it (or the error requiring it threw), the precompiled hits and misses, and whether
 * TypeScript or ts-node got loaded.
 */
function runHost(dir: string, entry: string, env: NodeJS.ProcessEnv): HostRun {
    const script = `
        const host = require(${JSON.stringify(HOST)});
        host.registerTypeScript(${JSON.stringify(dir)});
        let values, error;
        try {
            values = require(${JSON.stringify(entry)}).values();
        } catch (e) {
            error = { code: e.code, stack: String(e.stack).split("\\n").slice(0, 3).join("\\n") };
        }
        const compilerLoaded = Object.keys(require.cache).some((k) => /node_modules\\/(typescript|ts-node)\\//.test(k));
        process.stdout.write(JSON.stringify({ values, stats: host.registerPrecompiledHost.stats, compilerLoaded, error }));
    `;
    const out = execFileSync(process.execPath, ["-e", script], {
        cwd: dir,
        env: { ...process.env, REDIS_STACK_CHECK_CACHE: "", ...env },
        encoding: "utf8",
        stdio: "pipe",
    });
    return JSON.parse(out) as HostRun;
}

function write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
}

describe("precompiled program and pack (typescript-host.js registerPrecompiledHost)", function () {
    this.timeout(240_000);
    let tmp: string;
    let prog: string;
    let cacheEnv: NodeJS.ProcessEnv;
    const tsNodeEnv = { REDIS_STACK_CHECK_CACHE: "0" };
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "check-precompiled-host-"));
        prog = path.join(tmp, "prog");
        cacheEnv = { REDIS_STACK_CHECK_CACHE_DIR: path.join(tmp, "cache") };
        write(path.join(tmp, "tsconfig.base.json"), '{ "compilerOptions": { "strict": true } }\n');
        write(
            path.join(prog, "tsconfig.json"),
            '{\n  // the parent, without its extension\n  "extends": "../tsconfig.base"\n}\n',
        );
        write(path.join(prog, "package.json"), '{ "name": "prog" }\n');
        write(
            path.join(prog, "lib.ts"),
            "export const twice = (n: number): number => /* a comment ts-node keeps */ 2 * n;\n",
        );
        // ts-node ignores node_modules: Node runs this file as it is.
        write(path.join(prog, "node_modules", "dep", "index.ts"), "module.exports = { seven: 7 };\n");
        write(
            path.join(prog, "index.ts"),
            [
                'import { twice } from "./lib";',
                "// eslint-disable-next-line @typescript-eslint/no-require-imports",
                'const dep: { seven: number } = require("./node_modules/dep/index.ts");',
                "export function values(): unknown {",
                "    let stack = '';",
                "    try {",
                "        throw new Error('boom');",
                "    } catch (e) {",
                "        stack = (e as Error).stack!.split('\\n')[1];",
                "    }",
                "    return { twice: twice(21), dep: dep.seven, source: twice.toString(), stack };",
                "}",
                "",
            ].join("\n"),
        );
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("a warm run loads neither TypeScript nor ts-node and gives what ts-node gives, stack lines included", () => {
        const entry = path.join(prog, "index.ts");
        const tsNode = runHost(prog, entry, tsNodeEnv);
        assert.strictEqual(tsNode.error, undefined, tsNode.error?.stack);
        const cold = runHost(prog, entry, cacheEnv);
        const warm = runHost(prog, entry, cacheEnv);
        assert.deepStrictEqual(
            [tsNode.stats, cold.stats, warm.stats],
            [
                { hits: 0, misses: 0 },
                { hits: 0, misses: 2 },
                { hits: 2, misses: 0 },
            ],
        );
        assert.deepStrictEqual([tsNode.compilerLoaded, cold.compilerLoaded, warm.compilerLoaded], [true, true, false]);
        assert.deepStrictEqual(cold.values, tsNode.values);
        assert.deepStrictEqual(warm.values, tsNode.values);
        assert.match(JSON.stringify(warm.values), /index\.ts:7:15/);
    });

    it("a parent tsconfig edited is a miss, and the output follows it", () => {
        const entry = path.join(prog, "index.ts");
        runHost(prog, entry, cacheEnv);
        write(
            path.join(tmp, "tsconfig.base.json"),
            '{ "compilerOptions": { "strict": true, "removeComments": true } }\n',
        );
        const edited = runHost(prog, entry, cacheEnv);
        const tsNode = runHost(prog, entry, tsNodeEnv);
        assert.deepStrictEqual(edited.stats, { hits: 0, misses: 2 });
        assert.deepStrictEqual(edited.values, tsNode.values);
        assert.doesNotMatch(JSON.stringify(edited.values), /a comment/, "the parent's removeComments applies");
    });

    it("a .cts file and a file of an ESM package go to ts-node, with its results and its errors", () => {
        write(path.join(prog, "common.cts"), "export const three: number = 3;\n");
        write(path.join(prog, "esm", "package.json"), '{ "type": "module" }\n');
        write(path.join(prog, "esm", "index.ts"), "export const four: number = 4;\n");
        write(
            path.join(prog, "mixed.ts"),
            [
                "// eslint-disable-next-line @typescript-eslint/no-require-imports",
                'export const values = (): unknown => require("./common.cts").three;',
                "",
            ].join("\n"),
        );
        write(
            path.join(prog, "esm-user.ts"),
            [
                "// eslint-disable-next-line @typescript-eslint/no-require-imports",
                'export const values = (): unknown => require("./esm/index.ts").four;',
                "",
            ].join("\n"),
        );
        for (const [entry, handedOver] of [
            ["mixed.ts", true],
            ["esm-user.ts", true],
            ["lib.ts", false],
        ] as const) {
            const file = path.join(prog, entry);
            const tsNode = runHost(prog, file, tsNodeEnv);
            runHost(prog, file, cacheEnv);
            const warm = runHost(prog, file, cacheEnv);
            assert.deepStrictEqual(warm.values, tsNode.values, entry);
            assert.strictEqual(warm.error?.code, tsNode.error?.code, entry);
            assert.strictEqual(warm.compilerLoaded, handedOver, entry);
        }
        assert.strictEqual(runHost(prog, path.join(prog, "esm-user.ts"), tsNodeEnv).error?.code, "ERR_REQUIRE_ESM");
    });

    it("ts-node registers from the start with TS_NODE_* settings or a tsconfig that widens its hooks", () => {
        const entry = path.join(prog, "index.ts");
        runHost(prog, entry, cacheEnv);
        const withEnv = runHost(prog, entry, { ...cacheEnv, TS_NODE_COMPILER_OPTIONS: '{"removeComments":true}' });
        assert.deepStrictEqual(withEnv.stats, { hits: 0, misses: 0 });
        assert.doesNotMatch(JSON.stringify(withEnv.values), /a comment/);
        write(path.join(tmp, "tsconfig.base.json"), '{ "compilerOptions": { "allowJs": true } }\n');
        const allowJs = runHost(prog, entry, cacheEnv);
        assert.deepStrictEqual(allowJs.stats, { hits: 0, misses: 0 });
        assert.strictEqual(allowJs.compilerLoaded, true);
    });

    it("precompilableTsconfigs: the extends chain by relative path, or undefined where ts-node must read it", () => {
        const dir = path.join(tmp, "chain");
        const at = (file: string, text: string): string => (write(path.join(dir, file), text), path.join(dir, file));
        assert.deepStrictEqual(precompilableTsconfigs(dir), []);
        const a = at("a/tsconfig.json", '{ "extends": "../b.json" }');
        const b = at("b.json", '{ "extends": "./c", "compilerOptions": {} }');
        const c = at("c.json", "{}");
        assert.deepStrictEqual(
            precompilableTsconfigs(path.join(dir, "a"))?.map((t) => t.file),
            [a, b, c],
        );
        const refused: [string, string][] = [
            ["b.json", '{ "extends": "@tsconfig/node20/tsconfig.json" }'],
            ["b.json", '{ "extends": ["./c.json"] }'],
            ["b.json", '{ "extends": "./missing.json" }'],
            ["b.json", '{ "extends": "../chain/a/tsconfig.json" }'],
            ["c.json", '{ "compilerOptions": { "jsx": "react" } }'],
            ["c.json", '{ "compilerOptions": { "allowJs": true } }'],
            ["c.json", '{ "ts-node": { "transpileOnly": true } }'],
        ];
        for (const [file, text] of refused) {
            const before = fs.readFileSync(path.join(dir, file), "utf8");
            at(file, text);
            assert.strictEqual(precompilableTsconfigs(path.join(dir, "a")), undefined, text);
            at(file, before);
        }
    });
});
