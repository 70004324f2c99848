#!/usr/bin/env node
// Launcher of the `redis-stack-check` bin (and `npm run preview`): the checker is TypeScript, served precompiled
// (offline-check/precompiled-require.js: what ts-node in transpile-only mode with this repository's tsconfig emits,
// cached, so a warm run loads neither TypeScript nor ts-node); with the cache off (REDIS_STACK_CHECK_CACHE=0),
// ts-node compiles it as it runs. Type checking is `npm run typecheck`'s job.
"use strict";
// V8 optimizes less eagerly in a run this short, and grows its heap in smaller steps (offline-check/v8-flags.js).
require("./offline-check/v8-flags").tuneV8ForCheck();
const path = require("path");
const { registerTypeScript } = require("./offline-check/precompiled-require");
const { transpileCacheOptions } = require("./offline-check/transpile-cache");

// The cache directory is checked (and, if refused, replaced, with one line saying why) once, here; the children
// get the directory chosen, resolved, since they run from other directories.
const cache = transpileCacheOptions();
if (cache.transpiler) {
    process.env.REDIS_STACK_CHECK_CACHE_DIR = cache.transpiler[1].cacheDir;
} else {
    process.env.REDIS_STACK_CHECK_CACHE = "0";
}
registerTypeScript(path.join(__dirname, "..", "tsconfig.json"), cache);

require("./offline-check/cli")
    .main(process.argv.slice(2))
    .then((code) => {
        process.exitCode = code;
        // Everything is written (stdout is synchronous for files and pipes on Linux); do not let a stray
        // handle of a library keep the process alive.
        setTimeout(() => process.exit(code), 1000).unref();
    });
