// A persistent, content-addressed cache of ts-node's transpile-only output, shared by the three processes of a
// check (the checker, the program child, the policy pack), which would otherwise transpile the same sources with
// TypeScript on every run (about 2 s of CPU each). It plugs in through ts-node's public `transpiler` option: ts-node
// calls `create` once per module kind it may emit and hands every file to `transpile`. A miss transpiles exactly as
// ts-node's own transpile-only path does (its createTsTranspileModule, same compiler options, same package.json
// type), returns ts-node the diagnostics to report as it would, and stores the output only when there are none.
// ts-node still loads TypeScript itself (to read the tsconfig), so a hit saves the transpiling, not the loading;
// the precompiled hooks (precompiled-require.js, typescript-host.js) keep ts-node's whole output in the same
// directory and save the loading too.
// Plain JavaScript: ts-node loads it before it can compile TypeScript.
"use strict";
const { createHash, randomBytes } = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

/** Part of every key and of every entry's header: bump it when the entry format or what goes into the key changes. */
const CACHE_FORMAT = 2;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Entries not used for this long are removed (a hit refreshes an entry's mtime at most once a day). */
const MAX_AGE_MS = 30 * DAY_MS;
/** The cache is kept under this size, least recently used entries removed first. */
const MAX_BYTES = 64 * 1024 * 1024;
/** A temp file this old belongs to a process that died between writing and renaming it. */
const STALE_TEMP_MS = 60 * 60 * 1000;
/** No transpiled file comes near this; a larger "entry" is not one of ours and is not read. */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024;
// The cache's own names, which nothing else writes (a shared directory such as ~/.cache or /tmp holds others'
// `*.tmp` and `<hex>.json` files): entries and the temp files they are written through. Each entry also starts with
// ENTRY_MAGIC, its format and its key on the first line, so even a file of ours by name is read only when it says so.
const NAME_PREFIX = `redis-stack-check-transpile-v${CACHE_FORMAT}-`;
const ENTRY_NAME = new RegExp(`^${NAME_PREFIX}([0-9a-f]{64})\\.entry$`);
const TEMP_NAME = new RegExp(`^${NAME_PREFIX}[0-9a-f]{64}\\.\\d+-[0-9a-f]{12}\\.partial$`);
const ENTRY_MAGIC = "redis-stack-check transpile cache";
/** Opened so that a FIFO or device in an entry's place never blocks and a symlink is never followed. */
const OPEN_ENTRY = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW;

/** The find-cache-dir convention: node_modules/.cache/<name> of the repository that holds the checker. */
const DEFAULT_CACHE_DIR = path.join(__dirname, "..", "..", "node_modules", ".cache", "redis-stack-check");

/** The private cache used when the configured one is refused: $XDG_CACHE_HOME or ~/.cache, as the XDG spec says. */
function privateCacheDir(env) {
    const base =
        env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)
            ? env.XDG_CACHE_HOME
            : path.join(os.homedir(), ".cache");
    return path.join(base, "redis-stack-check");
}

const uid = () => (typeof process.getuid === "function" ? process.getuid() : -1);

/**
 * Why the cache directory `dir` is not safe to read code from, or undefined when it is, checked as OpenSSH's
 * StrictModes checks ~/.ssh (misc.c safe_path): the directory is owned by the current user and writable by no one
 * else; every directory above it is owned by the user or root and writable by no one else, unless sticky (as
 * /tmp: there no one else can rename what is ours). Another user who can write there could plant an entry, and
 * the check would run it. Creates `dir` (0700) when missing.
 */
function cacheDirProblem(dir) {
    if (uid() === -1) {
        return undefined; // No POSIX ownership (Windows): nothing to compare.
    }
    try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
        return `it cannot be created (${e.code ?? e.message})`;
    }
    let real;
    try {
        real = fs.realpathSync(dir);
        const stat = fs.statSync(real);
        if (!stat.isDirectory()) {
            return "it is not a directory";
        }
        if (stat.uid !== uid()) {
            return `it is owned by uid ${stat.uid}, not by the current user (uid ${uid()})`;
        }
        if (stat.mode & 0o022) {
            return `others can write to it (mode ${(stat.mode & 0o7777).toString(8)})`;
        }
        for (let up = path.dirname(real); ; up = path.dirname(up)) {
            const above = fs.statSync(up);
            if (above.uid !== uid() && above.uid !== 0) {
                return `${up} above it is owned by uid ${above.uid}`;
            }
            if (above.mode & 0o022 && !(above.mode & 0o1000)) {
                return `others can write to ${up} above it (mode ${(above.mode & 0o7777).toString(8)})`;
            }
            if (up === path.dirname(up)) {
                return undefined;
            }
        }
    } catch (e) {
        return `it cannot be inspected (${e.code ?? e.message})`;
    }
}

/**
 * The ts-node options that route transpiling through the cache in `env.REDIS_STACK_CHECK_CACHE_DIR` (else the
 * default directory); none when `env.REDIS_STACK_CHECK_CACHE` is 0, false, no or off. A directory that is not
 * safe (cacheDirProblem) is refused for the private cache (~/.cache/redis-stack-check), else no cache, and `warn`
 * gets one line saying why.
 */
function transpileCacheOptions(env = process.env, warn = (line) => process.stderr.write(`${line}\n`)) {
    if (/^(0|false|no|off)$/i.test(env.REDIS_STACK_CHECK_CACHE ?? "")) {
        return {};
    }
    const wanted = env.REDIS_STACK_CHECK_CACHE_DIR ? path.resolve(env.REDIS_STACK_CHECK_CACHE_DIR) : DEFAULT_CACHE_DIR;
    const problem = cacheDirProblem(wanted);
    if (problem === undefined) {
        return { transpiler: [__filename, { cacheDir: wanted }] };
    }
    const fallback = privateCacheDir(env);
    const fallbackProblem = fallback === wanted ? problem : cacheDirProblem(fallback);
    warn(
        `redis-stack-check: not using the transpile cache ${wanted}: ${problem}; ` +
            (fallbackProblem === undefined ? `using ${fallback} instead` : `transpiling without a cache`),
    );
    return fallbackProblem === undefined ? { transpiler: [__filename, { cacheDir: fallback }] } : {};
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

/** A regular file of the current user that no one else can write: the only kind of file the cache reads. */
function isOwnFile(stat) {
    return stat.isFile() && (uid() === -1 || stat.uid === uid()) && (stat.mode & 0o022) === 0;
}

/** The first line of an entry for `key`. */
const entryHeader = (key) => `${ENTRY_MAGIC} ${CACHE_FORMAT} ${key}\n`;

/**
 * The entries on disk: `redis-stack-check-transpile-v<format>-<key>.entry`, the header line, then
 * `{ outputText, sourceMapText }`. Never throws; reads and removes only regular files of the current user with the
 * cache's names (and, to read one, its header), and never blocks on a FIFO or device in an entry's place.
 */
class TranspileCache {
    constructor(dir, { maxBytes = MAX_BYTES, maxAgeMs = MAX_AGE_MS } = {}) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxAgeMs = maxAgeMs;
        /** Cleared after a failed write: an unwritable cache is no cache, tried once per process. */
        this.writable = true;
        this.pruned = false;
    }

    entryFile(key) {
        return path.join(this.dir, `${NAME_PREFIX}${key}.entry`);
    }

    /** The entry for `key`, or undefined when there is none or it cannot be read, is not ours, or not an entry. */
    get(key) {
        let fd;
        try {
            fd = fs.openSync(this.entryFile(key), OPEN_ENTRY);
            const stat = fs.fstatSync(fd);
            if (!isOwnFile(stat) || stat.size > MAX_ENTRY_BYTES) {
                return undefined;
            }
            const text = fs.readFileSync(fd, "utf8");
            const header = entryHeader(key);
            if (!text.startsWith(header)) {
                return undefined;
            }
            const entry = JSON.parse(text.slice(header.length));
            if (
                typeof entry?.outputText !== "string" ||
                !["string", "undefined"].includes(typeof entry.sourceMapText)
            ) {
                return undefined;
            }
            // Pruning goes by mtime: mark the entry used, at most once a day to keep hits read-only. On a read-only
            // cache (a read-only mount, an entry of ours we may not touch) the mark fails and the hit stands.
            const now = Date.now();
            if (now - stat.mtimeMs > DAY_MS) {
                try {
                    fs.futimesSync(fd, now / 1000, now / 1000);
                } catch {
                    // Not marked: pruning may take it earlier, which only costs a miss.
                }
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
        const file = this.entryFile(key);
        const temp = path.join(
            this.dir,
            `${NAME_PREFIX}${key}.${process.pid}-${randomBytes(6).toString("hex")}.partial`,
        );
        try {
            fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
            // "wx": O_CREAT | O_EXCL, which follows no symlink planted under the temp name.
            fs.writeFileSync(temp, entryHeader(key) + JSON.stringify(entry), { mode: 0o600, flag: "wx" });
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

    /** Whether `file` starts with the header of an entry for `key` (read without blocking or following a link). */
    static isEntry(file, key) {
        let fd;
        try {
            fd = fs.openSync(file, OPEN_ENTRY);
            const header = Buffer.from(entryHeader(key));
            const head = Buffer.alloc(header.length);
            return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.equals(header);
        } catch {
            return false;
        } finally {
            if (fd !== undefined) {
                fs.closeSync(fd);
            }
        }
    }

    /**
     * Removes entries unused for maxAgeMs, then the least recently used ones until the rest fit in maxBytes, and
     * temp files of writers that died. Only the cache's own files: its names, regular, the current user's, and
     * for entries the header.
     */
    prune(now = Date.now()) {
        let names;
        try {
            names = fs.readdirSync(this.dir);
        } catch {
            return;
        }
        const entries = [];
        for (const name of names) {
            const entryKey = ENTRY_NAME.exec(name)?.[1];
            if (entryKey === undefined && !TEMP_NAME.test(name)) {
                continue;
            }
            const file = path.join(this.dir, name);
            try {
                const stat = fs.lstatSync(file);
                if (!isOwnFile(stat)) {
                    continue;
                }
                if (entryKey !== undefined) {
                    entries.push({ file, key: entryKey, size: stat.size, mtimeMs: stat.mtimeMs });
                } else if (now - stat.mtimeMs > STALE_TEMP_MS) {
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
            if (
                (now - entry.mtimeMs > this.maxAgeMs || kept > this.maxBytes) &&
                TranspileCache.isEntry(entry.file, entry.key)
            ) {
                try {
                    fs.rmSync(entry.file, { force: true });
                } catch {
                    // A read-only cache keeps its entries.
                }
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
    cacheDirProblem,
    DEFAULT_CACHE_DIR,
    TranspileCache,
    create,
    transpileKeyHasher,
    transpileCacheOptions,
};
