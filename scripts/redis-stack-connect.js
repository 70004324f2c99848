#!/usr/bin/env node
// Launcher of the `redis-stack-connect` bin (and `npm run connect`): Session Manager into the bastion's
// redis-connect once the bastion is ready. TypeScript served precompiled, as the other bins
// (offline-check/precompiled-require.js).
"use strict";
const path = require("path");

require("./offline-check/precompiled-require").registerTypeScript(path.join(__dirname, "..", "tsconfig.json"));

require("./connect/cli")
    .main(process.argv.slice(2))
    .then(
        (code) => {
            process.exitCode = code;
        },
        (e) => {
            process.stderr.write(`connect: internal error: ${e && e.stack ? e.stack : e}\n`);
            process.exitCode = 2;
        },
    );
