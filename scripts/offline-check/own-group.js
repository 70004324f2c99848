// For the checker's children (program-child-entry.js, pack-entry.js), each the leader of its own process group
// (lifecycle.ts OWN_PROCESS_GROUP): once the checker is gone (even SIGKILLed), a child stops and takes with it the
// processes it started (a program may spawn its own), which the checker can no longer kill. Plain JavaScript: it
// runs before TypeScript is set up.
"use strict";
const fs = require("fs");

/** Kills this process's group, this process included (SIGKILL: nothing runs after), if it leads one. */
function killOwnGroup() {
    try {
        // /proc/self/stat: fields after the command name are state, ppid, pgrp.
        const stat = fs.readFileSync("/proc/self/stat", "utf8");
        const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
        if (pgrp === process.pid) {
            process.kill(-process.pid, "SIGKILL");
        }
    } catch {
        // No /proc (not Linux): the child alone stops.
    }
}

module.exports = { killOwnGroup };
