// Parent side of the recorder: runs the program in a child process (program-child.ts), once per run a check
// needs (a stack's preview, its second pass; several stacks'), one after another in the same child, and reads
// back what the engine would have received. A child that dies takes only its run under way with it: the runs
// after it go to a new child. Also the programmatic API the infra tests use: `recordProgram({ programDir, stack })`.
import { type ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Readable } from "stream";
import { BoundedOutput } from "../bounded-output";
import {
    OWN_PROCESS_GROUP,
    killChild,
    makeTempDir,
    phase,
    removeTempDir,
    trackChild,
    writePrivateFile,
} from "../lifecycle";
import { OfflineCheckError } from "../offline-check-error";
import { type Project, loadProject, programEntry } from "../project/project-file";
import { type StackConfigValues, loadStackConfigValues } from "../project/stack-config";
import type { RecordingEvent, RunRequest } from "./program-child";
import { ROOT_STACK_TYPE, type RecordedResource, type Recording } from "./recording";

/** Thrown by recordProgram for config and program errors; `message` is what the user needs to read. */
export class RecordError extends OfflineCheckError {
    constructor(message: string) {
        super(message);
        this.name = "RecordError";
    }
}

const PROGRAM_CHILD = path.join(__dirname, "program-child-entry.js");
/** The longest line the result channel may carry: one registration's inputs (a 300 KB config value fits). */
const MAX_EVENT_CHARS = 64 * 1024 * 1024;

/**
 * A line of the result channel as the event it must be (the program can write to that descriptor too), else
 * undefined: `{ resource: { urn, ... } }`, `{ outputs: { urn, outputs } }` or a run's `{ end: RunResult }`.
 */
export function parseRecordingEvent(line: string): RecordingEvent | undefined {
    let event: unknown;
    try {
        event = JSON.parse(line);
    } catch {
        return undefined;
    }
    const isObject = (v: unknown): v is Record<string, unknown> =>
        typeof v === "object" && v !== null && !Array.isArray(v);
    if (!isObject(event)) {
        return undefined;
    }
    const { resource, outputs, end } = event;
    if (
        isObject(end) &&
        (end.ok === true || (end.ok === false && typeof end.message === "string")) &&
        (event.last === undefined || event.last === true)
    ) {
        return event as RecordingEvent;
    }
    if (isObject(resource) && typeof resource.urn === "string" && isObject(resource.inputs)) {
        return event as RecordingEvent;
    }
    if (isObject(outputs) && typeof outputs.urn === "string" && isObject(outputs.outputs)) {
        return event as RecordingEvent;
    }
    return undefined;
}

/** One run of a project's program: a stack's config, in preview or (withOutputs) with every output known. */
export interface ProgramRun {
    readonly stackConfig: StackConfigValues;
    /** The second pass: every output known (RunSpec.withOutputs); what the program prints is not shown. */
    readonly withOutputs?: boolean;
    /** Sees each registration as soon as the program makes it (registration order). */
    readonly onResource?: (r: RecordedResource) => void;
}

/** A run the child settles: its registrations so far, and how to settle its promise. */
interface RunState {
    readonly run: ProgramRun;
    promise?: Promise<Recording>;
    /** Set when the run failed. */
    failed?: boolean;
    readonly resources: RecordedResource[];
    readonly index: Map<string, number>;
    resolve(recording: Recording): void;
    reject(error: Error): void;
}

/**
 * Runs a loaded project's program for each run, in order, in one child process (a new child for the runs after
 * one that failed, died or was large: program-child.ts), and returns a recording per run, in the order given. A failed run rejects its own
 * promise only; a second pass whose stack's preview failed is not run.
 */
export function recordRuns(project: Project, runs: readonly ProgramRun[]): Promise<Recording>[] {
    const states: RunState[] = [];
    const promises = runs.map(
        (run) =>
            new Promise<Recording>((resolve, reject) => {
                const state: RunState = {
                    run,
                    resources: [],
                    index: new Map(),
                    resolve,
                    reject: (e) => {
                        state.failed = true;
                        reject(e);
                    },
                };
                states.push(state);
            }),
    );
    states.forEach((s, i) => {
        s.promise = promises[i];
    });
    // Until somebody awaits them, none is an unhandled rejection.
    for (const p of promises) {
        p.catch(() => undefined);
    }
    const entry = programEntry(project);
    if (!fs.existsSync(entry)) {
        const error = new RecordError(`the program entry ${entry} (Pulumi.yaml main) does not exist`);
        states.forEach((s) => s.reject(error));
        return promises;
    }
    void (async () => {
        /** Stacks whose preview failed: their second pass would fail alike, and nobody reads it. */
        const failedPreviews = new Set<string>();
        for (let next = 0; next < states.length;) {
            const todo = states.slice(next).filter((s) => {
                if (s.run.withOutputs && failedPreviews.has(s.run.stackConfig.stack)) {
                    s.reject(
                        new RecordError(
                            `the second pass for stack '${s.run.stackConfig.stack}' was not run: its preview failed`,
                        ),
                    );
                    return false;
                }
                return true;
            });
            if (todo.length === 0) {
                break;
            }
            const done = await runChild(project, entry, todo);
            for (const s of todo.slice(0, done)) {
                if (s.failed && !s.run.withOutputs) {
                    failedPreviews.add(s.run.stackConfig.stack);
                }
            }
            next = states.indexOf(todo[done - 1]) + 1;
        }
    })();
    return promises;
}

/**
 * One child for `states` (in order): settles each run whose `end` line comes, and the run under way when the
 * child ends without it (every run, when it does not start). Returns how many runs it settled (at least one).
 */
async function runChild(project: Project, entry: string, states: RunState[]): Promise<number> {
    // The request holds the merged stack configs, secrets included: private, and removed on every exit path
    // (lifecycle.ts); the child deletes it as soon as it has read it, for when the checker is SIGKILLed.
    const tmp = makeTempDir("redis-stack-check-");
    let settled = 0;
    /** The child stops after a run it marks its last (program-child.ts): the runs after it are not its to fail. */
    let stopped = false;
    const stackOf = (s: RunState): string => s.run.stackConfig.stack;
    /** The run under way is a phase: a timeout names the run the child is stuck in. */
    const underWay = (): void => {
        const state = states[settled];
        if (state?.promise) {
            const label = `the program did not finish for stack '${stackOf(state)}'${state.run.withOutputs ? " (second pass)" : ""}`;
            phase(label, state.promise).catch(() => undefined);
        }
    };
    try {
        const request: RunRequest = {
            project: project.name,
            projectDir: path.resolve(project.dir),
            entry,
            streamFd: 3,
            runs: states.map(({ run }) => ({
                stack: run.stackConfig.stack,
                config: run.stackConfig.config,
                secretKeys: run.stackConfig.secretKeys,
                withOutputs: run.withOutputs === true,
            })),
        };
        const requestFile = path.join(tmp, "request.json");
        writePrivateFile(requestFile, JSON.stringify(request));
        underWay();

        // A larger young generation: a program run allocates a lot of short-lived promises and outputs
        // (5,000 resources: 6.5 s -> 5.9 s).
        const args = ["--max-semi-space-size=32", PROGRAM_CHILD, requestFile, String(process.pid)];
        const stderr = new BoundedOutput();
        /** Set when the child sent what the checker cannot take: the run under way fails with it. */
        let channelProblem: string | undefined;
        // The recordings are assembled here from the stream: the child keeps nothing of what it sent.
        const receive = (event: RecordingEvent): void => {
            const state = states[settled];
            if (!state) {
                return;
            }
            if ("end" in event) {
                settled++;
                stopped = event.last === true;
                underWay();
                if (event.end.ok) {
                    const { resources } = state;
                    const root = resources.find((r) => r.parent === "" && r.type === ROOT_STACK_TYPE);
                    state.resolve({
                        project: project.name,
                        stack: stackOf(state),
                        resources,
                        outputs: root?.outputs ?? {},
                    });
                } else {
                    state.reject(
                        new RecordError(
                            `program ${path.relative(process.cwd(), entry) || entry} failed for stack '${stackOf(state)}': ${event.end.message}`,
                        ),
                    );
                }
            } else if ("resource" in event) {
                state.index.set(event.resource.urn, state.resources.length);
                state.resources.push(event.resource);
                state.run.onResource?.(event.resource);
            } else {
                const i = state.index.get(event.outputs.urn);
                if (i !== undefined) {
                    // A new record: what was handed to onResource stays as the engine saw it at registration.
                    state.resources[i] = { ...state.resources[i], outputs: event.outputs.outputs };
                }
            }
        };
        const failedToStart = (e: unknown): RecordError =>
            new RecordError(`the program for stack '${stackOf(states[0])}' failed to start: ${(e as Error).message}`);
        const exited = new Promise<number | null>((resolve, reject) => {
            let child: ChildProcess;
            try {
                child = spawn(process.execPath, args, {
                    cwd: project.dir,
                    // The program's own output goes to our stderr, so the check's stdout stays machine-readable.
                    // The IPC channel tells the child when the checker is gone, even SIGKILLed (program-child.ts).
                    stdio: ["ignore", "pipe", "pipe", "pipe", "ipc"],
                    env: process.env,
                    ...OWN_PROCESS_GROUP,
                });
            } catch (e) {
                reject(failedToStart(e));
                return;
            }
            trackChild(child);
            let partial = "";
            const refuse = (problem: string): void => {
                channelProblem ??= problem;
                killChild(child, "SIGKILL");
            };
            // Decoded as a stream, so a character split between two chunks stays whole. Every line is checked:
            // the program runs in this process and can write to the channel too.
            const events = child.stdio[3] as Readable;
            events.setEncoding("utf8");
            events.on("data", (d: string) => {
                if (channelProblem !== undefined) {
                    return;
                }
                const lines = (partial + d).split("\n");
                partial = lines.pop() ?? "";
                if (partial.length > MAX_EVENT_CHARS) {
                    refuse(`a line of more than ${MAX_EVENT_CHARS} characters`);
                    return;
                }
                for (const line of lines) {
                    const event = parseRecordingEvent(line);
                    if (event === undefined) {
                        refuse(`a line that is not a registration: ${JSON.stringify(line.slice(0, 80))}`);
                        return;
                    }
                    receive(event);
                }
            });
            // What the program prints goes to our stderr (a second pass prints nothing: program-child.ts).
            child.stdout!.on("data", (d: Buffer) => process.stderr.write(d));
            child.stderr!.on("data", (d: Buffer) => {
                stderr.push(d);
                process.stderr.write(d);
            });
            child.on("error", (e) => reject(failedToStart(e)));
            child.on("close", resolve);
        });
        let code: number | null;
        try {
            code = await exited;
        } catch (e) {
            // Not started: every run it had fails alike.
            states.forEach((s) => s.reject(e as Error));
            return states.length;
        }
        const state = stopped && channelProblem === undefined ? undefined : states[settled];
        if (state) {
            settled++;
            const stack = stackOf(state);
            const tail = stderr.text().trim().split("\n").slice(-15).join("\n");
            state.reject(
                new RecordError(
                    channelProblem !== undefined
                        ? `the program for stack '${stack}' sent ${channelProblem} on the checker's result channel (file descriptor 3); a program must not write to it`
                        : `the program run for stack '${stack}' died (exit ${code}) before finishing${tail ? `:\n${tail}` : ""}`,
                ),
            );
        }
        return settled;
    } finally {
        removeTempDir(tmp);
    }
}

/**
 * Runs a loaded project's program for a stack config in a child process of its own and returns the recording.
 * `onResource`, if given, sees each registration as soon as the program makes it (registration order).
 */
export function runRecorder(
    project: Project,
    stackConfig: StackConfigValues,
    onResource?: (r: RecordedResource) => void,
): Promise<Recording> {
    return recordRuns(project, [{ stackConfig, onResource }])[0];
}

/**
 * Runs the Pulumi program in `programDir` for `stack` under the mock runtime in preview mode and returns every
 * registration as the engine would see it. Throws RecordError (a clear message, no stack trace) on a missing
 * Pulumi.yaml, unknown stack, config error or program exception.
 */
export async function recordProgram(opts: { programDir: string; stack: string }): Promise<Recording> {
    try {
        const project = loadProject(path.resolve(opts.programDir));
        return await runRecorder(project, loadStackConfigValues(project, opts.stack));
    } catch (e) {
        if (e instanceof OfflineCheckError && !(e instanceof RecordError)) {
            throw new RecordError(e.message);
        }
        throw e;
    }
}
