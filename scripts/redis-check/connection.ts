/**
 * One raw RESP connection over TCP or TLS with every step bounded in time. Used by the probe (to tell
 * DNS, TCP, TLS and AUTH failures apart) and by the redirect tour (to follow MOVED as redis-cli -c does).
 */
import * as dns from "dns";
import * as fs from "fs";
import * as net from "net";
import * as tls from "tls";
import { CheckFailure, classifyError } from "./errors";
import { encodeCommand, RespParser, type RespValue } from "./resp";

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
                    if (w) w.resolve(v);
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
    static open(opts: EndpointOptions): Promise<RespConnection> {
        return new Promise((resolve, reject) => {
            let stage: Stage = "connect";
            const socket = opts.tls
                ? tls.connect({
                      host: opts.host,
                      port: opts.port,
                      ca: opts.ca,
                      // SNI only for names; Node checks the certificate against host either way.
                      servername: net.isIP(opts.host) ? undefined : opts.host,
                  })
                : net.connect({ host: opts.host, port: opts.port });
            const timer = setTimeout(() => {
                socket.destroy();
                const code = stage === "connect" ? "ETIMEDOUT" : "ERR_TLS_HANDSHAKE_TIMEOUT";
                reject(Object.assign(new Error(`${stage} to ${where(opts)} timed out`), { code, stage }));
            }, opts.timeoutMs);
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

    command(args: readonly (string | number)[]): Promise<RespValue> {
        if (this.closedError) return Promise.reject(this.closedError);
        return new Promise<RespValue>((resolve, reject) => {
            const timer = setTimeout(() => {
                this.fail(Object.assign(new Error(`no reply to ${String(args[0])}`), { code: "ERESPTIMEOUT" }));
            }, this.opts.timeoutMs);
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

/**
 * After a failed TLS handshake or a silent close: does the port speak the other protocol? Only a
 * diagnosis for the error message; no command or data goes over a connection opened here.
 */
export async function sniffProtocol(opts: EndpointOptions): Promise<"plain" | "tls" | "unknown"> {
    if (opts.tls) {
        try {
            const c = await RespConnection.open({ ...opts, tls: false });
            try {
                // Any RESP answer, NOAUTH included, means plain-text Redis.
                await c.command(["PING"]);
                return "plain";
            } finally {
                c.close();
            }
        } catch {
            return "unknown";
        }
    }
    return new Promise((resolve) => {
        const s = tls.connect({
            host: opts.host,
            port: opts.port,
            rejectUnauthorized: false,
            servername: net.isIP(opts.host) ? undefined : opts.host,
        });
        const timer = setTimeout(() => done("unknown"), opts.timeoutMs);
        function done(r: "tls" | "unknown"): void {
            clearTimeout(timer);
            s.destroy();
            resolve(r);
        }
        s.once("secureConnect", () => done("tls"));
        s.once("error", () => done("unknown"));
    });
}

/** Opens a connection, turning every failure into a one-line CheckFailure (with the protocol sniff). */
export async function openChecked(opts: EndpointOptions): Promise<RespConnection> {
    const timeoutSec = Math.round(opts.timeoutMs / 1000);
    let conn: RespConnection;
    try {
        conn = await RespConnection.open(opts);
    } catch (e) {
        const stage = (e as { stage?: Stage }).stage;
        if (opts.tls && stage === "handshake") {
            if ((await sniffProtocol(opts)) === "plain") {
                throw new CheckFailure(
                    "tls",
                    `TLS handshake with ${where(opts)} failed: the port speaks plain-text Redis (drop --tls)`,
                );
            }
            const code = (e as { code?: string }).code;
            if (code === "ERR_TLS_HANDSHAKE_TIMEOUT") {
                throw new CheckFailure("tls", `TLS handshake with ${where(opts)} did not finish within ${timeoutSec}s`);
            }
        }
        throw classifyError(e, where(opts), timeoutSec);
    }
    return conn;
}

/** Sends a command on a fresh plain connection and diagnoses a silent reset as "this port wants TLS". */
export async function firstCommand(conn: RespConnection, args: readonly (string | number)[]): Promise<RespValue> {
    try {
        return await conn.command(args);
    } catch (e) {
        if (!conn.opts.tls && !conn.gotData && (await sniffProtocol(conn.opts)) === "tls") {
            throw new CheckFailure(
                "tls",
                `${where(conn.opts)} closed the connection without a reply: it expects TLS (add --tls)`,
            );
        }
        throw classifyError(e, where(conn.opts), Math.round(conn.opts.timeoutMs / 1000));
    }
}
