/**
 * The shards behind the endpoint as ioredis sees them, for the bulk phases: a cluster (slot map, primaries,
 * replicas per slot) or a single primary (whose replicas WAIT asks for).
 */
import Redis, { Cluster } from "ioredis";
import { where } from "./connection";
import { RedisCheckError, classifyError } from "./failures";
import { type Shard, shardsFromSlotOwners, uncoveredSlots } from "./keys";
import { type RedisCheckOptions } from "./options";
import { withTimeout } from "./timeout";
import { infoCount, parseInfo } from "./resp";

export interface Topology {
    readonly shards: Shard[];
    /** The current primary for a slot, and its address. */
    nodeFor(slot: number): { node: Redis; addr: string } | undefined;
    /** Replicas behind the primary of a slot (WAIT's numreplicas). */
    replicasFor(slot: number): number;
    refresh(): Promise<void>;
    close(): void;
}

function nodeAddr(n: Redis): string {
    return `${n.options.host}:${n.options.port}`;
}

/**
 * Connects within --timeout, or drops the client and throws the failure as the one line that names its cause.
 * Errors are also emitted as events, which the connect's rejection already reports: the handler keeps them
 * from being unhandled.
 */
async function connectOrClassify(client: Redis | Cluster, o: RedisCheckOptions, what: string): Promise<void> {
    client.on("error", () => undefined);
    try {
        await withTimeout(client.connect(), o.timeoutMs, what);
    } catch (e) {
        client.disconnect();
        throw classifyError(e, where(o), Math.round(o.timeoutMs / 1000), o.user);
    }
}

export async function clusterTopology(o: RedisCheckOptions): Promise<Topology> {
    const cluster = new Cluster([{ host: o.host, port: o.port }], {
        // Keep the endpoint name: ElastiCache's certificates name hosts, not IPs.
        dnsLookup: (address, callback) => callback(null, address),
        redisOptions: {
            tls: o.tls ? { ca: o.ca } : undefined,
            username: o.user,
            password: o.password,
            connectTimeout: o.timeoutMs,
            maxRetriesPerRequest: 1,
            // A command in flight when a connection breaks must fail, not be resent silently: its SET may have
            // been acknowledged by a primary that died before replicating it. The check retries it openly.
            autoResendUnfulfilledCommands: false,
        },
        lazyConnect: true,
        // ioredis would otherwise retry forever; the failover budget bounds it instead.
        clusterRetryStrategy: (times) => (times * 250 > o.failoverWaitMs ? null : 250),
        slotsRefreshTimeout: o.timeoutMs,
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 200,
        retryDelayOnTryAgain: 200,
        maxRedirections: 32,
    });
    await connectOrClassify(cluster, o, "cluster connect");
    const owners = (): (string | undefined)[] => {
        const a: (string | undefined)[] = [];
        for (let s = 0; s < 16384; s++) a.push(cluster.slots[s]?.[0]);
        return a;
    };
    const initial = owners();
    const missing = uncoveredSlots(initial);
    if (missing > 0) {
        cluster.disconnect();
        throw new RedisCheckError("cluster-down", `cluster at ${where(o)} does not serve ${missing} of 16384 slots`);
    }
    const byAddr = (): Map<string, Redis> => new Map(cluster.nodes("master").map((n) => [nodeAddr(n), n]));
    let masters = byAddr();
    cluster.on("refresh", () => {
        masters = byAddr();
    });
    cluster.on("+node", () => {
        masters = byAddr();
    });
    cluster.on("-node", () => {
        masters = byAddr();
    });
    return {
        shards: shardsFromSlotOwners(initial),
        nodeFor(slot) {
            const addr = cluster.slots[slot]?.[0];
            if (addr === undefined) return undefined;
            const node = masters.get(addr) ?? byAddr().get(addr);
            return node && node.status !== "end" ? { node, addr } : undefined;
        },
        replicasFor(slot) {
            return Math.max(0, (cluster.slots[slot]?.length ?? 1) - 1);
        },
        refresh: () =>
            withTimeout(
                new Promise<void>((resolve) => cluster.refreshSlotsCache(() => resolve())),
                o.timeoutMs,
                "slot map refresh",
            ).catch(() => undefined),
        close: () => cluster.disconnect(),
    };
}

export async function standaloneTopology(o: RedisCheckOptions, initialReplicas: number): Promise<Topology> {
    let replicas = initialReplicas;
    const client = new Redis({
        host: o.host,
        port: o.port,
        tls: o.tls ? { ca: o.ca } : undefined,
        username: o.user,
        password: o.password,
        connectTimeout: o.timeoutMs,
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        autoResendUnfulfilledCommands: false,
        retryStrategy: (times) => (times * 250 > o.failoverWaitMs ? null : 250),
    });
    await connectOrClassify(client, o, "connect");
    const addr = where(o);
    const refresh = async (): Promise<void> => {
        try {
            const info = parseInfo(await withTimeout(client.info("replication"), o.timeoutMs, "INFO replication"));
            // A count the server garbled keeps the last good one (WAIT must never get NaN).
            if (info.role === "master") replicas = infoCount(info, "connected_slaves") ?? replicas;
        } catch {
            // Still reconnecting; the caller retries.
        }
    };
    client.on("ready", () => void refresh());
    return {
        shards: [{ id: addr, ranges: [{ start: 0, end: 16383 }] }],
        nodeFor: () => (client.status !== "end" ? { node: client, addr } : undefined),
        replicasFor: () => replicas,
        // After a failure the endpoint may lead to a new primary (ElastiCache moves the primary endpoint's
        // DNS name on failover), with its own replicas: WAIT must ask for those, not the old count.
        refresh,
        close: () => client.disconnect(),
    };
}
