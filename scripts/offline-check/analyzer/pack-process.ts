// A policy pack as a child process, started the way the engine's nodejs analyzer host starts it
// (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go): in its own directory, with the stack config in
// PULUMI_CONFIG and PULUMI_{PROJECT,STACK,DRY_RUN}, TypeScript set up like the CLI's policy pack host
// (pack-entry.js). One process, a pack host, may serve the pack for several stacks (PackHost): it loads the pack
// once per stack, each with that stack's environment and SDK state, each with an Analyzer server of its own
// (pack-entry.js says how, and the one deviation from a process per stack). Owns the process: stderr for error
// messages (the cause first) and stopping it; lifecycle.ts kills it on every other exit path (signals, --timeout,
// the checker's exit).
import { type ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
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

const PACK_ENTRY = path.join(__dirname, "pack-entry.js");

/**
 * The cause of a pack failure as a user needs it: the first line of its stderr that reads as an error, then the
 * last lines for context. Node's own error line (`Error: Cannot find module '.../package.json'`, `TypeError: ...`,
 * `Error [ERR_REQUIRE_ESM]: ...`) first, which the last lines of a long stack trace bury and the source line Node
 * prints above it (`throw new Error(...)`, the message's template rather than its text) would stand in for; else
 * the first line that mentions an error or a failure; else the first line.
 */
export function packFailureCause(stderr: string): string {
    const lines = stderr
        .trim()
        .split("\n")
        .map((l) => l.trimEnd());
    if (lines.length === 1 && lines[0] === "") {
        return "";
    }
    const first =
        lines.find((l) => /^\s*(?:Uncaught\s+)?\w*(?:Error|Exception)(?:\s*\[[^\]]*\])?:/i.test(l)) ??
        lines.find((l) => /\b(?:error|cannot|failed|unable)\b/i.test(l)) ??
        lines[0];
    const tail = lines.slice(-20);
    return [first, ...tail.filter((l) => l !== first)].join("\n");
}

/** How a process ended, as messages say it: "exit 7", "killed by SIGSEGV". */
function exitStatus(code: number | null, signal: NodeJS.Signals | null): string {
    return signal ? `killed by ${signal}` : `exit ${code}`;
}

/** One stack the pack is hosted for, with the environment the engine would give its pack process (packEnv). */
export interface PackStack {
    readonly stack: string;
    readonly env: NodeJS.ProcessEnv;
}

/**
 * The pack as served for one stack: its Analyzer port, and the host process it runs in. With a host of one stack
 * this is a pack process of its own, as the engine starts it.
 */
export class PackProcess {
    /** @internal Built by PackHost. */
    constructor(
        private readonly host: PackHost,
        readonly stack: string,
        readonly port: number,
    ) {}

    /** The host process (shared by the host's stacks). */
    get child(): ChildProcess {
        return this.host.child!;
    }

    /**
     * Starts the pack in `packDir` for one stack, in a process of its own (a host of one stack), and waits for its
     * port; the stack is named by the environment's PULUMI_STACK.
     */
    static start(packDir: string, env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<PackProcess> {
        const stack = env.PULUMI_STACK ?? "";
        return PackHost.start(packDir, [{ stack, env }], timeoutMs).pack(stack);
    }

    /** The host's stderr so far (for error messages): every stack's pack writes to it. */
    errors(): string {
        return this.host.errors();
    }

    /**
     * How the host ended ("exit 7", "killed by SIGSEGV") once it has and its stderr is read, waiting up to
     * `graceMs` for that; undefined while it runs. A call cut off by the pack's death fails as the connection
     * drops, usually before the checker has seen the exit or read the pack's last words.
     */
    exited(graceMs = 0): Promise<string | undefined> {
        return this.host.exited(graceMs);
    }

    /**
     * Done with this stack's pack. The host process is stopped (SIGTERM, SIGKILL after a grace period) and waited
     * for once every stack of it is done or has failed to start; until then this stack's server stays up in it.
     */
    stop(): Promise<void> {
        return this.host.release(this.stack);
    }
}

/** What a pack host's stdout line may say (pack-entry.js): a stack's port, or the error its pack threw loading. */
export type PackHostMessage = { stack: string; port: number } | { stack: string; error: string };

/** A host line is at most this long (an error report is bounded by pack-entry.js to 32 K characters). */
const MAX_HOST_LINE = 256 * 1024;

/** A pack host's stdout line as a message, or undefined for any line that is not one (never throws). */
export function parsePackHostLine(line: string): PackHostMessage | undefined {
    let m: unknown;
    try {
        m = JSON.parse(line);
    } catch {
        return undefined;
    }
    if (typeof m !== "object" || m === null) {
        return undefined;
    }
    const { stack, port, error } = m as { stack?: unknown; port?: unknown; error?: unknown };
    if (typeof stack !== "string") {
        return undefined;
    }
    if (typeof port === "number" && Number.isInteger(port) && port > 0 && port < 65536) {
        return { stack, port };
    }
    return typeof error === "string" ? { stack, error } : undefined;
}

interface StackStart {
    readonly promise: Promise<PackProcess>;
    resolve(p: PackProcess): void;
    reject(e: Error): void;
    state: "starting" | "served" | "failed" | "released";
}

/**
 * One policy pack process serving the pack for one or more stacks (pack-entry.js): spawned once, the pack loaded
 * once per stack with that stack's environment, each with its own Analyzer port. With one stack it is exactly a
 * pack process of its own, as the engine starts it; with several, the start-up (Node, TypeScript, @pulumi/pulumi,
 * gRPC) is paid once. Failures: a stack whose pack throws while loading fails alone (`failed to start (its entry
 * threw while loading)`), unless no stack is left to serve, when the host exits 1 as a pack process would; the
 * host's death, or no port within `timeoutMs` while no stack is served, fails every stack not started yet with
 * the cause (exit status, the first error line of stderr); a stack with no port within `timeoutMs` while others
 * are served fails alone.
 */
export class PackHost {
    private readonly starts = new Map<string, StackStart>();
    private readonly stderr = new BoundedOutput();
    private process: ChildProcess | undefined;
    private closed: Promise<string> = Promise.resolve("never started");
    private exitedAs: string | undefined;
    private stopping: Promise<void> | undefined;

    private constructor(
        readonly dir: string,
        stacks: readonly string[],
    ) {
        for (const stack of stacks) {
            let resolve!: (p: PackProcess) => void;
            let reject!: (e: Error) => void;
            const promise = new Promise<PackProcess>((res, rej) => {
                resolve = res;
                reject = rej;
            });
            // Failures surface where the caller awaits the stack; until then nobody may be listening.
            promise.catch(() => undefined);
            this.starts.set(stack, { promise, resolve, reject, state: "starting" });
        }
    }

    /**
     * Spawns one process serving the pack in `packDir` for each of `stacks` (distinct names, at least one), each
     * with its environment (packEnv), and returns at once; `pack(stack)` gives each stack's pack once its port is
     * known. The environments go through a private file (pack-entry.js reads and removes it): a large stack config
     * in the environment makes spawn fail with E2BIG.
     */
    static start(packDir: string, stacks: readonly PackStack[], timeoutMs = 120_000): PackHost {
        const names = stacks.map((s) => s.stack);
        if (names.length === 0 || new Set(names).size !== names.length) {
            throw new Error(`PackHost.start: stacks must be distinct and at least one: ${JSON.stringify(names)}`);
        }
        const host = new PackHost(path.resolve(packDir), names);
        try {
            host.spawn(stacks, timeoutMs);
        } catch (e) {
            host.failStarting(() => e as Error);
        }
        return host;
    }

    /** The host process, once spawned (undefined when the pack was refused before: no PulumiPolicy.yaml, ...). */
    get child(): ChildProcess | undefined {
        return this.process;
    }

    /** The pack as served for `stack` once its port is known; rejects with why it failed to start. */
    pack(stack: string): Promise<PackProcess> {
        const start = this.starts.get(stack);
        if (!start) {
            throw new Error(`PackHost.pack: '${stack}' is not one of the host's stacks`);
        }
        return start.promise;
    }

    /** The host's stderr so far. */
    errors(): string {
        return this.stderr.text();
    }

    /** How the host ended, waiting up to `graceMs` for it (PackProcess.exited). */
    async exited(graceMs = 0): Promise<string | undefined> {
        if (this.exitedAs !== undefined || graceMs <= 0) {
            return this.exitedAs;
        }
        let timer: NodeJS.Timeout | undefined;
        try {
            return await Promise.race([
                this.closed,
                new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), graceMs))),
            ]);
        } finally {
            clearTimeout(timer);
        }
    }

    private spawn(stacks: readonly PackStack[], timeoutMs: number): void {
        const dir = this.dir;
        if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
            throw new OfflineCheckError(`policy pack failed to start: no PulumiPolicy.yaml in ${dir}`);
        }
        const entry = packEntry(dir);
        const tmp = makeTempDir("redis-stack-check-pack-");
        writePrivateFile(path.join(tmp, "env.json"), JSON.stringify(stacks.map(({ stack, env }) => ({ stack, env }))));
        let child: ChildProcess;
        try {
            child = spawn(process.execPath, [PACK_ENTRY, entry, path.join(tmp, "env.json"), "remove-env-dir"], {
                cwd: dir,
                env: process.env,
                // The IPC channel tells the pack when the checker is gone, even SIGKILLed (pack-entry.js).
                stdio: ["ignore", "pipe", "pipe", "ipc"],
                ...OWN_PROCESS_GROUP,
            });
        } catch (e) {
            removeTempDir(tmp);
            throw new OfflineCheckError(`policy pack in ${dir} failed to start: ${(e as Error).message}`);
        }
        this.process = child;
        trackChild(child);
        // Bounded: a pack may write any amount to stderr; messages need its first error line and its last lines.
        child.stderr!.on("data", (d: Buffer) => this.stderr.push(d));
        // "close" comes after the pipes are drained: by then stderr holds everything the pack wrote.
        this.closed = new Promise<string>((resolve) =>
            child.on("close", (code, signal) => resolve(exitStatus(code, signal))),
        );
        void this.closed.then((status) => {
            this.exitedAs = status;
        });
        const cause = (text: string): string => {
            const c = packFailureCause(text);
            return c ? `: ${c}` : "";
        };
        // The first line says it all: what failed, how the pack ended, and the pack's first error line.
        const fail = (why: string): void =>
            this.failStarting(
                () => new OfflineCheckError(`policy pack in ${dir} failed to start (${why})${cause(this.errors())}`),
            );
        const timer = setTimeout(() => {
            const served = [...this.starts.values()].some((s) => s.state !== "starting" && s.state !== "failed");
            if (!served) {
                killChild(child, "SIGKILL");
            }
            this.failStarting(
                () =>
                    new OfflineCheckError(
                        `policy pack in ${dir} failed to start: no port printed within ${timeoutMs / 1000} s\n${packFailureCause(this.errors())}`,
                    ),
            );
        }, timeoutMs);
        child.on("error", (e) => fail(e.message));
        void this.closed.then((status) => fail(status));
        // Line by line, keeping at most MAX_HOST_LINE of an unfinished line (a longer one is not the host's).
        let out = "";
        child.stdout!.setEncoding("utf8");
        child.stdout!.on("data", (d: string) => {
            const lines = (out + d).split("\n");
            out = lines.pop()!;
            if (out.length > MAX_HOST_LINE) {
                out = "";
            }
            for (const line of lines) {
                const m = parsePackHostLine(line);
                const start = m && this.starts.get(m.stack);
                if (!m || !start || start.state !== "starting") {
                    continue;
                }
                if ("port" in m) {
                    start.state = "served";
                    start.resolve(new PackProcess(this, m.stack, m.port));
                } else {
                    start.state = "failed";
                    start.reject(
                        new OfflineCheckError(
                            `policy pack in ${dir} failed to start (its entry threw while loading)${cause(m.error)}`,
                        ),
                    );
                }
            }
            this.settled();
        });
        const all = Promise.allSettled([...this.starts.values()].map((s) => s.promise));
        for (const [stack, start] of this.starts) {
            const unfinished =
                this.starts.size === 1
                    ? `the policy pack in ${dir} did not start`
                    : `the policy pack in ${dir} did not start for stack '${stack}'`;
            phase(unfinished, start.promise).catch(() => undefined);
        }
        void all.then(() => {
            clearTimeout(timer);
            removeTempDir(tmp);
        });
    }

    /** Fails every stack still starting with the error `why()` gives; see settled. */
    private failStarting(why: () => Error): void {
        for (const start of this.starts.values()) {
            if (start.state === "starting") {
                start.state = "failed";
                start.reject(why());
            }
        }
        this.settled();
    }

    /** Once no stack is starting: a host serving none is killed (SIGKILL, as a pack that failed to start). */
    private settled(): void {
        const states = [...this.starts.values()].map((s) => s.state);
        if (this.process && !states.includes("starting") && states.every((s) => s === "failed")) {
            killChild(this.process, "SIGKILL");
        } else {
            void this.stopWhenDone();
        }
    }

    /** @internal PackProcess.stop: `stack` is done with; the host stops once every stack is. */
    release(stack: string): Promise<void> {
        const start = this.starts.get(stack)!;
        if (start.state === "served") {
            start.state = "released";
        }
        return this.stopWhenDone() ?? Promise.resolve();
    }

    private stopWhenDone(): Promise<void> | undefined {
        const states = [...this.starts.values()].map((s) => s.state);
        if (states.every((s) => s === "released" || s === "failed") && states.includes("released")) {
            return this.stop();
        }
        return undefined;
    }

    /** Stops the host (every stack's pack) and waits for it to exit (SIGKILL after a grace period). */
    stop(): Promise<void> {
        const child = this.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) {
            return Promise.resolve();
        }
        this.stopping ??= new Promise<void>((resolve) => {
            const timer = setTimeout(() => killChild(child, "SIGKILL"), 2000);
            child.once("exit", () => {
                clearTimeout(timer);
                resolve();
            });
            killChild(child, "SIGTERM");
        });
        return this.stopping;
    }
}

/** What the nodejs language host runs for the pack: package.json `main`, else index.ts/index.js. */
function packEntry(dir: string): string {
    const pkgFile = path.join(dir, "package.json");
    if (fs.existsSync(pkgFile)) {
        let pkg: unknown;
        try {
            pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
        } catch (e) {
            throw new OfflineCheckError(
                `policy pack failed to start: ${pkgFile} is not valid JSON: ${(e as Error).message}`,
            );
        }
        if (typeof pkg !== "object" || pkg === null || Array.isArray(pkg)) {
            throw new OfflineCheckError(`policy pack failed to start: ${pkgFile} must hold a JSON object`);
        }
        const main = (pkg as { main?: unknown }).main;
        if (main !== undefined && (typeof main !== "string" || main === "")) {
            throw new OfflineCheckError(`policy pack failed to start: "main" in ${pkgFile} must be a file name`);
        }
        if (main) {
            return main;
        }
    }
    return fs.existsSync(path.join(dir, "index.ts")) ? "index.ts" : "index.js";
}

/** The environment the engine gives a nodejs policy pack (analyzer_plugin.go constructEnv). */
export function packEnv(project: string, stack: string, config: Record<string, string>): NodeJS.ProcessEnv {
    return {
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_NODEJS_PROJECT: project,
        PULUMI_NODEJS_STACK: stack,
        PULUMI_NODEJS_DRY_RUN: "true",
        PULUMI_PROJECT: project,
        PULUMI_STACK: stack,
        PULUMI_DRY_RUN: "true",
    };
}
