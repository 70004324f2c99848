#!/usr/bin/env node
// Launcher of the `redis-stack-check` bin (and `npm run preview`): the checker is TypeScript, run through ts-node
// in transpile-only mode (type checking is `npm run typecheck`'s job) with this repository's tsconfig.
"use strict";
const path = require("path");

require("ts-node").register({
    transpileOnly: true,
    project: path.join(__dirname, "..", "tsconfig.json"),
});

require("./offline-check/cli")
    .main(process.argv.slice(2))
    .then((code) => {
        process.exitCode = code;
        // Everything is written (stdout is synchronous for files and pipes on Linux); do not let a stray
        // handle of a library keep the process alive.
        setTimeout(() => process.exit(code), 1000).unref();
    });
