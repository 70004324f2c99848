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
import { type RedisCheckEvents, type RedisCheckOptions } from "./options";
import { execErrors, firstLine, runPhase } from "./phases";
import { probe, redirectTour } from "./probe";
import { formatRanges, type RedisCheckReport, type Retry } from "./report";
import { summarizeLatency } from "./stats";
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

export async function runRedisCheck(o: RedisCheckOptions, events: RedisCheckEvents = {}): Promise<RedisCheckReport> {
    const started = Date.now();
    const runId = randomBytes(4).toString("hex");
    const ttlMs = keyTtlMs(o);
    const report: RedisCheckReport = {
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
    let top: Topology | undefined;
    let planned: PlannedKey[] = [];
    const retried = new Map<string, Retry>();
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
        planned = planKeys(report.keysPlanned, `redis-check:${runId}`, t.shards);

        // The tutorial's redis-cli -c walk: one key per shard through the endpoint, following MOVED.
        if (p.clusterMode) {
            const tourKeys = planned.slice(0, t.shards.length);
            report.redirects = await interruptible(
                redirectTour(
                    o,
                    o,
                    ttlMs,
                    tourKeys.map((k) => ({ key: k.key, value: valueFor(runId, k) })),
                    (r) => events.redirect?.(r),
                ),
                o.signal,
                "following redirects",
            );
        }

        // Redirects met during the bulk phases, once per slot and target (a resharding would move thousands of keys).
        const seen = new Set(report.redirects.map((r) => `${r.slot}@${r.to}`));
        const bulkEvents: RedisCheckEvents = {
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
                for (const k of g.keys) pipe.set(k.key, valueFor(runId, k), "PX", ttlMs);
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
            throw new RedisCheckError(
                "data",
                `${report.keysReadBack} of ${planned.length} keys read back: ${report.lost.length} acknowledged write(s) lost, ${report.mismatched.length} with another value (first: ${[...report.lost, ...report.mismatched][0]})`,
            );
        }
        report.ok = true;
    } catch (e) {
        let f = classifyError(e, where(o), Math.round(o.timeoutMs / 1000), o.user);
        if (f.kind === "error" && top && !o.signal?.aborted) {
            // A shard that stays unreachable mid-run: ask the endpoint whether the cluster as a whole is down.
            try {
                await probe(o, o);
            } catch (p) {
                if (p instanceof RedisCheckError && p.kind === "cluster-down")
                    f = new RedisCheckError("cluster-down", `${p.message}; ${f.message}`);
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
        top?.close();
        report.retried = [...retried.values()];
        report.durationMs = Date.now() - started;
    }
    return report;
}
