// Parent side of the recorder: runs the program in a child process (program-child.ts) for a merged stack config
// and reads back what the engine would have received. Also the programmatic API the infra tests use:
// `recordProgram({ programDir, stack })`.
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
import type { RecordingEvent, RunRequest, RunResult } from "./program-child";
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
 * undefined: `{ resource: { urn, ... } }` or `{ outputs: { urn, outputs } }`.
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
    const { resource, outputs } = event;
    if (isObject(resource) && typeof resource.urn === "string" && isObject(resource.inputs)) {
        return event as RecordingEvent;
    }
    if (isObject(outputs) && typeof outputs.urn === "string" && isObject(outputs.outputs)) {
        return event as RecordingEvent;
    }
    return undefined;
}

/**
 * Runs a loaded project's program for a stack config in a fresh child process and returns the recording.
 * `onResource`, if given, sees each registration as soon as the program makes it (registration order).
 */
export async function runRecorder(
    project: Project,
    stackConfig: StackConfigValues,
    onResource?: (r: RecordedResource) => void,
    /** The second pass: every output known (RunRequest.withOutputs). */
    withOutputs = false,
): Promise<Recording> {
    const entry = programEntry(project);
    if (!fs.existsSync(entry)) {
        throw new RecordError(`the program entry ${entry} (Pulumi.yaml main) does not exist`);
    }
    // The request holds the merged stack config, secrets included: private, and removed on every exit path
    // (lifecycle.ts); the child deletes it as soon as it has read it, for when the checker is SIGKILLed.
    const tmp = makeTempDir("redis-stack-check-");
    try {
        const outFile = path.join(tmp, "recording.json");
        const request: RunRequest = {
            project: project.name,
            stack: stackConfig.stack,
            projectDir: path.resolve(project.dir),
            entry,
            config: stackConfig.config,
            secretKeys: stackConfig.secretKeys,
            outFile,
            streamFd: 3,
            withOutputs,
        };
        const requestFile = path.join(tmp, "request.json");
        writePrivateFile(requestFile, JSON.stringify(request));

        // A larger young generation: a program run allocates a lot of short-lived promises and outputs
        // (5,000 resources: 6.5 s -> 5.9 s).
        const args = ["--max-semi-space-size=32", PROGRAM_CHILD, requestFile, String(process.pid)];
        const stderr = new BoundedOutput();
        /** Set when the child sent what the checker cannot take: the run fails with it, naming the stack. */
        let channelProblem: string | undefined;
        // The recording is assembled here from the stream: the child keeps nothing of what it sent.
        const resources: RecordedResource[] = [];
        const index = new Map<string, number>();
        const receive = (event: RecordingEvent): void => {
            if ("resource" in event) {
                index.set(event.resource.urn, resources.length);
                resources.push(event.resource);
                onResource?.(event.resource);
            } else {
                const i = index.get(event.outputs.urn);
                if (i !== undefined) {
                    // A new record: what was handed to onResource stays as the engine saw it at registration.
                    resources[i] = { ...resources[i], outputs: event.outputs.outputs };
                }
            }
        };
        const failedToStart = (e: unknown): RecordError =>
            new RecordError(`the program for stack '${stackConfig.stack}' failed to start: ${(e as Error).message}`);
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
            // The second pass (withOutputs) keeps quiet: the program's output was shown once, by the preview.
            const echo = (d: Buffer) => {
                if (!withOutputs) {
                    process.stderr.write(d);
                }
            };
            child.stdout!.on("data", echo);
            child.stderr!.on("data", (d: Buffer) => {
                stderr.push(d);
                echo(d);
            });
            child.on("error", (e) => reject(failedToStart(e)));
            child.on("close", resolve);
        });
        const code = await phase(`the program did not finish for stack '${stackConfig.stack}'`, exited);
        if (channelProblem !== undefined) {
            throw new RecordError(
                `the program for stack '${stackConfig.stack}' sent ${channelProblem} on the checker's result channel (file descriptor 3); a program must not write to it`,
            );
        }
        if (!fs.existsSync(outFile)) {
            const tail = stderr.text().trim().split("\n").slice(-15).join("\n");
            throw new RecordError(
                `the program run for stack '${stackConfig.stack}' died (exit ${code}) before finishing${tail ? `:\n${tail}` : ""}`,
            );
        }
        const result = readRunResult(outFile);
        if (result === undefined) {
            throw new RecordError(
                `the program run for stack '${stackConfig.stack}' (exit ${code}) left a result that is not one: ${outFile}`,
            );
        }
        if (!result.ok) {
            throw new RecordError(
                `program ${path.relative(process.cwd(), entry) || entry} failed for stack '${stackConfig.stack}': ${result.message}`,
            );
        }
        const root = resources.find((r) => r.parent === "" && r.type === ROOT_STACK_TYPE);
        return { project: project.name, stack: stackConfig.stack, resources, outputs: root?.outputs ?? {} };
    } finally {
        removeTempDir(tmp);
    }
}

/** The child's result file as the RunResult it must be, else undefined. */
function readRunResult(file: string): RunResult | undefined {
    try {
        const result = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
        if (typeof result === "object" && result !== null && typeof (result as RunResult).ok === "boolean") {
            return (result as RunResult).ok || typeof (result as { message?: unknown }).message === "string"
                ? (result as RunResult)
                : undefined;
        }
    } catch {
        // Not JSON: the same answer as a wrong shape.
    }
    return undefined;
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
