// A persistent, content-addressed cache of ts-node's transpile-only output, shared by the three processes of a
// check (the checker, the program child, the policy pack), which would otherwise transpile the same sources with
// TypeScript on every run (about 2 s of CPU each). It plugs in through ts-node's public `transpiler` option: ts-node
// calls `create` once per module kind it may emit and hands every file to `transpile`. A miss transpiles exactly as
// ts-node's own transpile-only path does (its createTsTranspileModule, same compiler options, same package.json
// type), returns ts-node the diagnostics to report as it would, and stores the output only when there are none.
// ts-node still loads TypeScript itself (to read the tsconfig), so a hit saves the transpiling, not the loading.
// Plain JavaScript: ts-node loads it before it can compile TypeScript.
"use strict";
const { createHash, randomBytes } = require("crypto");
const fs = require("fs");
const path = require("path");

/** Part of every key: bump it when the entry format or what goes into the key changes. */
const CACHE_FORMAT = 1;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Entries not used for this long are removed (a hit refreshes an entry's mtime at most once a day). */
const MAX_AGE_MS = 30 * DAY_MS;
/** The cache is kept under this size, least recently used entries removed first. */
const MAX_BYTES = 64 * 1024 * 1024;
/** A temp file this old belongs to a process that died between writing and renaming it. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const ENTRY_NAME = /^[0-9a-f]{64}\.json$/;

/** The find-cache-dir convention: node_modules/.cache/<name> of the repository that holds the checker. */
const DEFAULT_CACHE_DIR = path.join(__dirname, "..", "..", "node_modules", ".cache", "redis-stack-check");

/**
 * The ts-node options that route transpiling through the cache in `env.REDIS_STACK_CHECK_CACHE_DIR` (else the
 * default directory); none when `env.REDIS_STACK_CHECK_CACHE` is 0, false, no or off.
 */
function transpileCacheOptions(env = process.env) {
    if (/^(0|false|no|off)$/i.test(env.REDIS_STACK_CHECK_CACHE ?? "")) {
        return {};
    }
    const cacheDir = env.REDIS_STACK_CHECK_CACHE_DIR
        ? path.resolve(env.REDIS_STACK_CHECK_CACHE_DIR)
        : DEFAULT_CACHE_DIR;
    return { transpiler: [__filename, { cacheDir }] };
}

/** JSON with object keys sorted, so equal compiler options give equal keys whatever order they were set in. */
function stableJson(value) {
    return JSON.stringify(value, (_key, v) =>
        v && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(
                  Object.keys(v)
                      .sort()
                      .map((k) => [k, v[k]]),
              )
            : v,
    );
}

/**
 * The keys of one transpiler: `(fileName, input) => key` over everything that decides the output, the
 * transpiler's part serialized once. `packageJsonType` is the module format ts-node classified the file as (from
 * .mts/.cts and the package.json "type", which matter under module nodenext).
 */
function transpileKeyHasher({ tsVersion, tsNodeVersion, compilerOptions, packageJsonType }) {
    const prefix = stableJson([CACHE_FORMAT, tsVersion, tsNodeVersion, packageJsonType, compilerOptions]);
    return (fileName, input) =>
        // The JSON of the name holds no NUL: the content cannot shift into the name.
        createHash("sha256").update(prefix).update(JSON.stringify(fileName)).update("\0").update(input).digest("hex");
}

/** The entries on disk: `<key>.json` holding `{ outputText, sourceMapText }`. Never throws. */
class TranspileCache {
    constructor(dir, { maxBytes = MAX_BYTES, maxAgeMs = MAX_AGE_MS } = {}) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxAgeMs = maxAgeMs;
        /** Cleared after a failed write: an unwritable cache is no cache, tried once per process. */
        this.writable = true;
        this.pruned = false;
    }

    /** The entry for `key`, or undefined when there is none or it cannot be read or parsed. */
    get(key) {
        let fd;
        try {
            fd = fs.openSync(path.join(this.dir, `${key}.json`), "r");
            const entry = JSON.parse(fs.readFileSync(fd, "utf8"));
            if (
                typeof entry?.outputText !== "string" ||
                !["string", "undefined"].includes(typeof entry.sourceMapText)
            ) {
                return undefined;
            }
            // Pruning goes by mtime: mark the entry used, at most once a day to keep hits read-only.
            const now = Date.now();
            if (now - fs.fstatSync(fd).mtimeMs > DAY_MS) {
                fs.futimesSync(fd, now / 1000, now / 1000);
            }
            return { outputText: entry.outputText, sourceMapText: entry.sourceMapText };
        } catch {
            return undefined;
        } finally {
            if (fd !== undefined) {
                fs.closeSync(fd);
            }
        }
    }

    /**
     * Stores `entry` under `key` atomically (a private temp file renamed over the entry: concurrent readers see
     * the old entry, the new one or none, never half of one), then prunes once per process.
     */
    set(key, entry) {
        if (!this.writable) {
            return;
        }
        const file = path.join(this.dir, `${key}.json`);
        const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
        try {
            fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
            fs.writeFileSync(temp, JSON.stringify(entry), { mode: 0o600, flag: "wx" });
            fs.renameSync(temp, file);
        } catch {
            this.writable = false;
            try {
                fs.rmSync(temp, { force: true });
            } catch {
                // Its directory could not be made either.
            }
            return;
        }
        if (!this.pruned) {
            this.pruned = true;
            this.prune();
        }
    }

    /** Removes entries unused for maxAgeMs, then the least recently used ones until the rest fit in maxBytes. */
    prune(now = Date.now()) {
        let names;
        try {
            names = fs.readdirSync(this.dir);
        } catch {
            return;
        }
        const entries = [];
        for (const name of names) {
            const file = path.join(this.dir, name);
            try {
                const stat = fs.statSync(file);
                if (ENTRY_NAME.test(name)) {
                    entries.push({ file, size: stat.size, mtimeMs: stat.mtimeMs });
                } else if (name.endsWith(".tmp") && now - stat.mtimeMs > STALE_TEMP_MS) {
                    fs.rmSync(file, { force: true });
                }
            } catch {
                // Removed by a concurrent prune, or not ours to read: either way not counted.
            }
        }
        entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
        let kept = 0;
        for (const entry of entries) {
            kept += entry.size;
            if (now - entry.mtimeMs > this.maxAgeMs || kept > this.maxBytes) {
                fs.rmSync(entry.file, { force: true });
            }
        }
    }
}

/**
 * ts-node's transpiler factory (`transpiler: [thisFile, { cacheDir }]`). `service.config.options` are the compiler
 * options ts-node would transpile with (module already overridden for the kind), `nodeModuleEmitKind` the kind
 * ('nodeesm', 'nodecjs' or none) from which ts-node derives the package.json type it transpiles under.
 */
function create({ service, nodeModuleEmitKind, cacheDir }) {
    const ts = require(service.projectLocalResolveHelper(service.options.compiler || "typescript", true));
    const tsNodeDir = path.dirname(require.resolve("ts-node/package.json"));
    const tsNodeVersion = require(path.join(tsNodeDir, "package.json")).version;
    const compilerOptions = service.config.options;
    const packageJsonType = nodeModuleEmitKind === "nodeesm" ? "module" : "commonjs";
    const hash = transpileKeyHasher({ tsVersion: ts.version, tsNodeVersion, compilerOptions, packageJsonType });
    const cache = new TranspileCache(cacheDir);
    let transpileModule;
    /** ts-node's own transpile-only function (index.js createTranspileOnlyGetOutputFunction), made on a miss. */
    function uncached(input, fileName) {
        if (!transpileModule) {
            const [major, minor] = ts.version.split(".").map(Number);
            transpileModule =
                major > 4 || (major === 4 && minor >= 7)
                    ? require(path.join(tsNodeDir, "dist", "ts-transpile-module.js")).createTsTranspileModule(ts, {
                          compilerOptions,
                          reportDiagnostics: true,
                      })
                    : (text, options) =>
                          ts.transpileModule(text, { ...options, compilerOptions, reportDiagnostics: true });
        }
        return transpileModule(input, { fileName }, packageJsonType);
    }
    return {
        transpile(input, { fileName }) {
            const key = hash(fileName, input);
            const hit = cache.get(key);
            if (hit) {
                return hit;
            }
            const result = uncached(input, fileName);
            // A file with diagnostics fails (or warns) in ts-node on every load: only clean output is stored,
            // so a hit never hides a diagnostic.
            if (!result.diagnostics?.length) {
                cache.set(key, { outputText: result.outputText, sourceMapText: result.sourceMapText });
            }
            return result;
        },
    };
}

module.exports = {
    CACHE_FORMAT,
    DEFAULT_CACHE_DIR,
    TranspileCache,
    create,
    transpileKeyHasher,
    transpileCacheOptions,
};
