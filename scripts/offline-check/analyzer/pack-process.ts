// A policy pack as a child process, started the way the engine's nodejs analyzer host starts it
// (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go): in its own directory, with the stack config in
// PULUMI_CONFIG and PULUMI_{PROJECT,STACK,DRY_RUN}, TypeScript set up like the CLI's policy pack host
// (pack-entry.js); it prints its port on stdout. Owns the process: stderr for error messages (the cause first)
// and stopping it; lifecycle.ts kills it on every other exit path (signals, --timeout, the checker's exit).
import { type ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { makeTempDir, phase, removeTempDir, trackChild, writePrivateFile } from "../lifecycle";
import { OfflineCheckError } from "../offline-check-error";

const PACK_ENTRY = path.join(__dirname, "pack-entry.js");

/**
 * The cause of a pack failure as a user needs it: the first line of its stderr that reads as an error (e.g.
 * `Error: Cannot find module '.../package.json'`), which the last lines of a long stack trace bury, then the last
 * lines for context.
 */
export function packFailureCause(stderr: string): string {
    const lines = stderr
        .trim()
        .split("\n")
        .map((l) => l.trimEnd());
    if (lines.length === 1 && lines[0] === "") {
        return "";
    }
    const first = lines.find((l) => /\b(?:error|cannot|failed|unable)\b/i.test(l)) ?? lines[0];
    const tail = lines.slice(-20);
    return [first, ...tail.filter((l) => l !== first)].join("\n");
}

/** A running policy pack process. */
export class PackProcess {
    private exitStatus: string | undefined;

    private constructor(
        readonly child: ChildProcess,
        readonly port: number,
        private readonly stderr: () => string,
    ) {
        child.on("exit", (code, signal) => {
            this.exitStatus = signal ? `killed by ${signal}` : `exit ${code}`;
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
            child = spawn(process.execPath, [PACK_ENTRY, entry, envFile], {
                cwd: dir,
                env: process.env,
                // The IPC channel tells the pack when the checker is gone, even SIGKILLed (pack-entry.js).
                stdio: ["ignore", "pipe", "pipe", "ipc"],
            });
        } catch (e) {
            removeTempDir(tmp);
            throw new OfflineCheckError(`policy pack in ${dir} failed to start: ${(e as Error).message}`);
        }
        trackChild(child);
        let err = "";
        child.stderr!.on("data", (d: Buffer) => {
            err += d.toString("utf8");
        });
        const cause = (): string => packFailureCause(err);
        const started = new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(
                    new OfflineCheckError(
                        `policy pack in ${dir} failed to start: no port printed within ${timeoutMs / 1000} s\n${cause()}`,
                    ),
                );
            }, timeoutMs);
            const fail = (why: string): void => {
                clearTimeout(timer);
                reject(
                    new OfflineCheckError(
                        `policy pack in ${dir} failed to start (${why})${cause() ? `:\n${cause()}` : ""}`,
                    ),
                );
            };
            child.on("error", (e) => fail(e.message));
            // stderr may still hold the cause when "exit" fires; "close" comes after the pipes are drained.
            child.on("close", (code, signal) => fail(signal ? `killed by ${signal}` : `exit ${code}`));
            child.stdout!.on("data", (d: Buffer) => {
                out += d.toString("utf8");
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    clearTimeout(timer);
                    child.removeAllListeners("close");
                    resolve(Number(m[1]));
                }
            });
        });
        let port: number;
        try {
            port = await phase(`the policy pack in ${dir} did not start`, started);
        } catch (e) {
            child.kill("SIGKILL");
            throw e;
        } finally {
            removeTempDir(tmp);
        }
        // Later output of the pack (console.log in a policy) must not block it on a full pipe.
        child.stdout!.resume();
        return new PackProcess(child, port, () => err);
    }

    /** The pack's stderr so far (for error messages). */
    errors(): string {
        return this.stderr();
    }

    /** Why the pack is gone ("exit 1", "killed by SIGSEGV"), or undefined while it runs. */
    exited(): string | undefined {
        return this.exitStatus;
    }

    /** Stops the pack and waits for it to exit (SIGKILL after a grace period). */
    async stop(): Promise<void> {
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
            return;
        }
        await new Promise<void>((resolve) => {
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
            this.child.once("exit", () => {
                clearTimeout(timer);
                resolve();
            });
            this.child.kill("SIGTERM");
        });
    }
}

/** What the nodejs language host runs for the pack: package.json `main`, else index.ts/index.js. */
function packEntry(dir: string): string {
    const pkgFile = path.join(dir, "package.json");
    if (fs.existsSync(pkgFile)) {
        const main = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string }).main;
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
