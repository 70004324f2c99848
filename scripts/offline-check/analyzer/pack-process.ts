// A policy pack as a child process, started the way the engine's nodejs analyzer host starts it
// (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go): in its own directory, with the stack config in
// PULUMI_CONFIG and PULUMI_{PROJECT,STACK,DRY_RUN}, TypeScript set up like the CLI's policy pack host
// (pack-entry.js); it prints its port on stdout. Owns the process: stderr for error messages, the signals that
// must not leave it behind, and stopping it.
import { type ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { OfflineCheckError } from "../offline-check-error";

const PACK_ENTRY = path.join(__dirname, "pack-entry.js");

/** A running policy pack process. */
export class PackProcess {
    private exited = false;
    private readonly onExit = (): void => {
        // Last resort if our caller dies without stopping the pack: never leave a server behind.
        if (!this.exited) {
            this.child.kill("SIGKILL");
        }
    };
    // A cancelled CI job or `kill` sends SIGTERM to this process only; the pack would outlive it.
    private readonly onSignal = (signal: NodeJS.Signals): void => {
        this.onExit();
        process.exit(signal === "SIGINT" ? 130 : 143);
    };

    private constructor(
        readonly child: ChildProcess,
        readonly port: number,
        private readonly stderr: () => string,
    ) {
        process.on("exit", this.onExit);
        process.once("SIGINT", this.onSignal);
        process.once("SIGTERM", this.onSignal);
        child.on("exit", () => {
            this.exited = true;
        });
    }

    /** Starts the pack in `packDir` like the engine's nodejs analyzer host and waits for its port. */
    static async start(packDir: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<PackProcess> {
        const dir = path.resolve(packDir);
        if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
            throw new OfflineCheckError(`policy pack failed to start: no PulumiPolicy.yaml in ${dir}`);
        }
        const entry = packEntry(dir);
        const child = spawn(process.execPath, [PACK_ENTRY, entry], {
            cwd: dir,
            env: { ...process.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let err = "";
        child.stderr.on("data", (d: Buffer) => {
            err += d.toString("utf8");
        });
        const tail = (): string => err.trim().split("\n").slice(-20).join("\n");
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(
                    new OfflineCheckError(
                        `policy pack in ${dir} failed to start: no port printed within ${timeoutMs / 1000} s\n${tail()}`,
                    ),
                );
            }, timeoutMs);
            const fail = (why: string): void => {
                clearTimeout(timer);
                reject(
                    new OfflineCheckError(
                        `policy pack in ${dir} failed to start (${why})${tail() ? `:\n${tail()}` : ""}`,
                    ),
                );
            };
            child.on("error", (e) => fail(e.message));
            child.on("exit", (code, signal) => fail(signal ? `killed by ${signal}` : `exit ${code}`));
            child.stdout.on("data", (d: Buffer) => {
                out += d.toString("utf8");
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    clearTimeout(timer);
                    child.removeAllListeners("exit");
                    resolve(Number(m[1]));
                }
            });
        });
        // Later output of the pack (console.log in a policy) must not block it on a full pipe.
        child.stdout.resume();
        return new PackProcess(child, port, () => err);
    }

    /** The pack's stderr so far (for error messages). */
    errors(): string {
        return this.stderr();
    }

    /** Stops the pack and waits for it to exit (SIGKILL after a grace period). */
    async stop(): Promise<void> {
        process.removeListener("exit", this.onExit);
        process.removeListener("SIGINT", this.onSignal);
        process.removeListener("SIGTERM", this.onSignal);
        if (this.exited) {
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
