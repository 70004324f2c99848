// How eagerly V8 optimizes in the check's three processes (the checker, the program child, the pack host), each
// set first thing by its entry. V8 compiles a function with TurboFan, on a background thread, once the function
// has run through its interrupt budget (bytes of bytecode executed; 67,584 by default in Node 20's V8 11.3, as
// `node --v8-options` prints). A check is short (about 0.8 s of CPU per process for a stack) and mostly start-up:
// module bodies, gRPC's and the SDK's setup, run once, never hot again. At the default budget V8 still optimizes
// much of that, and on a 2-core machine running three processes the background compiles take cores from the
// check. Four times the budget leaves run-once code to the interpreter and the baseline compiler and still
// optimizes what runs hot in a large program (the per-resource paths run thousands of times). Measured with
// `npm run bench:check` (scripts/offline-check/README.md, "Size and speed limits"). Only speed changes: V8's
// tiers run the same code with the same results.
//
// Set at run time (v8.setFlagsFromString): V8 reads the budget whenever it resets a function's, so it holds for
// everything the process runs from here on; the launcher cannot pass it on the command line (users run
// `node scripts/redis-stack-check.js` and the bin), and NODE_OPTIONS does not accept it.
"use strict";

/** Four times V8 11.3's default interrupt budget. */
const INTERRUPT_BUDGET = 4 * 67584;

/** The V8 flags every process of a check runs with. */
const CHECK_V8_FLAGS = [`--interrupt-budget=${INTERRUPT_BUDGET}`];

function tuneTieringForShortRun() {
    const v8 = require("v8");
    for (const flag of CHECK_V8_FLAGS) {
        v8.setFlagsFromString(flag);
    }
}

module.exports = { CHECK_V8_FLAGS, tuneTieringForShortRun };
