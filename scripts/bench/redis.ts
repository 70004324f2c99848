/**
 * npm run bench:redis -- the check's pipelined SET/GET throughput over TLS on the local cluster, beside
 * redis-benchmark --tls against the same cluster in the same run, as a ratio. Goal: within 2x.
 *
 * Both sides use the same pipeline depth and the same number of connections (one per pipeline in flight
 * per primary). The check additionally sends WAIT after every write batch (its durability guarantee);
 * redis-benchmark does not.
 *
 * Environment: BENCH_REDIS_KEYS (default 300000), BENCH_REDIS_BATCH (500), BENCH_REDIS_PIPELINES (2),
 * BENCH_REDIS_BASE_PORT (7600).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type Redis from "ioredis";
import { Cluster } from "ioredis";
import { runRedisCheck } from "../redis-check";
import { planKeys, shardsFromSlotOwners } from "../redis-check/keys";
import { parseBenchmarkCsv } from "./redis-benchmark-csv";

function envInt(name: string, def: number, min: number, max: number): number {
    const raw = process.env[name];
    if (raw === undefined || raw === "") return def;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
        throw new Error(`${name} must be an integer in ${min}..${max}, got '${raw}'`);
    }
    return n;
}

const KEYS = envInt("BENCH_REDIS_KEYS", 300_000, 1000, 10_000_000);
const BATCH = envInt("BENCH_REDIS_BATCH", 500, 1, 100_000);
const PIPELINES = envInt("BENCH_REDIS_PIPELINES", 2, 1, 64);
const BASE_PORT = envInt("BENCH_REDIS_BASE_PORT", 7600, 1024, 55_000);
const SCRIPT = path.join(__dirname, "..", "local-redis.sh");

function localRedis(dir: string, action: "start" | "stop"): string {
    return execFileSync("bash", [SCRIPT, action, "--mode", "cluster"], {
        encoding: "utf8",
        env: { ...process.env, LOCAL_REDIS_DIR: dir, LOCAL_REDIS_BASE_PORT: String(BASE_PORT) },
        timeout: 120_000,
    });
}

/**
 * The ceiling ioredis itself reaches here: the same keys, batches and pipelines in flight, straight to
 * each primary, with no WAIT, no checking, no retries. Separates the check's overhead from the client's.
 */
async function bareIoredis(
    host: string,
    port: number,
    ca: Buffer,
    password: string,
): Promise<{ set: number; get: number }> {
    const cluster = new Cluster([{ host, port }], {
        lazyConnect: true,
        dnsLookup: (a, cb) => cb(null, a),
        redisOptions: { tls: { ca }, password },
    });
    cluster.on("error", () => undefined);
    try {
        await cluster.connect();
        const owners = Array.from({ length: 16384 }, (_, s) => cluster.slots[s]?.[0]);
        const shards = shardsFromSlotOwners(owners);
        const keys = planKeys(KEYS, "bench-bare", shards);
        const nodes = new Map(cluster.nodes("master").map((n) => [`${n.options.host}:${n.options.port}`, n]));
        const byNode = new Map<Redis, string[]>();
        for (const k of keys) {
            const node = nodes.get(k.shard);
            if (!node) throw new Error(`no connection to ${k.shard}`);
            const list = byNode.get(node) ?? [];
            list.push(k.key);
            byNode.set(node, list);
        }
        const phase = async (op: "set" | "get" | "del"): Promise<number> => {
            const t0 = process.hrtime.bigint();
            await Promise.all(
                [...byNode].flatMap(([node, list]) => {
                    const cursor = { next: 0 };
                    return Array.from({ length: PIPELINES }, async () => {
                        while (cursor.next < list.length) {
                            const start = cursor.next;
                            cursor.next += BATCH;
                            const p = node.pipeline();
                            for (let i = start; i < Math.min(start + BATCH, list.length); i++) {
                                if (op === "set") p.set(list[i], `v:${i}`);
                                else if (op === "get") p.get(list[i]);
                                else p.del(list[i]);
                            }
                            await p.exec();
                        }
                    });
                }),
            );
            return Math.round((keys.length * 1e9) / Number(process.hrtime.bigint() - t0));
        };
        const set = await phase("set");
        const get = await phase("get");
        await phase("del");
        return { set, get };
    } finally {
        cluster.disconnect();
    }
}

async function main(): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-redis-"));
    try {
        localRedis(dir, "start");
        const state = path.join(dir, "cluster");
        const info = Object.fromEntries(
            fs
                .readFileSync(path.join(state, "info.env"), "utf8")
                .split("\n")
                .filter((l) => l.includes("="))
                .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
        const port = Number(info.LOCAL_REDIS_PORT);
        const ca = fs.readFileSync(info.LOCAL_REDIS_CA);
        const token = fs.readFileSync(info.LOCAL_REDIS_TOKEN_FILE, "utf8").trim();
        const opts = {
            host: "127.0.0.1",
            port,
            tls: true,
            ca,
            password: token,
            timeoutMs: 10_000,
            batch: BATCH,
            pipelines: PIPELINES,
            failoverWaitMs: 10_000,
            latencySamples: 200,
        };

        // Warm-up (JIT, TLS sessions), then the measured run.
        await runRedisCheck({ ...opts, keys: Math.min(KEYS, 20_000) });
        const r = await runRedisCheck({ ...opts, keys: KEYS });
        if (!r.ok || !r.writeOpsPerSec || !r.readOpsPerSec) throw new Error(`check failed: ${r.failure?.reason}`);
        const masters = r.shards.length;
        const bare = await bareIoredis("127.0.0.1", port, ca, token);

        const csv = execFileSync(
            "redis-benchmark",
            [
                "--tls",
                "--cacert",
                info.LOCAL_REDIS_CA,
                "-h",
                "127.0.0.1",
                "-p",
                String(port),
                // A throwaway token of a loopback-only test cluster; redis-benchmark has no env variable for it.
                "-a",
                token,
                "--cluster",
                "-t",
                "set,get",
                "-n",
                String(KEYS),
                "-P",
                String(BATCH),
                // -r: a key space a tenth of the requests, so that the SET test fills it and the GET test reads 16-byte
                // values as the check does; with a larger space most GETs would be cheap misses (nil replies).
                "-c",
                String(masters * PIPELINES),
                "-r",
                String(Math.ceil(KEYS / 10)),
                "-d",
                "16",
                "--csv",
            ],
            { encoding: "utf8", timeout: 300_000, stdio: ["ignore", "pipe", "pipe"] },
        );
        const bench = parseBenchmarkCsv(csv);
        const set = bench.get("SET");
        const get = bench.get("GET");
        if (!set || !get) throw new Error(`no SET/GET rows in redis-benchmark output:\n${csv}`);

        const rows: [string, number, number, number][] = [
            ["SET", r.writeOpsPerSec, bare.set, set],
            ["GET", r.readOpsPerSec, bare.get, get],
        ];
        const col = (n: number): string => `${String(Math.round(n)).padStart(9)}/s`;
        console.log(
            `bench:redis  local TLS cluster (${masters} shards x 1 replica), ${KEYS} keys, pipeline depth ${BATCH}, ${masters * PIPELINES} connections, one run`,
        );
        console.log(
            "  op   redis-check   bare ioredis   redis-benchmark   benchmark/check   benchmark/bare   bare/check",
        );
        let worst = 0;
        for (const [op, mine, plain, theirs] of rows) {
            const ratio = theirs / mine;
            worst = Math.max(worst, ratio);
            console.log(
                `  ${op}  ${col(mine)}    ${col(plain)}      ${col(theirs)}      ${ratio.toFixed(2).padStart(6)}x         ${(theirs / plain).toFixed(2).padStart(6)}x      ${(plain / mine).toFixed(2).padStart(6)}x`,
            );
        }
        console.log(
            `  check round trip (single GET): p50 ${r.latency?.p50Ms.toFixed(3)} ms, p99 ${r.latency?.p99Ms.toFixed(3)} ms; writes include WAIT per batch`,
        );
        console.log(`  goal within 2x: ${worst <= 2 ? "met" : "NOT met"} (worst ratio ${worst.toFixed(2)}x)`);
    } finally {
        try {
            localRedis(dir, "stop");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
}

main().catch((e: unknown) => {
    console.error(`bench:redis: ${(e as Error).message}`);
    process.exit(1);
});
