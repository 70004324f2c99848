#!/usr/bin/env node
// Launcher of the `redis-stack-redis-check` bin (and `npm run redis:check`): the connectivity check is TypeScript,
// served precompiled from the transpile cache as the checker is (offline-check/precompiled-require.js; ts-node
// compiles a miss, or everything with REDIS_STACK_CHECK_CACHE=0). npm run redis:check adds
// --max-semi-space-size=64 (fewer scavenges while pipelining many keys).
"use strict";
const path = require("path");

require("./offline-check/precompiled-require").registerTypeScript(path.join(__dirname, "..", "tsconfig.json"));

require("./redis-check/cli")
    .main(process.argv.slice(2))
    .then((code) => {
        process.exitCode = code;
        // Everything is written (stdout is synchronous for files and pipes on Linux); do not let a stray
        // handle of a library keep the process alive.
        setTimeout(() => process.exit(code), 1000).unref();
    });
