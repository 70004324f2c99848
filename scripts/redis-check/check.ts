/**
 * The connectivity check proper: probe, redirect tour, then with ioredis write N keys over every shard
 * (pipelined, each batch confirmed with WAIT where replicas exist), read them back, measure round trips,
 * and always delete what it wrote. Writes that fail while a shard fails over are retried until
 * --failover-wait runs out; a write counts as acknowledged only once its batch's reply (and WAIT) came back.
 */
import { randomBytes } from "crypto";
import Redis, { Cluster } from "ioredis";
import { type EndpointOptions, where } from "./connection";
import { CheckFailure, classifyError, classifyReply } from "./errors";
import { planKeys, type PlannedKey, type Shard, shardsFromSlotOwners, type SlotRange, uncoveredSlots } from "./keys";
import { probe, type Redirect, redirectTour } from "./probe";
import { parseInfo, parseRedirect } from "./resp";
import { type LatencySummary, summarizeLatency } from "./stats";

export interface CheckOptions extends EndpointOptions {
    readonly password?: string;
    readonly keys: number;
    readonly batch: number;
    readonly failoverWaitMs: number;
    /** Pipelines in flight per shard (default 1). */
    readonly pipelines?: number;
    /** Stops the write/read phases early (e.g. on Ctrl-C); the cleanup still runs. */
    readonly signal?: AbortSignal;
    /** How many single GET round trips to time (at most one per key). */
    readonly latencySamples?: number;
}

export interface CheckEvents {
    redirect?(r: Redirect): void;
    progress?(phase: "write" | "read" | "delete", done: number, total: number): void;
}

export interface Retry {
    readonly key: string;
    /** The shard (its primary when the check started) the key belongs to. */
    readonly shard: string;
    readonly phase: "write" | "read" | "delete";
    readonly attempts: number;
    readonly reason: string;
}

export interface ShardReport {
    /** The shard's primary when the check started. */
    readonly id: string;
    readonly slots: string;
    /** Primaries that served this shard's keys (two after a failover). */
    readonly servedBy: string[];
    readonly keys: string[];
    readonly replicas: number;
    /** Lowest WAIT count over this shard's batches; undefined without replicas. */
    readonly replicationAcked?: number;
}

export interface CheckReport {
    ok: boolean;
    endpoint: string;
    tls: boolean;
    serverVersion?: string;
    clusterMode?: boolean;
    redirects: Redirect[];
    shards: ShardReport[];
    keysPlanned: number;
    keysWritten: number;
    keysReadBack: number;
    lost: string[];
    mismatched: string[];
    retried: Retry[];
    writeOpsPerSec?: number;
    readOpsPerSec?: number;
    latency?: LatencySummary;
    keysDeleted: number;
    cleanupProblem?: string;
    durationMs: number;
    failure?: { kind: string; reason: string };
}

export function formatRanges(ranges: readonly SlotRange[]): string {
    return ranges.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`)).join(",");
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
        p,
        new Promise<never>((_, reject) => {
            timer = setTimeout(
                () => reject(Object.assign(new Error(`${what} timed out after ${ms} ms`), { code: "ETIMEDOUT" })),
                ms,
            );
        }),
    ]).finally(() => clearTimeout(timer));
}

/**
 * Rejects as soon as the connection closes: with autoResendUnfulfilledCommands off, ioredis leaves the
 * commands that were in flight pending forever, and waiting for the timeout would slow failover down.
 */
function failOnClose<T>(node: Redis, p: Promise<T>): Promise<T> {
    let onClose: (() => void) | undefined;
    return Promise.race([
        p,
        new Promise<never>((_, reject) => {
            onClose = () => reject(new Error("connection closed with the pipeline in flight"));
            node.once("close", onClose);
        }),
    ]).finally(() => {
        if (onClose) node.off("close", onClose);
    });
}

function firstLine(e: unknown): string {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/** What the engine needs from either a cluster or a single primary. */
interface Topology {
    readonly shards: Shard[];
    /** The current primary for a slot, and its address. */
    nodeFor(slot: number): { node: Redis; addr: string } | undefined;
    /** Replicas behind the primary of a slot (WAIT's numreplicas). */
    replicasFor(slot: number): number;
    refresh(): Promise<void>;
    /** A client that routes by key itself, for the latency sample. */
    readonly router: Redis | Cluster;
    close(): void;
}

function nodeAddr(n: Redis): string {
    return `${n.options.host}:${n.options.port}`;
}

async function clusterTopology(o: CheckOptions): Promise<Topology> {
    const cluster = new Cluster([{ host: o.host, port: o.port }], {
        // Keep the endpoint name: ElastiCache's certificates name hosts, not IPs.
        dnsLookup: (address, callback) => callback(null, address),
        redisOptions: {
            tls: o.tls ? { ca: o.ca } : undefined,
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
    cluster.on("error", () => undefined);
    try {
        await withTimeout(cluster.connect(), o.timeoutMs * 2, "cluster connect");
    } catch (e) {
        cluster.disconnect();
        throw classifyError(e, where(o), Math.round(o.timeoutMs / 1000));
    }
    const owners = (): (string | undefined)[] => {
        const a: (string | undefined)[] = [];
        for (let s = 0; s < 16384; s++) a.push(cluster.slots[s]?.[0]);
        return a;
    };
    const initial = owners();
    const missing = uncoveredSlots(initial);
    if (missing > 0) {
        cluster.disconnect();
        throw new CheckFailure("cluster-down", `cluster at ${where(o)} does not serve ${missing} of 16384 slots`);
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
        router: cluster,
        close: () => cluster.disconnect(),
    };
}

async function standaloneTopology(o: CheckOptions, initialReplicas: number): Promise<Topology> {
    let replicas = initialReplicas;
    const client = new Redis({
        host: o.host,
        port: o.port,
        tls: o.tls ? { ca: o.ca } : undefined,
        password: o.password,
        connectTimeout: o.timeoutMs,
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        autoResendUnfulfilledCommands: false,
        retryStrategy: (times) => (times * 250 > o.failoverWaitMs ? null : 250),
    });
    client.on("error", () => undefined);
    try {
        await withTimeout(client.connect(), o.timeoutMs * 2, "connect");
    } catch (e) {
        client.disconnect();
        throw classifyError(e, where(o), Math.round(o.timeoutMs / 1000));
    }
    const addr = where(o);
    const refresh = async (): Promise<void> => {
        try {
            const info = parseInfo(await withTimeout(client.info("replication"), o.timeoutMs, "INFO replication"));
            if (info.role === "master") replicas = Number(info.connected_slaves ?? 0);
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
        router: client,
        close: () => client.disconnect(),
    };
}

interface Group {
    node: Redis;
    addr: string;
    keys: PlannedKey[];
}

function groupByNode(
    top: Topology,
    keys: readonly PlannedKey[],
    failed: (k: PlannedKey, reason: string) => void,
): Group[] {
    const groups = new Map<string, Group>();
    for (const k of keys) {
        const n = top.nodeFor(k.slot);
        if (!n) {
            failed(k, `no connection to the primary for slot ${k.slot}`);
            continue;
        }
        const g = groups.get(n.addr) ?? { node: n.node, addr: n.addr, keys: [] };
        g.keys.push(k);
        groups.set(n.addr, g);
    }
    return [...groups.values()];
}

type Phase = "write" | "read" | "delete";

/**
 * Runs `send` for batches of each shard's keys, one pipeline in flight per shard, retrying the keys it
 * reports as failed (after a slot map refresh) until `deadline`. Returns when all succeeded.
 */
async function runPhase(
    phase: Phase,
    top: Topology,
    keys: readonly PlannedKey[],
    o: CheckOptions,
    retried: Map<string, Retry>,
    send: (g: Group) => Promise<Map<string, string>>, // key -> failure reason
    events: CheckEvents,
    ignoreSignal = false,
): Promise<void> {
    let done = 0;
    const byShard = new Map<string, PlannedKey[]>();
    for (const k of keys) {
        const list = byShard.get(k.shard) ?? [];
        list.push(k);
        byShard.set(k.shard, list);
    }
    // Once one worker gives up (or the user interrupts), the others stop too instead of retrying on.
    let stopped = false;
    const checkStop = (): void => {
        if (o.signal?.aborted && !ignoreSignal)
            throw new CheckFailure(
                "interrupted",
                `interrupted during the ${phase}s; the keys written so far were deleted`,
            );
    };
    const work = async (list: PlannedKey[], cursor: { next: number }): Promise<void> => {
        try {
            await worker(list, cursor);
        } catch (e) {
            stopped = true;
            throw e;
        }
    };
    const worker = async (list: PlannedKey[], cursor: { next: number }): Promise<void> => {
        while (cursor.next < list.length && !stopped) {
            checkStop();
            const i = cursor.next;
            cursor.next += o.batch;
            let pending = list.slice(i, i + o.batch);
            let deadline: number | undefined;
            while (pending.length > 0) {
                const failed = new Map<PlannedKey, string>();
                const groups = groupByNode(top, pending, (k, reason) => failed.set(k, reason));
                await Promise.all(
                    groups.map(async (g) => {
                        let errors: Map<string, string>;
                        try {
                            errors = await withTimeout(
                                failOnClose(g.node, send(g)),
                                o.timeoutMs,
                                `${phase} pipeline to ${g.addr}`,
                            );
                        } catch (e) {
                            errors = new Map(g.keys.map((k) => [k.key, firstLine(e)]));
                        }
                        for (const k of g.keys) {
                            const reason = errors.get(k.key);
                            if (reason === undefined) continue;
                            failed.set(k, `${reason} (at ${g.addr})`);
                            // A MOVED/ASK here is a real redirect (slots moved, e.g. by a failover): say so as redis-cli would.
                            const r = parseRedirect(reason);
                            if (r)
                                events.redirect?.({
                                    key: k.key,
                                    slot: r.slot,
                                    to: `${r.host || g.addr.slice(0, g.addr.lastIndexOf(":"))}:${r.port}`,
                                });
                        }
                    }),
                );
                done += pending.length - failed.size;
                events.progress?.(phase, done, keys.length);
                if (failed.size === 0) break;
                deadline ??= Date.now() + o.failoverWaitMs;
                for (const [k, reason] of failed) {
                    const id = `${phase}:${k.key}`;
                    const prev = retried.get(id);
                    retried.set(id, {
                        key: k.key,
                        shard: k.shard,
                        phase,
                        attempts: (prev?.attempts ?? 0) + 1,
                        reason: prev?.reason ?? reason,
                    });
                }
                if (Date.now() >= deadline) {
                    const [k, reason] = failed.entries().next().value as [PlannedKey, string];
                    const known = classifyReply(reason, k.shard);
                    throw new CheckFailure(
                        known?.kind === "cluster-down" ? "cluster-down" : (known?.kind ?? "error"),
                        `${phase} of ${failed.size} key(s) on shard ${k.shard} still failing after ${Math.round(o.failoverWaitMs / 1000)}s: ${reason}`,
                    );
                }
                await sleep(250);
                if (stopped) return;
                checkStop();
                await top.refresh();
                pending = [...failed.keys()];
            }
        }
    };
    // Several pipelines in flight per shard, so the client encodes the next batch while one is on the wire.
    // allSettled: every pipeline sent must be done before the next phase (a DEL must not overtake a SET).
    const results = await Promise.allSettled(
        [...byShard.values()].flatMap((list) => {
            const cursor = { next: 0 };
            return Array.from({ length: Math.max(1, o.pipelines ?? 1) }, () => work(list, cursor));
        }),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) throw failure.reason;
}

function execErrors(results: [Error | null, unknown][] | null, g: Group, count: number): Map<string, string> {
    const errors = new Map<string, string>();
    if (!results) {
        for (const k of g.keys) errors.set(k.key, "pipeline aborted");
        return errors;
    }
    for (let i = 0; i < count; i++) {
        const err = results[i]?.[0];
        if (err) errors.set(g.keys[i].key, firstLine(err));
    }
    return errors;
}

export function valueFor(runId: string, k: PlannedKey): string {
    return `${runId}:${k.index}`;
}

export async function runCheck(o: CheckOptions, events: CheckEvents = {}): Promise<CheckReport> {
    const started = Date.now();
    const runId = randomBytes(4).toString("hex");
    const report: CheckReport = {
        ok: false,
        endpoint: where(o),
        tls: o.tls,
        redirects: [],
        shards: [],
        keysPlanned: o.keys,
        keysWritten: 0,
        keysReadBack: 0,
        lost: [],
        mismatched: [],
        retried: [],
        keysDeleted: 0,
        durationMs: 0,
    };
    let top: Topology | undefined;
    let planned: PlannedKey[] = [];
    const retried = new Map<string, Retry>();
    try {
        const p = await probe(o, o.password);
        report.serverVersion = p.serverVersion;
        report.clusterMode = p.clusterMode;
        top = p.clusterMode ? await clusterTopology(o) : await standaloneTopology(o, p.connectedReplicas);
        const t = top;
        // At least one key per shard, or a shard would go unchecked.
        report.keysPlanned = Math.max(o.keys, t.shards.length);
        planned = planKeys(report.keysPlanned, `redis-check:${runId}`, t.shards);

        // The tutorial's redis-cli -c walk: one key per shard through the endpoint, following MOVED.
        if (p.clusterMode) {
            const tourKeys = planned.slice(0, t.shards.length);
            report.redirects = await redirectTour(
                o,
                o.password,
                tourKeys.map((k) => ({ key: k.key, value: valueFor(runId, k) })),
                (r) => events.redirect?.(r),
            );
        }

        // Redirects met during the bulk phases, once per slot and target (a resharding would move thousands of keys).
        const seen = new Set(report.redirects.map((r) => `${r.slot}@${r.to}`));
        const bulkEvents: CheckEvents = {
            progress: events.progress,
            redirect: (r) => {
                const id = `${r.slot}@${r.to}`;
                if (seen.has(id)) return;
                seen.add(id);
                report.redirects.push(r);
                events.redirect?.(r);
            },
        };
        const waitAcks = new Map<string, number>();
        const waitMs = Math.max(100, Math.min(1000, Math.floor(o.timeoutMs / 2)));
        const servedBy = new Map<string, Set<string>>();
        const w0 = Date.now();
        await runPhase(
            "write",
            t,
            planned,
            o,
            retried,
            async (g) => {
                const pipe = g.node.pipeline();
                for (const k of g.keys) pipe.set(k.key, valueFor(runId, k));
                const replicas = t.replicasFor(g.keys[0].slot);
                // Well inside the pipeline's own timeout, so a replica that is gone costs a short wait, not a retry.
                if (replicas > 0) pipe.wait(replicas, waitMs);
                const res = await pipe.exec();
                const errors = execErrors(res, g, g.keys.length);
                if (replicas > 0 && res) {
                    const [err, acked] = res[g.keys.length] ?? [new Error("no WAIT reply"), 0];
                    if (err) {
                        // Unconfirmed: the primary may die before its replica has these, so write them again.
                        for (const k of g.keys)
                            if (!errors.has(k.key)) errors.set(k.key, `WAIT failed: ${firstLine(err)}`);
                    } else {
                        const shard = g.keys[0].shard;
                        waitAcks.set(shard, Math.min(waitAcks.get(shard) ?? Infinity, Number(acked)));
                        // Fewer replicas than we asked for: the topology changed (failover); learn the new one.
                        if (Number(acked) < replicas) void t.refresh();
                    }
                }
                return errors;
            },
            bulkEvents,
        );
        const writeMs = Date.now() - w0;
        report.keysWritten = planned.length;
        report.writeOpsPerSec = Math.round((planned.length * 1000) / Math.max(writeMs, 1));

        const r0 = Date.now();
        await runPhase(
            "read",
            t,
            planned,
            o,
            retried,
            async (g) => {
                const pipe = g.node.pipeline();
                for (const k of g.keys) pipe.get(k.key);
                const res = await pipe.exec();
                const errors = execErrors(res, g, g.keys.length);
                if (!res) return errors;
                g.keys.forEach((k, i) => {
                    if (errors.has(k.key)) return;
                    const value = res[i][1];
                    if (value === null) report.lost.push(k.key);
                    else if (value !== valueFor(runId, k)) report.mismatched.push(k.key);
                    else report.keysReadBack++;
                    const s = servedBy.get(k.shard) ?? new Set<string>();
                    s.add(g.addr);
                    servedBy.set(k.shard, s);
                });
                return errors;
            },
            bulkEvents,
        );
        const readMs = Date.now() - r0;
        report.readOpsPerSec = Math.round((planned.length * 1000) / Math.max(readMs, 1));

        const samples: number[] = [];
        const sampleCount = Math.min(planned.length, o.latencySamples ?? 200);
        for (let i = 0; i < sampleCount; i++) {
            const k = planned[Math.floor((i * planned.length) / sampleCount)];
            const s0 = process.hrtime.bigint();
            try {
                await withTimeout(t.router.get(k.key), o.timeoutMs, "GET");
                samples.push(Number(process.hrtime.bigint() - s0) / 1e6);
            } catch {
                // A sample lost to a failover in progress is not a connectivity failure; the data was verified above.
            }
        }
        report.latency = summarizeLatency(samples);

        report.shards = t.shards.map((s) => {
            const mine = planned.filter((k) => k.shard === s.id);
            const replicas = t.replicasFor(s.ranges[0].start);
            return {
                id: s.id,
                slots: formatRanges(s.ranges),
                servedBy: [...(servedBy.get(s.id) ?? [])],
                keys: mine.map((k) => k.key),
                replicas,
                replicationAcked: replicas > 0 || waitAcks.has(s.id) ? waitAcks.get(s.id) : undefined,
            };
        });
        const bad = report.lost.length + report.mismatched.length;
        if (bad > 0) {
            throw new CheckFailure(
                "data",
                `${report.keysReadBack} of ${planned.length} keys read back: ${report.lost.length} acknowledged write(s) lost, ${report.mismatched.length} with another value (first: ${[...report.lost, ...report.mismatched][0]})`,
            );
        }
        report.ok = true;
    } catch (e) {
        let f = classifyError(e, where(o), Math.round(o.timeoutMs / 1000));
        if (f.kind === "error" && top && !o.signal?.aborted) {
            // A shard that stays unreachable mid-run: ask the endpoint whether the cluster as a whole is down.
            try {
                await probe(o, o.password);
            } catch (p) {
                if (p instanceof CheckFailure && p.kind === "cluster-down")
                    f = new CheckFailure("cluster-down", `${p.message}; ${f.message}`);
            }
        }
        report.failure = { kind: f.kind, reason: f.message };
    } finally {
        if (top && planned.length > 0) {
            const t = top;
            try {
                await runPhase(
                    "delete",
                    t,
                    planned,
                    { ...o, failoverWaitMs: Math.min(o.failoverWaitMs, 10_000) },
                    retried,
                    async (g) => {
                        const pipe = g.node.pipeline();
                        // One DEL per key: a multi-key DEL must not span slots, even on one node.
                        for (const k of g.keys) pipe.del(k.key);
                        const res = await pipe.exec();
                        const errors = execErrors(res, g, g.keys.length);
                        if (res)
                            g.keys.forEach((k, i) => (report.keysDeleted += errors.has(k.key) ? 0 : Number(res[i][1])));
                        return errors;
                    },
                    {},
                    true,
                );
            } catch (e) {
                report.cleanupProblem = `cleanup incomplete: ${firstLine(e)}`;
            }
        }
        top?.close();
        report.retried = [...retried.values()];
        report.durationMs = Date.now() - started;
    }
    return report;
}
