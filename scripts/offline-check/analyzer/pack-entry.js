// Child-process entry of a policy pack. Takes the environment the engine would give the pack from a private file
// (argv[3]: a large stack config in the real environment makes spawn fail with E2BIG), stops with the checker
// (its IPC channel closes when the checker is gone, even SIGKILLed), registers TypeScript the way the CLI's
// policy pack host does (typescript-host.js: the pack's tsconfig.json, else the host's defaults, so a published
// pack without a tsconfig.json starts as under `pulumi preview --policy-pack`), then requires the pack's entry
// (argv[2]), which starts the Analyzer server and prints its port.
"use strict";
const fs = require("fs");
const path = require("path");

// The file is private to the checker's temp dir; nothing needs it once read (the checker may be SIGKILLed).
// The checker says so with argv[4] ("remove-env-dir"): run by hand with any other file, its folder stays.
Object.assign(process.env, JSON.parse(fs.readFileSync(process.argv[3], "utf8")));
if (process.argv[4] === "remove-env-dir") {
    fs.rmSync(path.dirname(process.argv[3]), { recursive: true, force: true });
}
if (process.channel) {
    process.channel.unref();
    process.on("disconnect", () => {
        require("../own-group").killOwnGroup();
        process.exit(1);
    });
}
require("../typescript-host").registerTypeScript(process.cwd());
require(path.resolve(process.argv[2]));
