#!/usr/bin/env node
// Launcher of the `redis-stack-check` bin (and `npm run preview`): the checker is TypeScript, run through ts-node
// in transpile-only mode (type checking is `npm run typecheck`'s job) with this repository's tsconfig, through the
// transpile cache its program and pack children share (offline-check/transpile-cache.js).
"use strict";
const path = require("path");
const { transpileCacheOptions } = require("./offline-check/transpile-cache");

// The children run from other directories: a relative cache directory means the one this check started in.
if (process.env.REDIS_STACK_CHECK_CACHE_DIR) {
    process.env.REDIS_STACK_CHECK_CACHE_DIR = path.resolve(process.env.REDIS_STACK_CHECK_CACHE_DIR);
}
require("ts-node").register({
    transpileOnly: true,
    project: path.join(__dirname, "..", "tsconfig.json"),
    ...transpileCacheOptions(),
});

require("./offline-check/cli")
    .main(process.argv.slice(2))
    .then((code) => {
        process.exitCode = code;
        // Everything is written (stdout is synchronous for files and pipes on Linux); do not let a stray
        // handle of a library keep the process alive.
        setTimeout(() => process.exit(code), 1000).unref();
    });
