// Preloaded (NODE_OPTIONS=--require) into every Node process of a benchmarked offline check run: the checker,
// the program child and the policy pack inherit the environment, so each appends one JSON line with its own
// peak RSS and CPU time to BENCH_USAGE_FILE when it exits. The pack is stopped with SIGTERM, which would end it
// without an exit event, so that signal is turned into an exit with the same code. Plain JavaScript: it runs
// before TypeScript is registered.
"use strict";
const fs = require("fs");
const path = require("path");

const file = process.env.BENCH_USAGE_FILE;
if (file) {
    let written = false;
    const write = () => {
        if (written) {
            return;
        }
        written = true;
        const usage = process.resourceUsage();
        const line = {
            process: path.basename(process.argv[1] ?? "") || "node -e",
            maxRssKb: usage.maxRSS,
            cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
        };
        fs.appendFileSync(file, JSON.stringify(line) + "\n");
    };
    process.on("exit", write);
    process.on("SIGTERM", () => {
        write();
        process.exit(143);
    });
}
