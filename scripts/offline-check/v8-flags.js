// The V8 flags the check's three processes (the checker, the program child, the pack host) run with, each set
// first thing by its entry: V8 optimizes less eagerly while a process starts, and its heap grows in smaller steps.
//
// Tiering. V8 compiles a function with TurboFan, on a background thread, once the function
// has run through its interrupt budget (bytes of bytecode executed; 67,584 by default in Node 20's V8 11.3, as
// `node --v8-options` prints). A check of a stack is short (about 0.8 s of CPU per process) and mostly start-up:
// module bodies and the SDK's, gRPC's and protobuf's set-up run once and are never hot again. At the default
// budget V8 still optimizes much of that, and on a 2-core machine running three processes the background compiles
// take cores from the check. So each process starts with four times the budget, leaving run-once code to the
// interpreter and the baseline compiler, and returns to the default after START_UP_MS (5 s): a large program's
// per-resource paths are then optimized as usual (kept at four times, a check of 20,000 resources took about a
// fifth longer, its code less optimized while its heap was largest).
//
// Heap growth. After a full collection V8 lets the old generation grow by a factor it picks from how fast it
// collects against how fast the process allocates, up to 4x; a process that allocates quickly, as the program
// child and the pack do for every resource, gets the large factors, and its RSS runs far past its live heap (the
// program child's live heap is about 0.5 GB at 20,000 resources, its RSS was 1.1 GB). HEAP_GROWING_PERCENT caps
// the factor from the start, for the whole run: more full collections, each of a heap no larger than it needs. Not
// later: the limit V8 sets at a full collection holds until the next one, and a program declaring its resources in
// one synchronous loop lets no timer run in between (capped after the 5 s start-up, the program child still peaked
// at 1,042 MB). A short check pays one or two more collections of a small heap, about 0.1 s of CPU.
//
// Measured with `npm run bench:check` (scripts/offline-check/README.md, "Size and speed limits"); only speed and
// memory change, V8's tiers and collections give the same results.
//
// Set at run time (v8.setFlagsFromString): V8 reads the budget each time it resets a function's and the growing
// factor at each full collection, so they hold from then on; the launcher cannot pass them on the command line
// (users run the bin), and NODE_OPTIONS refuses them.
"use strict";

/** V8 11.3's default interrupt budget (Node 20): the flags were measured there and apply to that V8 only. */
const DEFAULT_INTERRUPT_BUDGET = 67584;
const MEASURED_V8 = /^11\.3\./;
/**
 * How long a process keeps the larger budget: all of a check of a few stacks of this size (three stacks take
 * about 2.2 s; switching back inside such a run had V8 optimize, at once, everything that had run up the old
 * budget: 0.1-0.2 s more CPU in alternating runs), and a few percent of a large program's run.
 */
const START_UP_MS = 5000;

/** The old generation grows by at most this much after a full collection (V8's default: 0, its own factor). */
const HEAP_GROWING_PERCENT = 30;

/** The V8 flags a process of a check starts with, and the ones it runs with after START_UP_MS. */
const START_UP_V8_FLAGS = [
    `--interrupt-budget=${4 * DEFAULT_INTERRUPT_BUDGET}`,
    `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
];
const STEADY_V8_FLAGS = [`--interrupt-budget=${DEFAULT_INTERRUPT_BUDGET}`];

/** Whether this V8 is the one the tuning was measured on. */
function tuningApplies(v8Version = process.versions.v8) {
    return MEASURED_V8.test(v8Version);
}

function setFlags(flags) {
    const v8 = require("v8");
    for (const flag of flags) {
        v8.setFlagsFromString(flag);
    }
}

/** Sets START_UP_V8_FLAGS, and STEADY_V8_FLAGS after `startUpMs` (the timer does not keep the process alive). */
function tuneV8ForCheck(startUpMs = START_UP_MS) {
    if (!tuningApplies()) {
        return;
    }
    setFlags(START_UP_V8_FLAGS);
    setTimeout(() => setFlags(STEADY_V8_FLAGS), startUpMs).unref();
}

module.exports = { START_UP_MS, START_UP_V8_FLAGS, STEADY_V8_FLAGS, tuningApplies, tuneV8ForCheck };
