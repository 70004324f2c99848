/**
 * Before ioredis: one raw connection to the endpoint to find out, step by step, whether the name
 * resolves, the port answers, TLS and AUTH work, and whether cluster mode is on and the cluster is up.
 */
import { type EndpointOptions, firstCommand, openChecked, type RespConnection, resolveHost, where } from "./connection";
import { CheckFailure, classifyError, classifyReply } from "./errors";
import { parseInfo, parseRedirect, RespError, type RespValue } from "./resp";

export interface ProbeResult {
    readonly clusterMode: boolean;
    readonly serverVersion: string;
    /** Standalone only: role and attached replicas of the endpoint's node. */
    readonly role?: string;
    readonly connectedReplicas: number;
    readonly clusterInfo?: Record<string, string>;
}

function timeoutSec(opts: EndpointOptions): number {
    return Math.round(opts.timeoutMs / 1000);
}

/** Opens and authenticates a connection; every failure is a CheckFailure with one line. */
export async function connectAuthed(opts: EndpointOptions, password: string | undefined): Promise<RespConnection> {
    try {
        await resolveHost(opts.host, opts.timeoutMs);
    } catch (e) {
        throw classifyError(e, where(opts), timeoutSec(opts));
    }
    const conn = await openChecked(opts);
    try {
        const first = await firstCommand(conn, password === undefined ? ["PING"] : ["AUTH", password]);
        if (first instanceof RespError) throw replyFailure(first, opts);
        if (password !== undefined) {
            const pong = await conn.command(["PING"]);
            if (pong instanceof RespError) throw replyFailure(pong, opts);
        }
        return conn;
    } catch (e) {
        conn.close();
        throw e instanceof CheckFailure ? e : classifyError(e, where(opts), timeoutSec(opts));
    }
}

function replyFailure(reply: RespError, opts: EndpointOptions): CheckFailure {
    return (
        classifyReply(reply.message, where(opts)) ??
        new CheckFailure("error", `${where(opts)} answered: ${reply.message}`)
    );
}

async function text(conn: RespConnection, args: string[]): Promise<string | RespError> {
    const v = await conn.command(args);
    if (v instanceof RespError) return v;
    if (typeof v !== "string")
        throw new CheckFailure("error", `${args.join(" ")} on ${where(conn.opts)} gave an unexpected reply`);
    return v;
}

export async function probe(opts: EndpointOptions, password: string | undefined): Promise<ProbeResult> {
    const conn = await connectAuthed(opts, password);
    try {
        const server = await text(conn, ["INFO", "server"]);
        const serverVersion = typeof server === "string" ? (parseInfo(server).redis_version ?? "unknown") : "unknown";
        const ci = await text(conn, ["CLUSTER", "INFO"]);
        if (ci instanceof RespError) {
            if (!/cluster support disabled/i.test(ci.message)) throw replyFailure(ci, opts);
            const repl = await text(conn, ["INFO", "replication"]);
            const info = typeof repl === "string" ? parseInfo(repl) : {};
            if (info.role === "slave") {
                throw new CheckFailure("replica", `${where(opts)} is a read-only replica: use the primary endpoint`);
            }
            return {
                clusterMode: false,
                serverVersion,
                role: info.role,
                connectedReplicas: Number(info.connected_slaves ?? 0),
            };
        }
        const clusterInfo = parseInfo(ci);
        if (clusterInfo.cluster_state !== "ok") {
            const served = clusterInfo.cluster_slots_ok ?? "?";
            throw new CheckFailure(
                "cluster-down",
                `cluster at ${where(opts)} is down: cluster_state:${clusterInfo.cluster_state ?? "?"} (${served} of 16384 slots ok, ${clusterInfo.cluster_slots_fail ?? "?"} failing)`,
            );
        }
        return { clusterMode: true, serverVersion, clusterInfo, connectedReplicas: 0 };
    } catch (e) {
        throw e instanceof CheckFailure ? e : classifyError(e, where(opts), timeoutSec(opts));
    } finally {
        conn.close();
    }
}

export interface Redirect {
    readonly key: string;
    readonly slot: number;
    readonly to: string;
}

/**
 * Writes the given keys as `redis-cli -c` does: on one connection at a time, starting at the endpoint,
 * following each MOVED to the node it names and staying there. `onRedirect` gets each redirect as it happens.
 */
export async function redirectTour(
    opts: EndpointOptions,
    password: string | undefined,
    writes: readonly { key: string; value: string }[],
    onRedirect: (r: Redirect) => void,
): Promise<Redirect[]> {
    const redirects: Redirect[] = [];
    let conn = await connectAuthed(opts, password);
    try {
        for (const w of writes) {
            for (let hop = 0; ; hop++) {
                const reply: RespValue = await conn.command(["SET", w.key, w.value]);
                if (!(reply instanceof RespError)) break;
                const r = parseRedirect(reply.message);
                if (!r || hop >= 5) throw replyFailure(reply, conn.opts);
                // An empty host in MOVED means "the address you reached me at".
                const host = r.host === "" ? conn.opts.host : r.host;
                const redirect: Redirect = { key: w.key, slot: r.slot, to: `${host}:${r.port}` };
                redirects.push(redirect);
                onRedirect(redirect);
                conn.close();
                conn = await connectAuthed({ ...opts, host, port: r.port }, password);
                if (r.kind === "ASK") await conn.command(["ASKING"]);
            }
        }
        return redirects;
    } finally {
        conn.close();
    }
}
