// A policy pack as a child process, started the way the engine's nodejs analyzer host starts it
// (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go): in its own directory, with the stack config in
// PULUMI_CONFIG and PULUMI_{PROJECT,STACK,DRY_RUN}, TypeScript set up like the CLI's policy pack host
// (pack-entry.js); it prints its port on stdout. Owns the process: stderr for error messages (the cause first)
// and stopping it; lifecycle.ts kills it on every other exit path (signals, --timeout, the checker's exit).
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
/** Of a line the pack prints before its port, only this much is kept until its newline. */
const MAX_PORT_LINE = 64;

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

/** A running policy pack process. */
export class PackProcess {
    private exitedAs: string | undefined;

    private constructor(
        readonly child: ChildProcess,
        readonly port: number,
        private readonly stderr: () => string,
        private readonly closed: Promise<string>,
    ) {
        void closed.then((status) => {
            this.exitedAs = status;
        });
    }

    /**
     * Starts the pack in `packDir` like the engine's nodejs analyzer host and waits for its port. The environment
     * goes through a private file (pack-entry.js sets it before the pack loads): a large stack config in the
     * environment makes spawn fail with E2BIG.
     */
    static async start(packDir: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<PackProcess> {
        const dir = path.resolve(packDir);
        if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
            throw new OfflineCheckError(`policy pack failed to start: no PulumiPolicy.yaml in ${dir}`);
        }
        const entry = packEntry(dir);
        const tmp = makeTempDir("redis-stack-check-pack-");
        const envFile = path.join(tmp, "env.json");
        writePrivateFile(envFile, JSON.stringify(env));
        let child: ChildProcess;
        try {
            child = spawn(process.execPath, [PACK_ENTRY, entry, envFile, "remove-env-dir"], {
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
        trackChild(child);
        // Bounded: a pack may write any amount to stderr; messages need its first error line and its last lines.
        const err = new BoundedOutput();
        child.stderr!.on("data", (d: Buffer) => err.push(d));
        // "close" comes after the pipes are drained: by then stderr holds everything the pack wrote.
        const closed = new Promise<string>((resolve) =>
            child.on("close", (code, signal) => resolve(exitStatus(code, signal))),
        );
        const cause = (): string => packFailureCause(err.text());
        const started = new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => {
                killChild(child, "SIGKILL");
                reject(
                    new OfflineCheckError(
                        `policy pack in ${dir} failed to start: no port printed within ${timeoutMs / 1000} s\n${cause()}`,
                    ),
                );
            }, timeoutMs);
            let running = true;
            const fail = (why: string): void => {
                clearTimeout(timer);
                // The first line says it all: what failed, how the pack ended, and the pack's first error line.
                reject(
                    new OfflineCheckError(
                        `policy pack in ${dir} failed to start (${why})${cause() ? `: ${cause()}` : ""}`,
                    ),
                );
            };
            child.on("error", (e) => fail(e.message));
            void closed.then((status) => {
                if (running) {
                    fail(status);
                }
            });
            // Line by line, keeping only the unfinished line (bounded): a pack may print anything before its port.
            child.stdout!.setEncoding("utf8");
            child.stdout!.on("data", (d: string) => {
                const lines = (out + d).split("\n");
                out = lines.pop()!.slice(-MAX_PORT_LINE);
                const port = lines.map((l) => /^(\d{1,5})\s*$/.exec(l)).find((m) => m !== null);
                if (port && running) {
                    running = false;
                    clearTimeout(timer);
                    resolve(Number(port[1]));
                }
            });
        });
        let port: number;
        try {
            port = await phase(`the policy pack in ${dir} did not start`, started);
        } catch (e) {
            killChild(child, "SIGKILL");
            throw e;
        } finally {
            removeTempDir(tmp);
        }
        // Later output of the pack (console.log in a policy) must not block it on a full pipe.
        child.stdout!.resume();
        return new PackProcess(child, port, () => err.text(), closed);
    }

    /** The pack's stderr so far (for error messages). */
    errors(): string {
        return this.stderr();
    }

    /**
     * How the pack ended ("exit 7", "killed by SIGSEGV") once it has and its stderr is read, waiting up to
     * `graceMs` for that; undefined while it runs. A call cut off by the pack's death fails as the connection
     * drops, usually before the checker has seen the exit or read the pack's last words.
     */
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

    /** Stops the pack and waits for it to exit (SIGKILL after a grace period). */
    async stop(): Promise<void> {
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
            return;
        }
        await new Promise<void>((resolve) => {
            const timer = setTimeout(() => killChild(this.child, "SIGKILL"), 2000);
            this.child.once("exit", () => {
                clearTimeout(timer);
                resolve();
            });
            killChild(this.child, "SIGTERM");
        });
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
