/**
 * One raw RESP connection over TCP or TLS with every step bounded in time. Used by the probe (to tell
 * DNS, TCP, TLS and AUTH failures apart) and by the redirect tour (to follow MOVED as redis-cli -c does).
 */
import * as dns from "dns";
import * as fs from "fs";
import * as net from "net";
import * as tls from "tls";
import { RedisCheckError, classifyError } from "./failures";
import { encodeCommand, RespParser, RespProtocolError, type RespValue } from "./resp";

export interface EndpointOptions {
    readonly host: string;
    readonly port: number;
    readonly tls: boolean;
    /** PEM CAs to trust; without it, Node's bundled roots. */
    readonly ca?: string | Buffer | (string | Buffer)[];
    readonly timeoutMs: number;
}

/** Where Linux distributions keep the system's CA bundle (Debian/Ubuntu, RHEL/Amazon Linux, others). */
export const SYSTEM_CA_FILES = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/**
 * The system's CAs plus Node's bundled roots. Node alone trusts only its bundled roots, so a CA that an
 * administrator added to the system store would otherwise be ignored.
 */
export function systemCa(files: readonly string[] = SYSTEM_CA_FILES): { ca: string[]; file?: string } {
    for (const file of files) {
        let pem: string;
        try {
            pem = fs.readFileSync(file, "utf8");
        } catch {
            continue;
        }
        if (pem.includes("-----BEGIN CERTIFICATE-----")) return { ca: [...tls.rootCertificates, pem], file };
    }
    return { ca: [...tls.rootCertificates] };
}

export function where(o: { host: string; port: number }): string {
    return `${o.host}:${o.port}`;
}

/**
 * One bound for a whole connect: name lookup, TCP, TLS handshake, the protocol sniff and AUTH share one
 * --timeout, so that a silent endpoint costs --timeout once, as the message says (#10.13).
 */
export class Deadline {
    private readonly end: number;

    constructor(readonly totalMs: number) {
        this.end = Date.now() + totalMs;
    }

    remaining(): number {
        return Math.max(0, this.end - Date.now());
    }
}

/** Resolves the name (bounded) so that "not resolved" is told apart from "not reachable". */
export async function resolveHost(host: string, timeoutMs: number): Promise<string> {
    if (net.isIP(host)) return host;
    let timer: NodeJS.Timeout | undefined;
    try {
        const r = await Promise.race([
            dns.promises.lookup(host),
            new Promise<never>((_, reject) => {
                timer = setTimeout(
                    () => reject(Object.assign(new Error(`lookup ${host} timed out`), { code: "EAI_AGAIN" })),
                    timeoutMs,
                );
            }),
        ]);
        return r.address;
    } finally {
        if (timer) clearTimeout(timer);
    }
}

type Stage = "connect" | "handshake" | "open";

export class RespConnection {
    private readonly parser = new RespParser();
    private readonly waiting: { resolve: (v: RespValue) => void; reject: (e: Error) => void }[] = [];
    private closedError: Error | undefined;
    /** Whether any byte came back: a plain client on a TLS port gets a reset with none. */
    gotData = false;

    private constructor(
        private readonly socket: net.Socket,
        readonly opts: EndpointOptions,
    ) {
        socket.on("data", (chunk: Buffer) => {
            this.gotData = true;
            this.parser.push(chunk);
            try {
                for (let v = this.parser.next(); v !== undefined; v = this.parser.next()) {
                    const w = this.waiting.shift();
                    // RESP2 without subscriptions answers each command once: a reply nobody asked for is a server
                    // out of step (or hostile), whose later replies would be taken as answers to other commands.
                    if (!w) throw new RespProtocolError("a reply to no command");
                    w.resolve(v);
                }
            } catch (e) {
                this.fail(e as Error);
            }
        });
        socket.on("error", (e) => this.fail(e));
        socket.on("close", () =>
            this.fail(Object.assign(new Error("connection closed by server"), { code: "ECLOSED" })),
        );
    }

    private fail(e: Error): void {
        if (!this.closedError) this.closedError = e;
        this.socket.destroy();
        for (const w of this.waiting.splice(0)) w.reject(this.closedError);
    }

    /** Connects (and handshakes, with TLS); rejects with the raw Node error and the stage it failed at. */
    static open(opts: EndpointOptions, timeoutMs = opts.timeoutMs): Promise<RespConnection> {
        return new Promise((resolve, reject) => {
            let stage: Stage = "connect";
            // tls.connect builds its secure context (hundreds of CAs) synchronously: that time counts too.
            const started = Date.now();
            const socket = opts.tls
                ? tls.connect({
                      host: opts.host,
                      port: opts.port,
                      ca: opts.ca,
                      // SNI only for names; Node checks the certificate against host either way.
                      servername: net.isIP(opts.host) ? undefined : opts.host,
                  })
                : net.connect({ host: opts.host, port: opts.port });
            const timer = setTimeout(
                () => {
                    socket.destroy();
                    const code = stage === "connect" ? "ETIMEDOUT" : "ERR_TLS_HANDSHAKE_TIMEOUT";
                    reject(Object.assign(new Error(`${stage} to ${where(opts)} timed out`), { code, stage }));
                },
                Math.max(0, timeoutMs - (Date.now() - started)),
            );
            const onError = (e: Error): void => {
                clearTimeout(timer);
                socket.destroy();
                reject(Object.assign(e, { stage }));
            };
            socket.once("error", onError);
            const ready = (): void => {
                clearTimeout(timer);
                socket.off("error", onError);
                stage = "open";
                resolve(new RespConnection(socket, opts));
            };
            if (opts.tls) {
                // The TLS socket's underlying TCP connect comes first; the handshake after it.
                socket.once("connect", () => {
                    stage = "handshake";
                });
                socket.once("secureConnect", ready);
            } else {
                socket.once("connect", ready);
            }
        });
    }

    command(args: readonly (string | number)[], timeoutMs = this.opts.timeoutMs): Promise<RespValue> {
        if (this.closedError) return Promise.reject(this.closedError);
        return new Promise<RespValue>((resolve, reject) => {
            const timer = setTimeout(() => {
                this.fail(Object.assign(new Error(`no reply to ${String(args[0])}`), { code: "ERESPTIMEOUT" }));
            }, timeoutMs);
            this.waiting.push({
                resolve: (v) => {
                    clearTimeout(timer);
                    resolve(v);
                },
                reject: (e) => {
                    clearTimeout(timer);
                    reject(e);
                },
            });
            this.socket.write(encodeCommand(args));
        });
    }

    close(): void {
        this.closedError ??= new Error("closed");
        this.socket.destroy();
    }
}

type Protocol = "plain" | "tls" | "unknown";

/**
 * Does the port speak the other protocol (after a failed or slow TLS handshake, or a silent close)? Only a
 * diagnosis for the error message; no command but PING and no data go over a connection opened here.
 * Bounded by timeoutMs; `signal` ends it early (the real connection got through).
 */
export async function sniffProtocol(opts: EndpointOptions, timeoutMs: number, signal?: AbortSignal): Promise<Protocol> {
    if (timeoutMs <= 0 || signal?.aborted) return "unknown";
    if (opts.tls) {
        const deadline = new Deadline(timeoutMs);
        let c: RespConnection | undefined;
        const onAbort = (): void => c?.close();
        signal?.addEventListener("abort", onAbort);
        try {
            c = await RespConnection.open({ ...opts, tls: false }, deadline.remaining());
            if (signal?.aborted) return "unknown";
            // Any RESP answer, NOAUTH included, means plain-text Redis.
            await c.command(["PING"], deadline.remaining());
            return "plain";
        } catch {
            return "unknown";
        } finally {
            signal?.removeEventListener("abort", onAbort);
            c?.close();
        }
    }
    return new Promise((resolve) => {
        const s = tls.connect({
            host: opts.host,
            port: opts.port,
            rejectUnauthorized: false,
            servername: net.isIP(opts.host) ? undefined : opts.host,
        });
        const timer = setTimeout(() => done("unknown"), timeoutMs);
        const onAbort = (): void => done("unknown");
        signal?.addEventListener("abort", onAbort);
        function done(r: "tls" | "unknown"): void {
            clearTimeout(timer);
            signal?.removeEventListener("abort", onAbort);
            s.destroy();
            resolve(r);
        }
        s.once("secureConnect", () => done("tls"));
        s.once("error", () => done("unknown"));
    });
}

function plainTextPort(opts: EndpointOptions): RedisCheckError {
    return new RedisCheckError(
        "tls",
        `TLS handshake with ${where(opts)} failed: the port speaks plain-text Redis (drop --tls)`,
    );
}

/**
 * Opens a connection within the deadline, turning every failure into a one-line RedisCheckError. With TLS, a
 * handshake still unfinished halfway through the budget makes us ask the port in plain text meanwhile: a
 * plain-text Redis never answers a ClientHello, so waiting for the handshake first would leave no time to ask.
 */
export async function openChecked(opts: EndpointOptions, deadline: Deadline): Promise<RespConnection> {
    const timeoutSec = Math.round(deadline.totalMs / 1000);
    const sniffDone = new AbortController();
    let sniffing: Promise<Protocol> | undefined;
    let timer: NodeJS.Timeout | undefined;
    const opening = RespConnection.open(opts, deadline.remaining());
    try {
        if (!opts.tls) return await opening;
        const plain = new Promise<"plain">((resolve) => {
            timer = setTimeout(() => {
                sniffing = sniffProtocol(opts, deadline.remaining(), sniffDone.signal);
                void sniffing.then((p) => p === "plain" && resolve(p));
            }, deadline.remaining() / 2);
        });
        const first = await Promise.race([opening, plain]);
        if (first !== "plain") return first;
        opening.then(
            (c) => c.close(),
            () => undefined,
        );
        throw plainTextPort(opts);
    } catch (e) {
        if (e instanceof RedisCheckError) throw e;
        const stage = (e as { stage?: Stage }).stage;
        if (opts.tls && stage === "handshake") {
            clearTimeout(timer);
            if ((await (sniffing ?? sniffProtocol(opts, deadline.remaining()))) === "plain") throw plainTextPort(opts);
            const code = (e as { code?: string }).code;
            if (code === "ERR_TLS_HANDSHAKE_TIMEOUT") {
                throw new RedisCheckError(
                    "tls",
                    `TLS handshake with ${where(opts)} did not finish within ${timeoutSec}s`,
                );
            }
        }
        throw classifyError(e, where(opts), timeoutSec);
    } finally {
        clearTimeout(timer);
        sniffDone.abort();
    }
}

/**
 * Sends the first command on a fresh connection within the deadline, and diagnoses a plain connection closed
 * without a word as "this port wants TLS". A port that stays silent is not asked: no time would be left.
 */
export async function firstCommand(
    conn: RespConnection,
    args: readonly (string | number)[],
    deadline: Deadline,
    user?: string,
): Promise<RespValue> {
    const timeoutSec = Math.round(deadline.totalMs / 1000);
    try {
        return await conn.command(args, deadline.remaining());
    } catch (e) {
        const silent = (e as { code?: string }).code === "ERESPTIMEOUT";
        if (
            !conn.opts.tls &&
            !conn.gotData &&
            !silent &&
            (await sniffProtocol(conn.opts, deadline.remaining())) === "tls"
        ) {
            throw new RedisCheckError(
                "tls",
                `${where(conn.opts)} closed the connection without a reply: it expects TLS (add --tls)`,
            );
        }
        throw classifyError(e, where(conn.opts), timeoutSec, user);
    }
}
