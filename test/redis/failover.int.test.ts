/**
 * Failover: a primary of the local TLS cluster is killed while a check is writing; its replica takes
 * over and the check must finish with every acknowledged write read back, naming the writes it retried.
 * Then the new primary (which has no replica left) is killed too: the cluster is down, and the check says so.
 */
import * as assert from "assert";
import { REDIS_CHECK_EXIT_CODES, type RedisCheckReport } from "../../scripts/redis-check";
import {
    check,
    cli,
    type EndpointProxy,
    type LocalRedis,
    nodeClient,
    oneLine,
    pidOf,
    spawnCheck,
    startEndpointProxy,
    useLocalRedis,
} from "./helpers";

type SlotsReply = [number, number, ...[string, number, string][]][];

async function clusterSlots(l: LocalRedis): Promise<SlotsReply> {
    const r = nodeClient(l, l.port);
    try {
        await r.connect();
        return (await r.call("CLUSTER", "SLOTS")) as SlotsReply;
    } finally {
        r.disconnect();
    }
}

async function waitFor(what: string, ms: number, test: () => Promise<boolean>): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
        if (await test().catch(() => false)) return;
        await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/**
 * Runs a check of `keys` writes and calls `kill` once a tenth of them are done; resolves when the check exits
 * (bounded), with what it printed and after how many writes the kill came.
 */
async function checkKillingMidRun(args: string[], env: NodeJS.ProcessEnv, keys: number, kill: () => Promise<void>) {
    const child = spawnCheck([...args, "--keys", String(keys), "--json", "--failover-wait", "30"], {
        ...env,
        REDIS_CHECK_PROGRESS: "1",
    });
    let stdout = "";
    let stderr = "";
    let killedAt: number | undefined;
    let killed: Promise<void> | undefined;
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => {
        stderr += d.toString();
        const done = [...stderr.matchAll(/progress write (\d+)\//g)].pop();
        if (killedAt === undefined && done && Number(done[1]) >= keys / 10) {
            killedAt = Number(done[1]);
            killed = kill();
        }
    });
    const code = await new Promise<number | null>((resolve) => {
        const t = setTimeout(() => child.kill("SIGKILL"), 100_000);
        child.on("exit", (exitCode) => {
            clearTimeout(t);
            resolve(exitCode);
        });
    });
    await killed;
    assert.ok(killedAt !== undefined && killedAt < keys, `the primary was killed mid-run (after ${killedAt} writes)`);
    assert.strictEqual(
        code,
        0,
        stderr
            .split("\n")
            .filter((x) => !x.startsWith("progress"))
            .join("\n"),
    );
    return { report: JSON.parse(stdout) as RedisCheckReport, killedAt };
}

describe("redis-check through a failover on the local TLS cluster", function () {
    this.timeout(120_000);
    const local = useLocalRedis("cluster");
    let victim = 0;
    let heir = 0;

    it("completes with no acknowledged write lost when a primary dies mid-run, and names the writes it retried", async () => {
        const c = local();
        // The shard that is not the endpoint's own, so the check's entry point survives.
        const shard = (await clusterSlots(c)).find((s) => s[2][1] !== c.port);
        assert.ok(shard && shard.length === 4, "a shard with one replica");
        victim = shard[2][1];
        heir = shard[3][1];
        const keys = 200_000;
        const { report, killedAt } = await checkKillingMidRun(
            ["--host", c.host, "--port", String(c.port), "--ca", c.ca],
            { REDISCLI_AUTH: c.token },
            keys,
            async () => {
                process.kill(pidOf(c, victim), "SIGKILL");
            },
        );
        assert.strictEqual(report.ok, true);
        assert.strictEqual(report.keysWritten, keys);
        assert.strictEqual(report.keysReadBack, keys, "every acknowledged write was read back");
        assert.deepStrictEqual(report.lost, []);
        assert.deepStrictEqual(report.mismatched, []);
        const victimId = `127.0.0.1:${victim}`;
        const retriedWrites = report.retried.filter((x) => x.phase === "write");
        assert.ok(retriedWrites.length > 0, "some writes hit the dead primary and were retried");
        assert.ok(
            retriedWrites.some((x) => x.shard === victimId),
            "writes to the killed shard were retried",
        );
        // Other shards only retry while the whole cluster refuses writes (no full slot coverage until the promotion).
        for (const x of retriedWrites) {
            if (x.shard !== victimId)
                assert.match(x.reason, /^CLUSTERDOWN/, `${x.key} on ${x.shard} retried: ${x.reason}`);
        }
        const moved = report.shards.find((s) => s.id === victimId);
        assert.deepStrictEqual(
            moved?.servedBy,
            [`127.0.0.1:${heir}`],
            "the replica served the shard's keys after taking over",
        );
        for (const s of report.shards) if (s.id !== victimId) assert.deepStrictEqual(s.servedBy, [s.id]);
        assert.strictEqual(report.keysDeleted, keys);
        assert.match(await cli(c, heir, "role"), /^master/);
        console.log(
            `      killed ${victimId} after ${killedAt} writes; ${retriedWrites.length} writes retried (first: ${retriedWrites[0].key}: ${retriedWrites[0].reason})`,
        );
    });

    it("fails with 'cluster down' once a shard has no node left", async () => {
        const c = local();
        assert.ok(heir > 0, "runs after the failover test");
        process.kill(pidOf(c, heir), "SIGKILL");
        await waitFor("cluster_state:fail", 20_000, async () =>
            /cluster_state:fail/.test(await cli(c, c.port, "cluster", "info")),
        );
        const r = await check(["--host", c.host, "--port", String(c.port), "--ca", c.ca, "--keys", "10"], {
            REDISCLI_AUTH: c.token,
        });
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES["cluster-down"], r.stderr + r.stdout);
        assert.match(
            oneLine(r.stderr),
            /^redis-check: cluster at 127\.0\.0\.1:\d+ is down: cluster_state:fail \(1092[23] of 16384 slots ok, 546[12] failing\)$/,
        );
    });
});

describe("redis-check through a failover of the local TLS primary/replica pair", function () {
    this.timeout(120_000);
    const local = useLocalRedis("replicated");
    let endpoint: EndpointProxy | undefined;

    before(async () => {
        endpoint = await startEndpointProxy(local().port);
    });

    after(async () => {
        await endpoint?.close();
    });

    it("completes with no acknowledged write lost when the primary dies and the replica is promoted", async () => {
        const c = local();
        const proxy = endpoint as EndpointProxy;
        const [primary, replica] = c.ports;
        const keys = 150_000;
        const { report, killedAt } = await checkKillingMidRun(
            ["--host", "127.0.0.1", "--port", String(proxy.port), "--ca", c.ca],
            { REDISCLI_AUTH: c.token },
            keys,
            async () => {
                process.kill(pidOf(c, primary), "SIGKILL");
                // What ElastiCache does on failover: promote the replica, then move the primary endpoint to it.
                await cli(c, replica, "replicaof", "no", "one");
                proxy.switchTo(replica);
            },
        );
        assert.strictEqual(report.keysReadBack, keys, "every acknowledged write was read back");
        assert.deepStrictEqual(report.lost, []);
        assert.deepStrictEqual(report.mismatched, []);
        const retriedWrites = report.retried.filter((x) => x.phase === "write");
        assert.ok(retriedWrites.length > 0, "writes in flight when the primary died were retried");
        assert.strictEqual(report.keysDeleted, keys);
        assert.match(await cli(c, replica, "role"), /^master/);
        assert.strictEqual(Number((await cli(c, replica, "dbsize")).trim()), 0);
        console.log(
            `      killed 127.0.0.1:${primary} after ${killedAt} writes; ${retriedWrites.length} writes retried (first: ${retriedWrites[0].key}: ${retriedWrites[0].reason})`,
        );
    });
});
