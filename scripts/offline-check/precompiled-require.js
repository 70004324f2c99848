// Serves the checker's own TypeScript precompiled: a require hook for `.ts` that looks a file's JavaScript up in
// the transpile cache (transpile-cache.js's TranspileCache, same directory and bounds) under a key of everything
// that decides ts-node's output (the file's path and content, the TypeScript and ts-node versions, the tsconfig's
// text), so a hit needs neither TypeScript nor ts-node loaded (about 0.5 s of CPU and 40 MB per run). A miss
// compiles with ts-node exactly as the launcher used to (transpile-only, this repository's tsconfig, through the
// transpile cache) and stores ts-node's output, inline source map included: Node's own source-map support
// (process.setSourceMapsEnabled) then shows TypeScript lines in stack traces, as ts-node's source-map-support does.
// A changed file has a new key: never a stale build. `npm ci` fills the cache once (warm-cache.js, the `prepare`
// script); `npm ci --ignore-scripts` leaves the first run to compile.
// Plain JavaScript: it runs before TypeScript can be loaded.
"use strict";
const { createHash } = require("crypto");
const fs = require("fs");
const path = require("path");
const { CACHE_FORMAT, TranspileCache, transpileCacheOptions } = require("./transpile-cache");

/** Part of every key, beside the transpile cache's own format: bump it when this key or entry changes. */
const PRECOMPILED_FORMAT = 1;

function packageVersion(name) {
    try {
        return JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
    } catch {
        return "missing";
    }
}

/**
 * `(fileName, source, variant?) => key` for a tsconfig: the versions and the tsconfig's text are read once (a
 * tsconfig with `extends` would need its parents too; this repository's has none, and the key holds the text, so
 * adding one changes every key). `extra` (JSON values) goes into every key, `variant` into one file's: what else
 * decides the output (typescript-host.js's host hook: the tsconfigs it extends, a file's package type).
 */
function precompiledKeyHasher(tsconfig, extra = []) {
    let tsconfigText;
    try {
        tsconfigText = fs.readFileSync(tsconfig, "utf8");
    } catch {
        tsconfigText = null;
    }
    const prefix = JSON.stringify([
        CACHE_FORMAT,
        "precompiled",
        PRECOMPILED_FORMAT,
        packageVersion("typescript"),
        packageVersion("ts-node"),
        path.resolve(tsconfig),
        tsconfigText,
        ...extra,
    ]);
    return (fileName, source, variant = "") =>
        createHash("sha256")
            .update(prefix)
            .update(JSON.stringify([fileName, variant]))
            .update("\0")
            .update(source)
            .digest("hex");
}

/**
 * ts-node's output for `source` (the file `fileName`) under `key`: the cache's entry, or on a miss what
 * `service()` (the caller's ts-node service, created on first call) compiles, stored. `compile` throws ts-node's
 * TSError on a diagnostic, and nothing is stored. Counts hits and misses in `stats`.
 */
function precompiledOutput(cache, key, fileName, source, service, stats) {
    const hit = cache.get(key)?.outputText;
    if (hit !== undefined) {
        stats.hits++;
        return hit;
    }
    stats.misses++;
    const code = service().compile(source, fileName);
    cache.set(key, { outputText: code });
    return code;
}

/**
 * Installs the hook for `.ts` files in this process, compiling with `tsconfig`, the cache where `options` (the
 * transpile cache's ts-node options, transpileCacheOptions(): its directory checked) put it. Returns false (and
 * installs nothing) when there is no cache (REDIS_STACK_CHECK_CACHE=0, or no safe directory): the caller then
 * registers ts-node as before. `stats` counts hits and misses (for tests).
 */
function registerPrecompiled(tsconfig, options = transpileCacheOptions()) {
    if (!options.transpiler) {
        return false;
    }
    const cache = new TranspileCache(options.transpiler[1].cacheDir);
    const key = precompiledKeyHasher(tsconfig);
    let service;
    // ts-node as the launcher registered it before this hook.
    const tsNode = () =>
        (service ??= require("ts-node").create({ transpileOnly: true, project: tsconfig, ...options }));
    require.extensions[".ts"] = function precompiledTs(module, fileName) {
        const source = fs.readFileSync(fileName, "utf8");
        module._compile(
            precompiledOutput(cache, key(fileName, source), fileName, source, tsNode, registerPrecompiled.stats),
            fileName,
        );
    };
    process.setSourceMapsEnabled(true);
    return true;
}
registerPrecompiled.stats = { hits: 0, misses: 0 };

/**
 * What every bin's launcher does before it loads its TypeScript (redis-stack-check, redis-stack-redis-check,
 * redis-stack-connect): serve it precompiled where the transpile cache is on, else have ts-node compile it as it
 * runs (transpile-only; type checking is `npm run typecheck`'s job).
 */
function registerTypeScript(tsconfig, options = transpileCacheOptions()) {
    if (!registerPrecompiled(tsconfig, options)) {
        require("ts-node").register({ transpileOnly: true, project: tsconfig });
    }
}

module.exports = {
    PRECOMPILED_FORMAT,
    precompiledKeyHasher,
    precompiledOutput,
    registerPrecompiled,
    registerTypeScript,
};
