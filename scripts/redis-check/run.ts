/**
 * The connectivity check proper: probe, redirect tour, then with ioredis write N keys over every shard
 * (pipelined, each batch confirmed with WAIT where replicas exist), read them back, measure round trips,
 * and always delete what it wrote. Writes that fail while a shard fails over are retried until
 * --failover-wait runs out; a write counts as acknowledged only once its batch's reply (and WAIT) came back.
 * Every key carries a safety expiry (keyTtlMs), so a run killed before its cleanup leaves nothing permanent.
 */
import { randomBytes } from "crypto";
import { where } from "./connection";
import { RedisCheckError, classifyError } from "./failures";
import { planKeys, type PlannedKey } from "./keys";
import { type Redirect, type RedisCheckEvents, type RedisCheckOptions } from "./options";
import { execErrors, firstLine, runPhase } from "./phases";
import { probe, redirectTour } from "./probe";
import { formatRanges, type RedisCheckReport, type Retry, type ShardReport } from "./report";
import { type LatencySummary, summarizeLatency } from "./stats";
import { withTimeout } from "./timeout";
import { clusterTopology, standaloneTopology, type Topology } from "./topology";

const DEFAULT_LATENCY_SAMPLES = 200;

/** Resolves like `work`, or rejects (kind "interrupted") as soon as `signal` aborts; `work` is then abandoned. */
function interruptible<T>(work: Promise<T>, signal: AbortSignal | undefined, doing: string): Promise<T> {
    if (!signal) return work;
    return new Promise<T>((resolve, reject) => {
        const stop = (): void => reject(new RedisCheckError("interrupted", `interrupted while ${doing}`));
        if (signal.aborted) return stop();
        signal.addEventListener("abort", stop, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
    });
}

/**
 * The safety expiry of every key the check writes: longer than any run that has not given up yet, so the
 * expiry never races the read-back, yet finite, so a SIGKILLed run leaves nothing permanent. The bound is
 * the worst case of every step: each batch attempt (pipeline, slot refresh, WAIT) waits at most --timeout,
 * thrice per retry round, and its retries stop after --failover-wait; the write and read phases send
 * ceil(keys / batch) batches each (counted as if sequential); probe, redirect tour and latency samples wait at
 * most --timeout each. Doubled for margin. #10.12
 */
export function keyTtlMs(
    o: Pick<RedisCheckOptions, "keys" | "batch" | "timeoutMs" | "failoverWaitMs" | "latencySamples">,
): number {
    const batches = Math.ceil(o.keys / o.batch);
    const perBatch = 3 * o.timeoutMs + o.failoverWaitMs + 250;
    const singleSteps = (o.latencySamples ?? DEFAULT_LATENCY_SAMPLES) + 100;
    return 2 * (2 * batches * perBatch + singleSteps * o.timeoutMs);
}

export function valueFor(runId: string, k: PlannedKey): string {
    return `${runId}:${k.index}`;
}

/** What every phase of one run shares: its options, its id and keys' expiry, the report it fills, its retries. */
interface CheckRun {
    readonly o: RedisCheckOptions;
    readonly runId: string;
    readonly ttlMs: number;
    readonly report: RedisCheckReport;
    readonly retried: Map<string, Retry>;
}

/**
 * The check's phases in order: probe and topology, the redirect tour, write, read back, latency, the per-shard
 * summary; whatever happens, a diagnosis of the failure and the cleanup of every key written.
 */
export async function runRedisCheck(o: RedisCheckOptions, events: RedisCheckEvents = {}): Promise<RedisCheckReport> {
    const started = Date.now();
    const ttlMs = keyTtlMs(o);
    const run: CheckRun = {
        o,
        runId: randomBytes(4).toString("hex"),
        ttlMs,
        report: emptyReport(o, ttlMs),
        retried: new Map<string, Retry>(),
    };
    const { report } = run;
    let top: Topology | undefined;
    let planned: PlannedKey[] = [];
    try {
        // Until the bulk phases, an interrupt ends the wait at once: a server that never finishes a reply (or
        // trickles one) must not hold Ctrl-C or SIGTERM up until --timeout.
        const p = await interruptible(probe(o, o), o.signal, "probing the endpoint");
        report.serverVersion = p.serverVersion;
        report.clusterMode = p.clusterMode;
        top = await interruptible(
            p.clusterMode ? clusterTopology(o) : standaloneTopology(o, p.connectedReplicas),
            o.signal,
            "reading the topology",
        );
        const t = top;
        // At least one key per shard, or a shard would go unchecked.
        report.keysPlanned = Math.max(o.keys, t.shards.length);
        planned = planKeys(report.keysPlanned, `redis-check:${run.runId}`, t.shards);
        if (p.clusterMode) {
            report.redirects = await tourRedirects(run, planned.slice(0, t.shards.length), events);
        }
        const bulkEvents = newRedirectsOnly(report, events);
        const waitAcks = await writeKeys(run, t, planned, bulkEvents);
        const servedBy = await readKeysBack(run, t, planned, bulkEvents);
        report.latency = await sampleLatency(o, t, planned);
        report.shards = shardReports(t, planned, servedBy, waitAcks);
        assertReadBack(report, planned.length);
        report.ok = true;
    } catch (e) {
        report.failure = await diagnose(o, e, top !== undefined);
    } finally {
        if (top && planned.length > 0) {
            await deleteKeys(run, top, planned);
        }
        top?.close();
        report.retried = [...run.retried.values()];
        report.durationMs = Date.now() - started;
    }
    return report;
}

function emptyReport(o: RedisCheckOptions, ttlMs: number): RedisCheckReport {
    return {
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
        keyTtlMs: ttlMs,
        durationMs: 0,
    };
}

/** The tutorial's redis-cli -c walk: one key per shard through the endpoint, following MOVED. */
function tourRedirects(run: CheckRun, tourKeys: PlannedKey[], events: RedisCheckEvents): Promise<Redirect[]> {
    return interruptible(
        redirectTour(
            run.o,
            run.o,
            run.ttlMs,
            tourKeys.map((k) => ({ key: k.key, value: valueFor(run.runId, k) })),
            (r) => events.redirect?.(r),
        ),
        run.o.signal,
        "following redirects",
    );
}

/**
 * Redirects met during the bulk phases, reported and told once per slot and target (a resharding would move
 * thousands of keys).
 */
function newRedirectsOnly(report: RedisCheckReport, events: RedisCheckEvents): RedisCheckEvents {
    const seen = new Set(report.redirects.map((r) => `${r.slot}@${r.to}`));
    return {
        progress: events.progress,
        redirect: (r) => {
            const id = `${r.slot}@${r.to}`;
            if (seen.has(id)) return;
            seen.add(id);
            report.redirects.push(r);
            events.redirect?.(r);
        },
    };
}

/** Writes every key, each batch confirmed with WAIT where the shard has replicas; returns the fewest acks per shard. */
async function writeKeys(
    run: CheckRun,
    t: Topology,
    planned: PlannedKey[],
    events: RedisCheckEvents,
): Promise<Map<string, number>> {
    const { o, report } = run;
    const waitAcks = new Map<string, number>();
    const waitMs = Math.max(100, Math.min(1000, Math.floor(o.timeoutMs / 2)));
    const w0 = Date.now();
    await runPhase(
        "write",
        t,
        planned,
        o,
        run.retried,
        async (g) => {
            const pipe = g.node.pipeline();
            for (const k of g.keys) pipe.set(k.key, valueFor(run.runId, k), "PX", run.ttlMs);
            const replicas = t.replicasFor(g.keys[0].slot);
            // Well inside the pipeline's own timeout, so a replica that is gone costs a short wait, not a retry.
            if (replicas > 0) pipe.wait(replicas, waitMs);
            const res = await pipe.exec();
            const errors = execErrors(res, g, g.keys.length);
            if (replicas > 0 && res) {
                const [err, acked] = res[g.keys.length] ?? [new Error("no WAIT reply"), 0];
                if (err) {
                    // Unconfirmed: the primary may die before its replica has these, so write them again.
                    for (const k of g.keys) if (!errors.has(k.key)) errors.set(k.key, `WAIT failed: ${firstLine(err)}`);
                } else {
                    // WAIT answers a count of replicas: anything else is not a Redis answer (as for DEL below).
                    if (typeof acked !== "number" || !Number.isSafeInteger(acked) || acked < 0) {
                        throw new RedisCheckError(
                            "error",
                            `WAIT on ${g.addr} answered ${JSON.stringify(acked)?.slice(0, 60)}, not a count of replicas`,
                        );
                    }
                    const shard = g.keys[0].shard;
                    waitAcks.set(shard, Math.min(waitAcks.get(shard) ?? Infinity, acked));
                    // Fewer replicas than we asked for: the topology changed (failover); learn the new one.
                    if (acked < replicas) void t.refresh();
                }
            }
            return errors;
        },
        events,
    );
    const writeMs = Date.now() - w0;
    report.keysWritten = planned.length;
    report.writeOpsPerSec = Math.round((planned.length * 1000) / Math.max(writeMs, 1));
    return waitAcks;
}

/** Reads every key back and compares it with what was written; returns the nodes that served each shard. */
async function readKeysBack(
    run: CheckRun,
    t: Topology,
    planned: PlannedKey[],
    events: RedisCheckEvents,
): Promise<Map<string, Set<string>>> {
    const { report } = run;
    const servedBy = new Map<string, Set<string>>();
    const r0 = Date.now();
    await runPhase(
        "read",
        t,
        planned,
        run.o,
        run.retried,
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
                else if (value !== valueFor(run.runId, k)) report.mismatched.push(k.key);
                else report.keysReadBack++;
                const s = servedBy.get(k.shard) ?? new Set<string>();
                s.add(g.addr);
                servedBy.set(k.shard, s);
            });
            return errors;
        },
        events,
    );
    const readMs = Date.now() - r0;
    report.readOpsPerSec = Math.round((planned.length * 1000) / Math.max(readMs, 1));
    return servedBy;
}

/** Single GET round trips to each key's primary, spread over the keys. */
async function sampleLatency(o: RedisCheckOptions, t: Topology, planned: PlannedKey[]): Promise<LatencySummary> {
    const samples: number[] = [];
    const sampleCount = Math.min(planned.length, o.latencySamples ?? DEFAULT_LATENCY_SAMPLES);
    for (let i = 0; i < sampleCount; i++) {
        const k = planned[Math.floor((i * planned.length) / sampleCount)];
        const s0 = process.hrtime.bigint();
        // Straight to the slot's primary from the slot map, as the bulk phases do: ioredis's own routing would
        // follow a MOVED to any host a node names, and hand it the AUTH token; a redirect here loses the sample.
        const target = t.nodeFor(k.slot);
        if (target === undefined) continue;
        try {
            await withTimeout(target.node.get(k.key), o.timeoutMs, "GET");
            samples.push(Number(process.hrtime.bigint() - s0) / 1e6);
        } catch {
            // A sample lost to a failover in progress is not a connectivity failure; the data was verified above.
        }
    }
    return summarizeLatency(samples);
}

function shardReports(
    t: Topology,
    planned: PlannedKey[],
    servedBy: Map<string, Set<string>>,
    waitAcks: Map<string, number>,
): ShardReport[] {
    return t.shards.map((s) => {
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
}

/** A lost or changed acknowledged write fails the check. */
function assertReadBack(report: RedisCheckReport, plannedCount: number): void {
    const bad = report.lost.length + report.mismatched.length;
    if (bad > 0) {
        throw new RedisCheckError(
            "data",
            `${report.keysReadBack} of ${plannedCount} keys read back: ${report.lost.length} acknowledged write(s) lost, ${report.mismatched.length} with another value (first: ${[...report.lost, ...report.mismatched][0]})`,
        );
    }
}

/** The failure's kind and one-line reason; a shard unreachable mid-run asks the endpoint whether the cluster is down. */
async function diagnose(
    o: RedisCheckOptions,
    e: unknown,
    topologyKnown: boolean,
): Promise<NonNullable<RedisCheckReport["failure"]>> {
    let f = classifyError(e, where(o), Math.round(o.timeoutMs / 1000), o.user);
    if (f.kind === "error" && topologyKnown && !o.signal?.aborted) {
        try {
            await probe(o, o);
        } catch (p) {
            if (p instanceof RedisCheckError && p.kind === "cluster-down")
                f = new RedisCheckError("cluster-down", `${p.message}; ${f.message}`);
        }
    }
    return { kind: f.kind, reason: f.message };
}

/** Deletes every key planned, even after a failure or an interrupt, with a shorter failover wait. */
async function deleteKeys(run: CheckRun, t: Topology, planned: PlannedKey[]): Promise<void> {
    const { o, report } = run;
    try {
        await runPhase(
            "delete",
            t,
            planned,
            { ...o, failoverWaitMs: Math.min(o.failoverWaitMs, 10_000) },
            run.retried,
            async (g) => {
                const pipe = g.node.pipeline();
                // One DEL per key: a multi-key DEL must not span slots, even on one node.
                for (const k of g.keys) pipe.del(k.key);
                const res = await pipe.exec();
                const errors = execErrors(res, g, g.keys.length);
                if (res) {
                    g.keys.forEach((k, i) => {
                        if (errors.has(k.key)) return;
                        const n = res[i][1];
                        // DEL answers how many keys it removed: 0 or 1. Anything else is not a Redis answer.
                        if (n !== 0 && n !== 1) {
                            throw new RedisCheckError(
                                "error",
                                `DEL ${k.key} on ${g.addr} answered ${JSON.stringify(n)?.slice(0, 60)}, not an integer 0 or 1`,
                            );
                        }
                        report.keysDeleted += n;
                    });
                }
                return errors;
            },
            {},
            true,
        );
    } catch (e) {
        report.cleanupProblem = `cleanup incomplete: ${firstLine(e)}`;
    }
}
