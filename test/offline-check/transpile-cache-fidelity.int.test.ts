// The transpile cache changes nothing ts-node emits: for every TypeScript file the check runs (the program, the
// pack, the checker) ts-node's output through the cache, on a miss and on a hit, is byte for byte its output
// without it (JavaScript and source map), under each of the settings those files run with; module kinds that
// depend on the file name and package.json type too. Errors thrown from cached files still point at TypeScript
// lines, through the public command.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type CreateOptions, type Service, create } from "ts-node";
import { hostTypeScriptOptions, programDirectory } from "../../scripts/offline-check/typescript-host";
import { FIXTURES, REPO, startCli } from "./run-cli";

const TRANSPILER = path.join(REPO, "scripts", "offline-check", "transpile-cache.js");

function tsFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => /\.[cm]?ts$/.test(f) && !f.endsWith(".d.ts") && !f.split(path.sep).includes("node_modules"))
        .map((f) => path.join(dir, f))
        .sort();
}

/** ts-node as the check sets it up for `options`, without and with the cache in `cacheDir`. */
function services(options: CreateOptions, cacheDir: string): { plain: Service; cached: () => Service } {
    const withoutCache: CreateOptions = { ...options, transpiler: undefined };
    return {
        plain: create(withoutCache),
        cached: () => create({ ...withoutCache, transpiler: [TRANSPILER, { cacheDir }] }),
    };
}

/** Name and inode of every entry: a rewritten entry gets a new inode (written to a temp file, renamed). */
function entries(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => `${f}:${fs.statSync(path.join(dir, f)).ino}`)
        .sort();
}

/** Compiles `files` without the cache, then through it twice (miss, then hit in a new service) and compares. */
function assertSameOutput(options: CreateOptions, files: string[], cacheDir: string): void {
    const { plain, cached } = services(options, cacheDir);
    const expected = files.map((f) => plain.compile(fs.readFileSync(f, "utf8"), f));
    const before = fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).length : 0;
    const miss = cached();
    files.forEach((f, i) => assert.strictEqual(miss.compile(fs.readFileSync(f, "utf8"), f), expected[i], `miss: ${f}`));
    const stored = entries(cacheDir);
    assert.strictEqual(stored.length - before, files.length, "one new entry per file");
    const hit = cached();
    files.forEach((f, i) => assert.strictEqual(hit.compile(fs.readFileSync(f, "utf8"), f), expected[i], `hit: ${f}`));
    assert.deepStrictEqual(entries(cacheDir), stored, "the second service read the entries, wrote none");
}

describe("offline-check: the transpile cache emits what ts-node emits", function () {
    this.timeout(300_000);
    let tmp: string;
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "transpile-fidelity-"));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("the program (infra/, its tsconfig.json, as the CLI's host)", () => {
        const files = tsFiles(path.join(REPO, "infra"));
        assert.ok(files.length > 10);
        assertSameOutput(hostTypeScriptOptions(programDirectory(path.join(REPO, "infra"))), files, tmp);
    });

    it("the pack (policy/, the host's defaults: ES2020, nodenext)", () => {
        const files = tsFiles(path.join(REPO, "policy"));
        assert.ok(files.length > 10);
        const options = hostTypeScriptOptions(path.join(REPO, "policy"));
        assert.strictEqual(options.skipProject, true, "the pack has no tsconfig.json");
        assertSameOutput(options, files, tmp);
    });

    it("the checker and the recorder (scripts/offline-check/, the repository's tsconfig.json)", () => {
        const files = tsFiles(path.join(REPO, "scripts", "offline-check"));
        assert.ok(files.length > 30);
        assertSameOutput({ transpileOnly: true, project: path.join(REPO, "tsconfig.json") }, files, tmp);
        // The program child runs the recorder under the program's settings: same files, same cache, new entries.
        assertSameOutput(hostTypeScriptOptions(path.join(REPO, "policy")), files, tmp);
    });

    it("module kinds from the file name and package.json type under nodenext (.ts, .mts, .cts)", () => {
        const source = 'import { join } from "path";\nexport const where = join("a", "b");\n';
        const files: string[] = [];
        for (const type of ["module", "commonjs"]) {
            const dir = path.join(tmp, "src", type);
            fs.mkdirSync(dir, { recursive: true });
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type }));
            for (const ext of [".ts", ".mts", ".cts"]) {
                fs.writeFileSync(path.join(dir, `index${ext}`), source);
                files.push(path.join(dir, `index${ext}`));
            }
        }
        const options = hostTypeScriptOptions(path.join(tmp, "src"));
        assertSameOutput(options, files, path.join(tmp, "cache"));
        const { plain } = services(options, path.join(tmp, "cache"));
        const emitted = files.map((f) => plain.compile(source, f));
        assert.match(emitted[0], /^export const where/m, "a .ts file of a type: module package is ESM");
        assert.match(emitted[3], /exports\.where = /, "a .ts file of a commonjs package is CommonJS");
    });

    it("a file with a syntax error fails the same way, every time, and is not stored", () => {
        const file = path.join(tmp, "src", "broken.ts");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, "export const a = ;\n");
        const cacheDir = path.join(tmp, "cache");
        const { plain, cached } = services(hostTypeScriptOptions(path.dirname(file)), cacheDir);
        const failure = (s: Service) => {
            try {
                s.compile(fs.readFileSync(file, "utf8"), file);
            } catch (e) {
                return (e as Error).message;
            }
            return "compiled";
        };
        const expected = failure(plain);
        assert.match(expected, /TS1109: Expression expected/);
        assert.strictEqual(failure(cached()), expected);
        assert.strictEqual(failure(cached()), expected);
        assert.ok(!fs.existsSync(cacheDir), "nothing stored");
    });

    it("through the command: a second run hits the cache, and errors still show the program's TypeScript line", async () => {
        const cacheDir = path.join(tmp, "cache");
        const args = ["--program", path.join(FIXTURES, "error-program-throws"), "--stack", "test"];
        const args2 = [...args, "--policy-pack", path.join(FIXTURES, "policy-pack")];
        const where = /got 40 \(.*index\.ts:7:\d+\)/;
        const first = await startCli(args2, { REDIS_STACK_CHECK_CACHE_DIR: cacheDir }).done;
        assert.strictEqual(first.code, 2, first.stderr);
        assert.match(first.stderr, where);
        const stored = entries(cacheDir);
        assert.ok(stored.length > 50, `the checker, the program and the pack stored their files: ${stored.length}`);
        const second = await startCli(args2, { REDIS_STACK_CHECK_CACHE_DIR: cacheDir }).done;
        assert.strictEqual(second.code, 2, second.stderr);
        assert.strictEqual(second.stderr, first.stderr, "the same message, pointing at the same TypeScript line");
        assert.deepStrictEqual(entries(cacheDir), stored, "every file was a hit");

        const off = path.join(tmp, "off");
        const third = await startCli(args, { REDIS_STACK_CHECK_CACHE_DIR: off, REDIS_STACK_CHECK_CACHE: "0" }).done;
        assert.match(third.stderr, where);
        assert.ok(!fs.existsSync(off), "REDIS_STACK_CHECK_CACHE=0 writes no cache");
    });
});
