/**
 * The bulk phases' engine: each shard's keys in pipelined batches (several in flight per shard), every batch
 * bounded by --timeout, failed keys retried after a slot map refresh until --failover-wait runs out.
 */
import type Redis from "ioredis";
import { RedisCheckError, classifyReply } from "./failures";
import { type PlannedKey } from "./keys";
import { type Phase, type RedisCheckEvents, type RedisCheckOptions } from "./options";
import { type Retry } from "./report";
import { parseRedirect } from "./resp";
import { withTimeout } from "./timeout";
import { type Topology } from "./topology";

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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

export function firstLine(e: unknown): string {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/** What the engine needs from either a cluster or a single primary. */
export interface Group {
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

/**
 * Runs `send` for batches of each shard's keys, one pipeline in flight per shard, retrying the keys it
 * reports as failed (after a slot map refresh) until `deadline`. Returns when all succeeded.
 */
export async function runPhase(
    phase: Phase,
    top: Topology,
    keys: readonly PlannedKey[],
    o: RedisCheckOptions,
    retried: Map<string, Retry>,
    send: (g: Group) => Promise<Map<string, string>>, // key -> failure reason
    events: RedisCheckEvents,
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
            throw new RedisCheckError(
                "interrupted",
                `interrupted during the ${phase}s; the keys written so far were deleted`,
            );
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
                    throw new RedisCheckError(
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
    const work = async (list: PlannedKey[], cursor: { next: number }): Promise<void> => {
        try {
            await worker(list, cursor);
        } catch (e) {
            stopped = true;
            throw e;
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

export function execErrors(results: [Error | null, unknown][] | null, g: Group, count: number): Map<string, string> {
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
