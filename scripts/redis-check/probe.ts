/**
 * Before ioredis: one raw connection to the endpoint to find out, step by step, whether the name
 * resolves, the port answers, TLS and AUTH work, and whether cluster mode is on and the cluster is up.
 */
import {
    Deadline,
    type EndpointOptions,
    firstCommand,
    openChecked,
    type RespConnection,
    resolveHost,
    where,
} from "./connection";
import { RedisCheckError, classifyError, classifyReply } from "./failures";
import { type Credentials, type Redirect } from "./options";
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

/** AUTH as redis-cli sends it: with --user, `AUTH user password` (Redis 6 ACLs, ElastiCache RBAC). */
export function authCommand(creds: Credentials): string[] {
    if (creds.password === undefined) return ["PING"];
    return creds.user === undefined ? ["AUTH", creds.password] : ["AUTH", creds.user, creds.password];
}

/**
 * Opens and authenticates a connection, all within one --timeout; every failure is a RedisCheckError with
 * one line.
 */
export async function connectAuthed(opts: EndpointOptions, creds: Credentials): Promise<RespConnection> {
    const deadline = new Deadline(opts.timeoutMs);
    try {
        await resolveHost(opts.host, deadline.remaining());
    } catch (e) {
        throw classifyError(e, where(opts), timeoutSec(opts));
    }
    const conn = await openChecked(opts, deadline);
    try {
        const first = await firstCommand(conn, authCommand(creds), deadline, creds.user);
        if (first instanceof RespError) throw replyFailure(first, opts, creds.user);
        if (creds.password !== undefined) {
            const pong = await conn.command(["PING"], deadline.remaining());
            if (pong instanceof RespError) throw replyFailure(pong, opts, creds.user);
        }
        return conn;
    } catch (e) {
        conn.close();
        throw e instanceof RedisCheckError ? e : classifyError(e, where(opts), timeoutSec(opts), creds.user);
    }
}

function replyFailure(reply: RespError, opts: EndpointOptions, user?: string): RedisCheckError {
    return (
        classifyReply(reply.message, where(opts), user) ??
        new RedisCheckError("error", `${where(opts)} answered: ${reply.message}`)
    );
}

async function text(conn: RespConnection, args: string[]): Promise<string | RespError> {
    const v = await conn.command(args);
    if (v instanceof RespError) return v;
    if (typeof v !== "string")
        throw new RedisCheckError("error", `${args.join(" ")} on ${where(conn.opts)} gave an unexpected reply`);
    return v;
}

export async function probe(opts: EndpointOptions, creds: Credentials): Promise<ProbeResult> {
    const conn = await connectAuthed(opts, creds);
    try {
        const server = await text(conn, ["INFO", "server"]);
        const serverVersion = typeof server === "string" ? (parseInfo(server).redis_version ?? "unknown") : "unknown";
        const ci = await text(conn, ["CLUSTER", "INFO"]);
        if (ci instanceof RespError) {
            if (!/cluster support disabled/i.test(ci.message)) throw replyFailure(ci, opts);
            const repl = await text(conn, ["INFO", "replication"]);
            const info = typeof repl === "string" ? parseInfo(repl) : {};
            if (info.role === "slave") {
                throw new RedisCheckError("replica", `${where(opts)} is a read-only replica: use the primary endpoint`);
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
            throw new RedisCheckError(
                "cluster-down",
                `cluster at ${where(opts)} is down: cluster_state:${clusterInfo.cluster_state ?? "?"} (${served} of 16384 slots ok, ${clusterInfo.cluster_slots_fail ?? "?"} failing)`,
            );
        }
        return { clusterMode: true, serverVersion, clusterInfo, connectedReplicas: 0 };
    } catch (e) {
        throw e instanceof RedisCheckError ? e : classifyError(e, where(opts), timeoutSec(opts));
    } finally {
        conn.close();
    }
}

/**
 * Writes the given keys as `redis-cli -c` does: on one connection at a time, starting at the endpoint,
 * following each MOVED to the node it names and staying there. `onRedirect` gets each redirect as it happens.
 * Each key expires after ttlMs (the check's safety expiry).
 */
export async function redirectTour(
    opts: EndpointOptions,
    creds: Credentials,
    ttlMs: number,
    writes: readonly { key: string; value: string }[],
    onRedirect: (r: Redirect) => void,
): Promise<Redirect[]> {
    const redirects: Redirect[] = [];
    let conn = await connectAuthed(opts, creds);
    try {
        for (const w of writes) {
            for (let hop = 0; ; hop++) {
                const reply: RespValue = await conn.command(["SET", w.key, w.value, "PX", ttlMs]);
                if (!(reply instanceof RespError)) break;
                const r = parseRedirect(reply.message);
                if (!r || hop >= 5) throw replyFailure(reply, conn.opts);
                // An empty host in MOVED means "the address you reached me at".
                const host = r.host === "" ? conn.opts.host : r.host;
                const redirect: Redirect = { key: w.key, slot: r.slot, to: `${host}:${r.port}` };
                redirects.push(redirect);
                onRedirect(redirect);
                conn.close();
                conn = await connectAuthed({ ...opts, host, port: r.port }, creds);
                if (r.kind === "ASK") await conn.command(["ASKING"]);
            }
        }
        return redirects;
    } finally {
        conn.close();
    }
}
