// The root package's `prepare` script (npm ci and npm install run it): fills the transpile cache once, at
// install, by running the offline check of the default stack with its output thrown away, so the first
// `npm run preview` after `npm ci` costs what a warm one does. It compiles exactly what a check compiles, in
// the three processes, with their own settings (the checker's precompiled files, the program's and the pack's
// transpile-cache entries). It must never fail an install: bounded in time, one line when it could not warm the
// cache, exit 0 always. `npm ci --ignore-scripts` skips it; the first check then compiles, as before.
"use strict";
const { spawn } = require("child_process");
const path = require("path");
const { transpileCacheOptions } = require("./transpile-cache");

const LAUNCHER = path.join(__dirname, "..", "redis-stack-check.js");
/** The check's own --timeout, and a hard stop a little after it (SIGKILL of the whole process group). */
const TIMEOUT_SECONDS = 120;

function warm() {
    if (!transpileCacheOptions().transpiler) {
        return; // REDIS_STACK_CHECK_CACHE=0: there is no cache to fill.
    }
    let child;
    try {
        child = spawn(process.execPath, [LAUNCHER, "--format", "json", "--timeout", String(TIMEOUT_SECONDS)], {
            cwd: path.join(__dirname, "..", ".."),
            stdio: ["ignore", "ignore", "pipe"],
        });
    } catch (e) {
        console.log(`redis-stack-check: transpile cache not warmed (${e.message}); the first check compiles`);
        return;
    }
    let stderr = "";
    child.stderr.on("data", (d) => {
        stderr = (stderr + d.toString("utf8")).slice(-4096);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), (TIMEOUT_SECONDS + 15) * 1000);
    child.on("error", () => undefined);
    child.on("close", (code, signal) => {
        clearTimeout(timer);
        // Exit 0 or 1 is a check that ran to the end (a mandatory violation is the program's business).
        if (code !== 0 && code !== 1) {
            const cause =
                stderr.trim().split("\n")[0]?.slice(0, 200) || (signal ? `killed by ${signal}` : `exit ${code}`);
            console.log(`redis-stack-check: transpile cache not warmed (${cause}); the first check compiles`);
        }
    });
}

try {
    warm();
} catch (e) {
    console.log(`redis-stack-check: transpile cache not warmed (${e?.message ?? e}); the first check compiles`);
}
process.on("exit", () => {
    process.exitCode = 0;
});
