// Child-process entry of the recorder. Registers TypeScript the way the nodejs language host does for a program
// (typescript-host.js), then runs program-child.ts, which is compiled with the same settings as the program.
"use strict";
require("../v8-flags").tuneV8ForCheck();

// The checker is gone (even SIGKILLed: its end of the IPC channel closed): remove its temp dir (argv[2] is the
// request file in it) and stop. Set up first, so it holds while TypeScript still compiles. The channel must not
// keep the program alive, or a program waiting on an output that never resolves would hang unreported.
if (process.channel) {
    process.channel.unref();
    process.on("disconnect", () => process.exit(3));
    // Whatever ends the child once the checker is gone (the disconnect, or a write to its closed pipes failing
    // first), nobody else will remove the temp dir. The checker (its pid is argv[3]) is gone when this process
    // has been reparented, possibly before this line ran.
    const checker = Number(process.argv[3]);
    process.on("exit", () => {
        if (!process.connected || process.ppid !== checker) {
            require("fs").rmSync(require("path").dirname(process.argv[2]), { recursive: true, force: true });
            // And what the program started, which the checker can no longer stop.
            require("../own-group").killOwnGroup();
        }
    });
}
// argv[2] is the request file (program-child.ts RunRequest): its entry names the program's directory, whose
// tsconfig.json the CLI's host compiles the program with.
const request = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const host = require("../typescript-host");
const programDir = host.programDirectory(request.entry);
host.registerTypeScript(programDir);
// The SDK starts without what only serializing a function needs (deferred-sdk-modules.js): the program's copy and
// the recorder's, when they differ.
const { deferSdkModules, sdkDirectoryFrom } = require("../deferred-sdk-modules");
for (const sdkDir of new Set([sdkDirectoryFrom(programDir), sdkDirectoryFrom(__dirname)])) {
    if (sdkDir) {
        deferSdkModules(sdkDir);
    }
}

// The SDK reads `new Error().stack` for every promise it tracks and every resource it registers (leak reports,
// source positions). Through ts-node's source-map-support each read maps every frame, which was over half of
// a program run (4.4 of 8 s for 1,000 resources). Those message-less internal errors get V8's plain format;
// every error with a message (the ones users see) is still source-mapped to their TypeScript. Their first
// frames are enough for the SDK's source positions (user code is a few frames above the resource constructor).
const mapped = Error.prepareStackTrace;
if (mapped) {
    Error.prepareStackTrace = function prepareStackTrace(error, frames) {
        if (error instanceof Error && error.message === "" && Object.getPrototypeOf(error) === Error.prototype) {
            return `Error${frames
                .slice(0, 16)
                .map((f) => `\n    at ${f}`)
                .join("")}`;
        }
        return mapped(error, frames);
    };
}

require("./program-child").main(request, process.argv[2]);
