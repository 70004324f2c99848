// The transpile cache's store: what goes into a key, atomic entries under concurrent processes, corrupt and
// unwritable caches as misses, the size and age bounds, and the switch that turns it off.
import * as assert from "assert";
import { execFile } from "child_process";
import * as fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    DEFAULT_CACHE_DIR,
    TranspileCache,
    transpileCacheOptions,
    transpileKeyHasher,
} from "../../scripts/offline-check/transpile-cache";
import { REPO } from "./run-cli";

const MODULE = path.join(REPO, "scripts", "offline-check", "transpile-cache.js");
/** An entry's file name, and an entry's content as the cache writes it (header line, then JSON). */
const entryName = (key: string) => path.basename(new TranspileCache("/").entryFile(key));
const entryText = (key: string, json: string) => `redis-stack-check transpile cache 2 ${key}\n${json}`;
const DAY_MS = 24 * 60 * 60 * 1000;

const base = {
    tsVersion: "5.9.3",
    tsNodeVersion: "10.9.2",
    compilerOptions: { target: 9, module: 1, sourceMap: true } as Record<string, unknown>,
    packageJsonType: "commonjs" as const,
};

describe("offline-check: transpile cache", () => {
    let tmp: string;
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "transpile-cache-"));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    describe("keys", () => {
        const key = transpileKeyHasher(base)("/p/index.ts", "export const a = 1;");

        it("change with every input that decides the output", () => {
            const variants: [string, string][] = [
                [
                    "TypeScript version",
                    transpileKeyHasher({ ...base, tsVersion: "5.9.4" })("/p/index.ts", "export const a = 1;"),
                ],
                [
                    "ts-node version",
                    transpileKeyHasher({ ...base, tsNodeVersion: "10.9.3" })("/p/index.ts", "export const a = 1;"),
                ],
                [
                    "a compiler option",
                    transpileKeyHasher({ ...base, compilerOptions: { ...base.compilerOptions, target: 7 } })(
                        "/p/index.ts",
                        "export const a = 1;",
                    ),
                ],
                [
                    "an added compiler option",
                    transpileKeyHasher({
                        ...base,
                        compilerOptions: { ...base.compilerOptions, esModuleInterop: true },
                    })("/p/index.ts", "export const a = 1;"),
                ],
                [
                    "the package.json type",
                    transpileKeyHasher({ ...base, packageJsonType: "module" })("/p/index.ts", "export const a = 1;"),
                ],
                ["the file name", transpileKeyHasher(base)("/p/index.mts", "export const a = 1;")],
                ["the content", transpileKeyHasher(base)("/p/index.ts", "export const a = 2;")],
            ];
            for (const [what, other] of variants) {
                assert.notStrictEqual(other, key, what);
            }
            assert.match(key, /^[0-9a-f]{64}$/);
        });

        it("do not depend on the order compiler options were set in", () => {
            fc.assert(
                fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (options, input) => {
                    const reversed = Object.fromEntries(Object.entries(options).reverse());
                    const a = transpileKeyHasher({ ...base, compilerOptions: options })("/f.ts", input);
                    const b = transpileKeyHasher({ ...base, compilerOptions: reversed })("/f.ts", input);
                    assert.strictEqual(a, b);
                }),
            );
        });

        it("keep a file name and its content apart (no two splits of one string share a key)", () => {
            fc.assert(
                fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (f1, i1, f2, i2) => {
                    fc.pre(f1 !== f2 || i1 !== i2);
                    const hash = transpileKeyHasher(base);
                    assert.notStrictEqual(hash(f1, i1), hash(f2, i2));
                }),
            );
        });
    });

    describe("entries", () => {
        const key = "a".repeat(64);

        it("round-trip, in a 0700 directory as 0600 files, with no temp file left", () => {
            const dir = path.join(tmp, "cache");
            const cache = new TranspileCache(dir);
            assert.strictEqual(cache.get(key), undefined);
            cache.set(key, { outputText: "out", sourceMapText: "{}" });
            assert.deepStrictEqual(new TranspileCache(dir).get(key), { outputText: "out", sourceMapText: "{}" });
            assert.strictEqual(fs.statSync(dir).mode & 0o777, 0o700);
            assert.strictEqual(fs.statSync(path.join(dir, entryName(key))).mode & 0o777, 0o600);
            assert.deepStrictEqual(fs.readdirSync(dir), [entryName(key)]);
        });

        it("a corrupt or unreadable entry is a miss, and is replaced by the next write", () => {
            const cache = new TranspileCache(tmp);
            const file = path.join(tmp, entryName(key));
            for (const corrupt of [
                entryText(key, '{"outputText": "trunc'),
                entryText(key, "null"),
                entryText(key, '{"outputText": 1}'),
                entryText(key, '{"outputText": "x", "sourceMapText": 2}'),
                entryText("b".repeat(64), '{"outputText": "another key"}'),
                '{"outputText": "no header"}',
                "",
            ]) {
                fs.writeFileSync(file, corrupt, { mode: 0o600 });
                assert.strictEqual(cache.get(key), undefined, corrupt);
            }
            fs.rmSync(file);
            fs.mkdirSync(file);
            assert.strictEqual(cache.get(key), undefined, "a directory in the entry's place");
            fs.rmdirSync(file);
            fs.writeFileSync(file, "{");
            cache.set(key, { outputText: "fixed" });
            assert.deepStrictEqual(cache.get(key), { outputText: "fixed", sourceMapText: undefined });
        });

        it("an unwritable cache directory is no cache: no error, no output, nothing written", () => {
            const blocker = path.join(tmp, "file");
            fs.writeFileSync(blocker, "");
            const cache = new TranspileCache(path.join(blocker, "cache"));
            cache.set(key, { outputText: "out" });
            assert.strictEqual(cache.get(key), undefined);
            assert.deepStrictEqual(fs.readdirSync(tmp), ["file"]);
        });

        it("concurrent writers and readers in separate processes never see part of an entry", async () => {
            // Each writer stores 512 KB entries under the same keys over and over; every read must be a miss or a
            // whole entry (a reader of a non-atomic write would see a truncated file and a JSON error, or less).
            const script = `
                const { TranspileCache } = require(${JSON.stringify(MODULE)});
                const cache = new TranspileCache(process.argv[1]);
                const text = (k) => k.repeat(1 << 19);
                let hits = 0;
                for (let round = 0; round < 8; round++) {
                    for (const k of "0123456789") {
                        const key = k.repeat(64);
                        const got = cache.get(key);
                        if (got !== undefined) {
                            if (got.outputText !== text(k) || got.sourceMapText !== "{}") throw new Error("torn " + key);
                            hits++;
                        }
                        cache.set(key, { outputText: text(k), sourceMapText: "{}" });
                    }
                }
                console.log(hits);`;
            const run = () =>
                new Promise<number>((resolve, reject) =>
                    execFile(process.execPath, ["-e", script, tmp], (err, stdout) =>
                        err ? reject(err) : resolve(Number(stdout)),
                    ),
                );
            const hits = await Promise.all([run(), run(), run(), run()]);
            assert.ok(
                hits.every((h) => h > 0),
                `every process read whole entries: ${hits.join(", ")}`,
            );
            assert.deepStrictEqual(
                fs.readdirSync(tmp).sort(),
                [..."0123456789"].map((k) => entryName(k.repeat(64))).sort(),
                "no temp files left",
            );
        });
    });

    describe("bounds", () => {
        const entry = (k: string, ageDays: number, bytes: number, now: number) => {
            const file = path.join(tmp, entryName(k.repeat(64)));
            fs.writeFileSync(file, entryText(k.repeat(64), JSON.stringify({ outputText: "x".repeat(bytes) })), {
                mode: 0o600,
            });
            fs.utimesSync(file, (now - ageDays * DAY_MS) / 1000, (now - ageDays * DAY_MS) / 1000);
            return file;
        };

        it("removes entries unused for 30 days, then the least recently used beyond the size bound", () => {
            const now = Date.now();
            const old = entry("a", 31, 10, now);
            const recent = [entry("b", 3, 1000, now), entry("c", 2, 1000, now), entry("d", 1, 1000, now)];
            new TranspileCache(tmp, { maxBytes: 2400 }).prune(now);
            assert.ok(!fs.existsSync(old), "unused for 31 days");
            assert.deepStrictEqual(
                recent.map((f) => fs.existsSync(f)),
                [false, true, true],
                "the oldest goes until the rest fit",
            );
        });

        it("leaves other files alone but removes temp files of writers that died an hour ago", () => {
            const now = Date.now();
            const temp = (k: string, pid: number) =>
                path.join(tmp, entryName(k.repeat(64)).replace(/\.entry$/, `.${pid}-${"0".repeat(12)}.partial`));
            const stale = temp("a", 1);
            const fresh = temp("b", 2);
            const other = path.join(tmp, "README");
            for (const f of [stale, fresh, other]) {
                fs.writeFileSync(f, "x");
                fs.utimesSync(f, (now - 2 * 3600_000) / 1000, (now - 2 * 3600_000) / 1000);
            }
            fs.utimesSync(fresh, now / 1000, now / 1000);
            new TranspileCache(tmp, { maxBytes: 0, maxAgeMs: 0 }).prune(now);
            assert.deepStrictEqual(fs.readdirSync(tmp).sort(), [path.basename(fresh), "README"].sort());
            // Others' files by the old scheme's names (`*.tmp`, 64-hex `.json`) are not the cache's.
            const foreign = [`${"c".repeat(64)}.json`, "x.tmp", `${"d".repeat(64)}.json.1.x.tmp`];
            for (const f of foreign) {
                fs.writeFileSync(path.join(tmp, f), "{}");
                fs.utimesSync(path.join(tmp, f), (now - 90 * DAY_MS) / 1000, (now - 90 * DAY_MS) / 1000);
            }
            new TranspileCache(tmp, { maxBytes: 0, maxAgeMs: 0 }).prune(now);
            assert.deepStrictEqual(fs.readdirSync(tmp).sort(), [path.basename(fresh), "README", ...foreign].sort());
        });

        it("a hit marks an entry used (at most once a day), so pruning keeps what runs use", () => {
            const now = Date.now();
            const file = entry("a", 20, 10, now);
            const cache = new TranspileCache(tmp);
            assert.ok(cache.get("a".repeat(64)));
            const used = fs.statSync(file).mtimeMs;
            assert.ok(now - used < DAY_MS, "refreshed");
            fs.utimesSync(file, (now - 3600_000) / 1000, (now - 3600_000) / 1000);
            cache.get("a".repeat(64));
            assert.ok(Math.abs(fs.statSync(file).mtimeMs - (now - 3600_000)) < 1000, "not rewritten within a day");
        });

        it("a write prunes, once per process", () => {
            const now = Date.now();
            const old = entry("a", 40, 10, now);
            const cache = new TranspileCache(tmp);
            cache.set("b".repeat(64), { outputText: "x" });
            assert.ok(!fs.existsSync(old));
            const older = entry("c", 40, 10, now);
            cache.set("d".repeat(64), { outputText: "x" });
            assert.ok(fs.existsSync(older), "the second write does not scan the directory again");
        });
    });

    describe("switch and location", () => {
        it("is on by default in node_modules/.cache/redis-stack-check of this repository", () => {
            assert.strictEqual(DEFAULT_CACHE_DIR, path.join(REPO, "node_modules", ".cache", "redis-stack-check"));
            assert.deepStrictEqual(transpileCacheOptions({}), {
                transpiler: [MODULE, { cacheDir: DEFAULT_CACHE_DIR }],
            });
        });

        it("REDIS_STACK_CHECK_CACHE_DIR moves it (resolved), REDIS_STACK_CHECK_CACHE=0 turns it off", () => {
            const rel = path.relative(process.cwd(), path.join(tmp, "rel", "dir"));
            assert.deepStrictEqual(transpileCacheOptions({ REDIS_STACK_CHECK_CACHE_DIR: rel }), {
                transpiler: [MODULE, { cacheDir: path.resolve(rel) }],
            });
            for (const off of ["0", "false", "OFF", "no"]) {
                assert.deepStrictEqual(transpileCacheOptions({ REDIS_STACK_CHECK_CACHE: off }), {}, off);
            }
            assert.ok(transpileCacheOptions({ REDIS_STACK_CHECK_CACHE: "1" }).transpiler);
        });
    });
});
