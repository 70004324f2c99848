// What the offline check leaves behind, and how long it may take (issue #10): every child process (the program,
// the policy pack) and every temp directory is registered here, so that every exit path removes them: a normal
// end, an error, the --timeout, SIGINT/SIGTERM sent to the checker (a cancelled CI job, Ctrl-C), and the
// process's own exit, and the end of the checker's parent (stopWithParent: `npm run preview` sends SIGTERM only to
// the shell it runs the checker in, which dies and leaves the checker running). Each child runs in its own process
// group, killed whole, so what a program starts goes with it. A SIGKILLed checker runs no code: its children notice
// through their IPC channel closing and stop themselves with their group (own-group.js), and the program child
// deletes the request file as soon as it has read it.
import type { ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OfflineCheckError } from "./offline-check-error";

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
/** Synchronous clean-ups beyond processes and directories (a git worktree's registration), run after them. */
const cleanUps = new Set<() => void>();
/** What is under way, in start order, each as the sentence a timeout reports ("the program did not finish"). */
const phases = new Map<number, string>();
let nextPhase = 0;

/** The exit status of a process stopped by a signal, as shells report it (128 + the signal's number). */
export const SIGNAL_EXIT: Readonly<Record<"SIGINT" | "SIGTERM", number>> = { SIGINT: 130, SIGTERM: 143 };

function onSignal(signal: "SIGINT" | "SIGTERM"): void {
    cleanUp();
    process.exit(SIGNAL_EXIT[signal]);
}
const onSigint = (): void => onSignal("SIGINT");
const onSigterm = (): void => onSignal("SIGTERM");

// The handlers are installed only while there is something to clean up, so that a library user (a test, a
// benchmark) keeps its own signal behaviour otherwise.
function updateHandlers(): void {
    const busy = children.size > 0 || tempDirs.size > 0 || cleanUps.size > 0;
    const installed = process.listeners("exit").includes(cleanUp);
    if (busy && !installed) {
        process.on("exit", cleanUp);
        process.on("SIGINT", onSigint);
        process.on("SIGTERM", onSigterm);
    } else if (!busy && installed) {
        process.removeListener("exit", cleanUp);
        process.removeListener("SIGINT", onSigint);
        process.removeListener("SIGTERM", onSigterm);
    }
}

/** How often stopWithParent looks for its parent. */
const PARENT_POLL_MS = 500;

/**
 * Stops the check as SIGTERM would (children and temp files first, exit 143) once the process that started it is
 * gone: npm forwards a SIGTERM to the shell running its script (`sh -c node ...`), which dies of it without
 * passing it on, and the checker, reparented, would run on with its children. Polled (Node has no parent-death
 * signal), unref'd so it never keeps the process alive. Not armed when started orphaned (parent already init).
 */
export function stopWithParent(): void {
    const parent = process.ppid;
    if (parent <= 1) {
        return;
    }
    setInterval(() => {
        if (process.ppid !== parent) {
            onSigterm();
        }
    }, PARENT_POLL_MS).unref();
}

/**
 * Spawn options of every child: its own process group (`detached`), so that what it starts (a program may spawn
 * processes of its own) is stopped with it: killChild signals the whole group.
 */
export const OWN_PROCESS_GROUP = { detached: true } as const;

/**
 * Sends `signal` to the child's process group (see OWN_PROCESS_GROUP), else to the child alone. A group outlives
 * its leader while any member lives, and its id is not reused meanwhile, so this also reaches the processes a child
 * left behind after it exited.
 */
export function killChild(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined) {
        return;
    }
    try {
        process.kill(-child.pid, signal);
    } catch {
        try {
            child.kill(signal);
        } catch {
            // Gone already.
        }
    }
}

/**
 * Registers a child process (spawned with OWN_PROCESS_GROUP) until it exits; cleanUp kills its group. When it
 * exits, what it started and left running is killed with its group.
 */
export function trackChild(child: ChildProcess): void {
    if (child.exitCode !== null || child.signalCode !== null) {
        return;
    }
    children.add(child);
    child.once("exit", () => {
        killChild(child, "SIGKILL");
        children.delete(child);
        updateHandlers();
    });
    updateHandlers();
}

/**
 * A new temp directory readable by the owner only (0700; files in it are written 0600 by writePrivateFile), kept
 * until removeTempDir or cleanUp: what the checker writes there (the merged stack config) can hold secrets.
 */
export function makeTempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.chmodSync(dir, 0o700);
    tempDirs.add(dir);
    updateHandlers();
    return dir;
}

/**
 * Like makeTempDir, at a fixed name under the temp directory (what is cached by file path, like the transpile
 * cache, is found again by the next run); undefined when the name is taken (another run, or anyone else's).
 */
export function makeNamedTempDir(name: string): string | undefined {
    const dir = path.join(os.tmpdir(), name);
    try {
        // Exclusive: an existing directory or symlink of that name is never reused.
        fs.mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") {
            return undefined;
        }
        throw e;
    }
    fs.chmodSync(dir, 0o700);
    tempDirs.add(dir);
    updateHandlers();
    return dir;
}

/** Writes a file only its owner can read. */
export function writePrivateFile(file: string, text: string): void {
    fs.writeFileSync(file, text, { mode: 0o600 });
}

export function removeTempDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
    updateHandlers();
}

/**
 * Registers a synchronous clean-up (it must not throw) that cleanUp runs after removing the temp dirs; returns
 * the function that unregisters it (call it once the thing is cleaned up on the normal path).
 */
export function registerCleanUp(fn: () => void): () => void {
    cleanUps.add(fn);
    updateHandlers();
    return () => {
        cleanUps.delete(fn);
        updateHandlers();
    };
}

/**
 * Kills every registered child with its process group (SIGKILL: nothing of theirs is needed any more) and removes
 * the temp dirs.
 */
export function cleanUp(): void {
    for (const child of children) {
        killChild(child, "SIGKILL");
    }
    for (const dir of tempDirs) {
        try {
            // Retried: a child killed a moment ago (git checking out a worktree) may still be writing in it.
            fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
        } catch {
            // Cleaning up must not stop halfway: the other directories and clean-ups still run.
        }
    }
    tempDirs.clear();
    for (const fn of cleanUps) {
        try {
            fn();
        } catch {
            // As above.
        }
    }
    cleanUps.clear();
    updateHandlers();
}

/** Runs `work` as a phase: while it is pending, a timeout names `unfinished` ("the program did not finish"). */
export async function phase<T>(unfinished: string, work: Promise<T>): Promise<T> {
    const id = nextPhase++;
    phases.set(id, unfinished);
    try {
        return await work;
    } finally {
        phases.delete(id);
    }
}

/**
 * Resolves like `work`, or rejects with OfflineCheckError naming the phases still under way after `seconds`,
 * after killing the children and removing the temp dirs (`work` is then abandoned).
 */
export async function withTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
            const pending = [...phases.values()];
            cleanUp();
            // The oldest pending phase is what held the check up; later ones (more Analyze calls) queued behind it.
            const what =
                (pending[0] ?? "the check did not finish") +
                (pending.length > 1 ? ` (${pending.length - 1} more call(s) were waiting)` : "");
            reject(new OfflineCheckError(`${what} within ${seconds} s (--timeout ${seconds})`));
        }, seconds * 1000);
    });
    // Once abandoned, `work` fails as its children are killed; that is not news.
    work.catch(() => undefined);
    try {
        return await Promise.race([work, expired]);
    } finally {
        clearTimeout(timer);
    }
}
