// Shared by the bastion tests: processes with bounded run time, a self-signed TLS redis-server with
// AUTH on loopback, and a loopback HTTP server. Everything started here has a stop().
import { type ChildProcess, spawn } from "child_process";
import { createHash } from "crypto";
import { chmodSync, createReadStream, readdirSync, readFileSync, writeFileSync } from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface RunResult {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
}

export interface RunOptions {
    readonly env?: NodeJS.ProcessEnv;
    readonly cwd?: string;
    readonly input?: string;
    readonly timeoutMs?: number;
}

/** Writes a stand-in command (a fake aws, redis-cli, pulumi...) as an executable script. */
export function writeExecutable(file: string, text: string): void {
    writeFileSync(file, text);
    chmodSync(file, 0o755);
}

/** Runs a command to completion (killing it after timeoutMs) and collects its output. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: "pipe" });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
        child.on("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr });
        });
        // A command that exits without reading its input closes the pipe: that is not a failure of the run.
        child.stdin.on("error", () => undefined);
        child.stdin.end(options.input ?? "");
    });
}

/** Like run, but throws with the command's output unless it exits 0. */
export async function runOk(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await run(command, args, options);
    if (result.code !== 0) {
        throw new Error(
            `${command} ${args.join(" ")} exited ${result.code ?? result.signal}:\n${result.stdout}\n${result.stderr}`,
        );
    }
    return result;
}

export function sha256File(file: string): string {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** The Debian orig tarball fetched by scripts/ensure-test-deps.sh, and the Redis version it holds. */
export function redisSourceTarball(): { readonly file: string; readonly version: string } {
    const dir = path.join(REPO_ROOT, ".cache", "redis-src");
    const names = readdirSync(dir).filter((n) => /^redis_\d+\.\d+\.\d+\.orig\.tar\.gz$/.test(n));
    if (names.length === 0)
        throw new Error(`no redis_<version>.orig.tar.gz in ${dir}; run scripts/ensure-test-deps.sh`);
    const name = names.sort()[names.length - 1];
    return { file: path.join(dir, name), version: name.replace(/^redis_/, "").replace(/\.orig\.tar\.gz$/, "") };
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

export interface TlsFiles {
    readonly caCert: string;
    readonly serverCert: string;
    readonly serverKey: string;
}

/** A throwaway CA and a server certificate for 127.0.0.1, like design.md's local cluster uses. */
export async function makeTlsFiles(dir: string): Promise<TlsFiles> {
    const f = (name: string) => path.join(dir, name);
    const ssl = (...args: string[]) => runOk("openssl", args, { cwd: dir });
    await ssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=redis-stack test CA",
        "-keyout",
        f("ca.key"),
        "-out",
        f("ca.crt"),
    );
    await ssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        f("server.key"),
        "-out",
        f("server.csr"),
    );
    await runOk(
        "sh",
        ["-c", "printf '%s\\n' 'subjectAltName=IP:127.0.0.1' 'extendedKeyUsage=serverAuth,clientAuth' > ext.cnf"],
        { cwd: dir },
    );
    await ssl(
        "x509",
        "-req",
        "-in",
        f("server.csr"),
        "-CA",
        f("ca.crt"),
        "-CAkey",
        f("ca.key"),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        f("ext.cnf"),
        "-out",
        f("server.crt"),
    );
    return { caCert: f("ca.crt"), serverCert: f("server.crt"), serverKey: f("server.key") };
}

export interface TlsRedis {
    readonly port: number;
    stop(): Promise<void>;
}

/** A TLS-only (no plain port), server-auth-only redis-server with requirepass, as ElastiCache runs. */
export async function startTlsRedis(dir: string, tls: TlsFiles, password: string): Promise<TlsRedis> {
    const port = await freePort();
    const child: ChildProcess = spawn(
        "redis-server",
        [
            "--port",
            "0",
            "--tls-port",
            String(port),
            "--bind",
            "127.0.0.1",
            "--tls-cert-file",
            tls.serverCert,
            "--tls-key-file",
            tls.serverKey,
            "--tls-ca-cert-file",
            tls.caCert,
            "--tls-auth-clients",
            "no",
            "--requirepass",
            password,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir,
            "--daemonize",
            "no",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const stop = async () => {
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
            await exited;
            clearTimeout(timer);
        }
    };
    for (let attempt = 0; attempt < 100; attempt++) {
        if (child.exitCode !== null) throw new Error(`redis-server exited ${child.exitCode}:\n${output}`);
        const ping = await run(
            "redis-cli",
            ["--tls", "--cacert", tls.caCert, "-h", "127.0.0.1", "-p", String(port), "PING"],
            {
                env: { ...process.env, REDISCLI_AUTH: password },
                timeoutMs: 5_000,
            },
        );
        if (ping.stdout.trim() === "PONG") return { port, stop };
        await new Promise((r) => setTimeout(r, 100));
    }
    await stop();
    throw new Error(`redis-server on TLS port ${port} did not answer PING within 10 s:\n${output}`);
}

export interface Request {
    readonly method: string;
    readonly url: string;
    readonly headers: http.IncomingHttpHeaders;
}

export interface LoopbackServer {
    readonly baseUrl: string;
    readonly requests: Request[];
    stop(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void;

/** An HTTP server on 127.0.0.1 that records every request it gets. */
export function startLoopbackServer(handler: Handler): Promise<LoopbackServer> {
    const requests: Request[] = [];
    const server = http.createServer((req, res) => {
        requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
        handler(req, res, requests.length - 1);
    });
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            resolve({
                baseUrl: `http://127.0.0.1:${port}`,
                requests,
                stop: () =>
                    new Promise<void>((done) => {
                        server.closeAllConnections();
                        server.close(() => done());
                    }),
            });
        });
    });
}

/** Serves one file at /<name>; the first `failFirst` requests get 503, as a flaky mirror would. */
export function serveFile(file: string, failFirst = 0): Promise<LoopbackServer> {
    const name = "/" + path.basename(file);
    return startLoopbackServer((req, res, index) => {
        if (index < failFirst) {
            res.writeHead(503, { "Content-Type": "text/plain" }).end("try again\n");
        } else if (req.method === "GET" && req.url === name) {
            res.writeHead(200, { "Content-Type": "application/gzip" });
            createReadStream(file).pipe(res);
        } else {
            res.writeHead(404).end();
        }
    });
}
