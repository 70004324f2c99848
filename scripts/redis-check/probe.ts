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
import { escapeControl } from "../../policy/shared";
import { RedisCheckError, classifyError, classifyReply } from "./failures";
import { type Credentials, type Redirect } from "./options";
import { infoCount, parseInfo, parseRedirect, RespError, type RespValue } from "./resp";

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
            const connectedReplicas = infoCount(info, "connected_slaves");
            if (connectedReplicas === undefined) {
                throw new RedisCheckError(
                    "error",
                    `INFO replication on ${where(opts)} gave connected_slaves ${JSON.stringify(escapeControl(info.connected_slaves))}, not a count`,
                );
            }
            return { clusterMode: false, serverVersion, role: info.role, connectedReplicas };
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
 * The node addresses (`host:port`) of a CLUSTER SLOTS reply, primaries and replicas: `[start, end, [host, port,
 * id?], ...]` per range. An empty host means the address the reply came from (`endpointHost`). Undefined when the
 * reply is not a slot map.
 */
export function slotMapAddresses(reply: RespValue, endpointHost: string): Set<string> | undefined {
    if (!Array.isArray(reply)) return undefined;
    const addresses = new Set<string>();
    for (const range of reply) {
        if (!Array.isArray(range) || range.length < 3) return undefined;
        for (const node of range.slice(2)) {
            if (!Array.isArray(node) || typeof node[0] !== "string" || typeof node[1] !== "number") return undefined;
            addresses.add(`${node[0] === "" || node[0] === "?" ? endpointHost : node[0]}:${node[1]}`);
        }
    }
    return addresses;
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
        // A redirect is followed only to a node of the cluster's own slot map: each hop gets the AUTH token, and a
        // MOVED naming any other host (a hostile or compromised node, a spoofed reply) would hand it over.
        const slots = await conn.command(["CLUSTER", "SLOTS"]);
        const nodes = slotMapAddresses(slots, opts.host);
        if (nodes === undefined) {
            throw new RedisCheckError(
                "error",
                `CLUSTER SLOTS on ${where(opts)} gave ${slots instanceof RespError ? `an error: ${slots.message}` : "a reply that is not a slot map"}`,
            );
        }
        for (const w of writes) {
            for (let hop = 0; ; hop++) {
                const reply: RespValue = await conn.command(["SET", w.key, w.value, "PX", ttlMs]);
                if (!(reply instanceof RespError)) break;
                const r = parseRedirect(reply.message);
                if (!r || hop >= 5) throw replyFailure(reply, conn.opts);
                // An empty host in MOVED means "the address you reached me at".
                const host = r.host === "" ? conn.opts.host : r.host;
                if (!nodes.has(`${host}:${r.port}`)) {
                    throw new RedisCheckError(
                        "error",
                        `${where(conn.opts)} redirected key ${w.key} (slot ${r.slot}) with ${r.kind} to ${host}:${r.port}, which the cluster's slot map (CLUSTER SLOTS) does not list: not following it, which would send it the AUTH token`,
                    );
                }
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
