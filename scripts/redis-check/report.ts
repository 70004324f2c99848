/** What a connectivity check found (RedisCheckReport, also the --json output) and its text form. Pure. */
import { type SlotRange } from "./keys";
import { type Redirect } from "./options";
import { type LatencySummary } from "./stats";

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

export interface RedisCheckReport {
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
    /** The safety expiry every written key carries (PX), in case the cleanup never runs. */
    keyTtlMs: number;
    cleanupProblem?: string;
    durationMs: number;
    failure?: { kind: string; reason: string };
}

export function formatRanges(ranges: readonly SlotRange[]): string {
    return ranges.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`)).join(",");
}

/** The tutorial's (redis-cli -c) own words. */
export function redirectLine(r: Redirect): string {
    return `-> Redirected to slot [${r.slot}] located at ${r.to}`;
}

function ms(n: number): string {
    return n < 10 ? n.toFixed(2) : n.toFixed(1);
}

function keySpan(keys: readonly string[]): string {
    if (keys.length === 0) return "no keys";
    if (keys.length <= 3) return keys.join(", ");
    return `${keys[0]}, ${keys[1]}, ... ${keys[keys.length - 1]}`;
}

export function formatRedisCheckReport(r: RedisCheckReport): string[] {
    const lines: string[] = [];
    const mode =
        r.clusterMode === undefined ? "" : r.clusterMode ? ", cluster mode enabled" : ", cluster mode disabled";
    lines.push(
        `endpoint ${r.endpoint} (${r.tls ? "TLS" : "plain TCP"})${r.serverVersion ? `, Redis ${r.serverVersion}` : ""}${mode}`,
    );
    if (r.keysWritten > 0 || r.keysReadBack > 0) {
        lines.push(
            `wrote ${r.keysWritten} keys (${r.writeOpsPerSec ?? "?"} SET/s), read back ${r.keysReadBack}/${r.keysPlanned} (${r.readOpsPerSec ?? "?"} GET/s)`,
        );
    }
    for (const s of r.shards) {
        const served =
            s.servedBy.length === 0
                ? ""
                : s.servedBy.join(" then ") === s.id
                  ? ""
                  : `, served by ${s.servedBy.join(" then ")}`;
        const repl =
            s.replicas === 0
                ? "no replicas"
                : s.replicationAcked === undefined
                  ? `${s.replicas} replica(s), replication not confirmed`
                  : s.replicationAcked >= s.replicas
                    ? `${s.replicas} replica(s), replication confirmed by WAIT`
                    : `${s.replicas} replica(s), WAIT acknowledged by only ${s.replicationAcked}`;
        const where = r.clusterMode === false ? `primary ${s.id}` : `shard ${s.id} slots ${s.slots}`;
        lines.push(`${where}: ${s.keys.length} keys (${keySpan(s.keys)})${served}; ${repl}`);
    }
    if (r.latency && r.latency.samples > 0) {
        lines.push(
            `round trip (GET): p50 ${ms(r.latency.p50Ms)} ms, p99 ${ms(r.latency.p99Ms)} ms, max ${ms(r.latency.maxMs)} ms over ${r.latency.samples} requests`,
        );
    }
    if (r.retried.length > 0) {
        const byPhase = new Map<string, string[]>();
        for (const x of r.retried) byPhase.set(x.phase, [...(byPhase.get(x.phase) ?? []), x.key]);
        for (const [phase, keys] of byPhase) {
            const reason = r.retried.find((x) => x.phase === phase)?.reason ?? "";
            lines.push(`retried ${keys.length} ${phase}(s) (first failure: ${reason}): ${keySpan(keys)}`);
        }
    } else if (r.keysWritten > 0) {
        lines.push("retried: none");
    }
    lines.push(
        r.cleanupProblem
            ? `cleanup: ${r.keysDeleted} keys deleted; ${r.cleanupProblem}`
            : `cleanup: ${r.keysDeleted} keys deleted`,
    );
    lines.push(r.ok ? `OK in ${r.durationMs} ms` : `FAILED: ${r.failure?.reason ?? "unknown"}`);
    return lines;
}
