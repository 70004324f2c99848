/** Real local servers for the redis-check tests, started and stopped through scripts/local-redis.sh. */
import { type ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import Redis from "ioredis";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export const REPO = path.resolve(__dirname, "..", "..");
const SCRIPT = path.join(REPO, "scripts", "local-redis.sh");

export interface LocalRedis {
    readonly mode: "cluster" | "replicated";
    readonly dir: string;
    readonly state: string;
    readonly host: string;
    readonly port: number;
    readonly ports: number[];
    readonly ca: string;
    readonly token: string;
}

export interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
    return new Promise((resolve) => {
        execFile(cmd, args, { cwd: REPO, env, timeout: timeoutMs, killSignal: "SIGKILL" }, (err, stdout, stderr) => {
            const code = err
                ? typeof (err as { code?: unknown }).code === "number"
                    ? (err as { code: number }).code
                    : null
                : 0;
            resolve({ code, stdout, stderr });
        });
    });
}

export function localRedis(
    dir: string,
    mode: "cluster" | "replicated",
    action: string,
    basePort?: number,
): Promise<Run> {
    const env = {
        ...process.env,
        LOCAL_REDIS_DIR: dir,
        ...(basePort ? { LOCAL_REDIS_BASE_PORT: String(basePort) } : {}),
    };
    return run("bash", [SCRIPT, action, "--mode", mode], env, 60_000);
}

export function readInfo(dir: string, mode: "cluster" | "replicated"): LocalRedis {
    const state = path.join(dir, mode);
    const info: Record<string, string> = {};
    for (const line of fs.readFileSync(path.join(state, "info.env"), "utf8").split("\n")) {
        const i = line.indexOf("=");
        if (i > 0) info[line.slice(0, i)] = line.slice(i + 1);
    }
    return {
        mode,
        dir,
        state,
        host: info.LOCAL_REDIS_HOST,
        port: Number(info.LOCAL_REDIS_PORT),
        ports: info.LOCAL_REDIS_PORTS.split(",").map(Number),
        ca: info.LOCAL_REDIS_CA,
        token: fs.readFileSync(info.LOCAL_REDIS_TOKEN_FILE, "utf8").trim(),
    };
}

export async function startLocal(mode: "cluster" | "replicated", basePort: number): Promise<LocalRedis> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `redis-check-${mode}-`));
    const r = await localRedis(dir, mode, "start", basePort);
    if (r.code !== 0) {
        await localRedis(dir, mode, "stop");
        throw new Error(`local-redis.sh start --mode ${mode} failed (${r.code}): ${r.stderr}${r.stdout}`);
    }
    return readInfo(dir, mode);
}

export async function stopLocal(l: LocalRedis | undefined): Promise<void> {
    if (!l) return;
    await localRedis(l.dir, l.mode, "stop");
    fs.rmSync(l.dir, { recursive: true, force: true });
}

function canListen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const s = net.createServer();
        s.once("error", () => resolve(false));
        s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
}

/** A first port whose block of `n` ports, and their cluster bus ports (+10000), are all free now. */
export async function freeBlock(n: number): Promise<number> {
    for (let tries = 0; tries < 50; tries++) {
        const base = 20_000 + Math.floor(Math.random() * 30_000);
        let free = true;
        for (let i = 0; i < n && free; i++) free = (await canListen(base + i)) && (await canListen(base + i + 10_000));
        if (free) return base;
    }
    throw new Error(`no block of ${n} free ports found`);
}

/** How many redis-servers local-redis.sh starts per mode. */
const NODES = { cluster: 6, replicated: 2 } as const;

/**
 * Starts local servers before the enclosing suite and stops them after it, even when a test fails; returns
 * their details for the suite's tests. Their ports start at a block found free at run time (local-redis.sh
 * moves on to the next free block should another program take it meanwhile).
 */
export function useLocalRedis(mode: "cluster" | "replicated"): () => LocalRedis {
    let l: LocalRedis | undefined;
    before(async function () {
        this.timeout(60_000);
        l = await startLocal(mode, await freeBlock(NODES[mode]));
    });
    after(async function () {
        this.timeout(30_000);
        await stopLocal(l);
    });
    return () => {
        if (!l) throw new Error(`local ${mode} servers not started`);
        return l;
    };
}

export function pidOf(l: LocalRedis, port: number): number {
    return Number(fs.readFileSync(path.join(l.state, `node-${port}`, "redis.pid"), "utf8").trim());
}

export function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** redis-cli against one node of a local server (TLS, token via REDISCLI_AUTH as a person would). */
export async function cli(l: LocalRedis, port: number, ...args: string[]): Promise<string> {
    const r = await run(
        "redis-cli",
        ["--tls", "--cacert", l.ca, "-h", "127.0.0.1", "-p", String(port), ...args],
        { ...process.env, REDISCLI_AUTH: l.token },
        10_000,
    );
    if (r.code !== 0) throw new Error(`redis-cli ${args.join(" ")} on ${port}: ${r.stderr}`);
    return r.stdout;
}

/** An ioredis client for one node of a local server (TLS, AUTH token); the caller connects and disconnects it. */
export function nodeClient(l: LocalRedis, port: number): Redis {
    return new Redis({
        host: "127.0.0.1",
        port,
        tls: { ca: fs.readFileSync(l.ca) },
        password: l.token,
        lazyConnect: true,
        maxRetriesPerRequest: 1,
    });
}

function baseEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.REDISCLI_AUTH;
    delete env.REDIS_HOST;
    delete env.REDIS_PORT;
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
    return env;
}

/** The bin as `npm run redis:check` starts it. */
const CHECK_ARGS = ["--max-semi-space-size=64", path.join("scripts", "redis-stack-redis-check.js")];

/** Runs the real CLI as `npm run redis:check` does. */
export function check(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 90_000): Promise<Run> {
    return run(process.execPath, [...CHECK_ARGS, ...args], baseEnv(env), timeoutMs);
}

/** Starts the CLI and hands back the child, for killing a node while it runs. */
export function spawnCheck(args: string[], env: Record<string, string | undefined>): ChildProcess {
    return spawn(process.execPath, [...CHECK_ARGS, ...args], {
        cwd: REPO,
        env: baseEnv(env),
        stdio: ["ignore", "pipe", "pipe"],
    });
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => {
            const port = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(port));
        });
    });
}

/** A plain-text (no TLS) redis-server on loopback, as a foreground child we kill ourselves. */
export async function startPlainRedis(): Promise<{ port: number; child: ChildProcess }> {
    const port = await freePort();
    const child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"],
        {
            stdio: "ignore",
        },
    );
    for (let i = 0; i < 100; i++) {
        const up = await new Promise<boolean>((resolve) => {
            const s = net.connect(port, "127.0.0.1", () => {
                s.destroy();
                resolve(true);
            });
            s.on("error", () => resolve(false));
        });
        if (up) return { port, child };
        await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    throw new Error(`plain redis-server did not come up on ${port}`);
}

export function oneLine(stderr: string): string {
    const lines = stderr.trim().split("\n");
    if (lines.length !== 1) throw new Error(`expected one line on stderr, got ${lines.length}:\n${stderr}`);
    return lines[0];
}

/**
 * A TCP forwarder standing in for ElastiCache's primary endpoint, whose DNS name moves to the new
 * primary on failover. TLS passes through untouched (the servers' certificate names 127.0.0.1).
 */
export interface EndpointProxy {
    readonly port: number;
    /** Points the endpoint at another node and drops the connections to the old one. */
    switchTo(port: number): void;
    close(): Promise<void>;
}

export async function startEndpointProxy(target: number): Promise<EndpointProxy> {
    let current = target;
    const pairs = new Set<[net.Socket, net.Socket]>();
    const server = net.createServer((client) => {
        const upstream = net.connect(current, "127.0.0.1");
        const pair: [net.Socket, net.Socket] = [client, upstream];
        pairs.add(pair);
        const drop = (): void => {
            client.destroy();
            upstream.destroy();
            pairs.delete(pair);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
        client.pipe(upstream);
        upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        port: (server.address() as net.AddressInfo).port,
        switchTo(port: number) {
            current = port;
            for (const [a, b] of pairs) {
                a.destroy();
                b.destroy();
            }
            pairs.clear();
        },
        close: () =>
            new Promise<void>((resolve) => {
                for (const [a, b] of pairs) {
                    a.destroy();
                    b.destroy();
                }
                server.close(() => resolve());
            }),
    };
}
