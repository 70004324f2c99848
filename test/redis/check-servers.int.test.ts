/**
 * redis-check against real local servers (scripts/local-redis.sh): a TLS cluster of 3 shards x 1 replica
 * and a TLS primary with one replica, plus a plain-text redis-server and a port that never answers.
 */
import * as assert from "assert";
import { type ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { keyTtlMs, REDIS_CHECK_EXIT_CODES, type RedisCheckReport } from "../../scripts/redis-check";
import { aclUserCases, dbsizes, errorCases, flushPrimaries, keysWithTtl, tlsArgs } from "./server-cases";
import {
    alive,
    check,
    cli,
    type LocalRedis,
    localRedis,
    oneLine,
    pidOf,
    spawnCheck,
    startPlainRedis,
    useLocalRedis,
} from "./helpers";

let plain: { port: number; child: ChildProcess } | undefined;

/** Runs a check of `keys` writes and sends it `signal` once it reports its first writes; resolves on exit. */
async function checkSignalledMidRun(c: LocalRedis, keys: number, signal: NodeJS.Signals) {
    const child = spawnCheck([...tlsArgs(c), "--keys", String(keys)], {
        REDISCLI_AUTH: c.token,
        REDIS_CHECK_PROGRESS: "1",
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (!sent && /progress write \d+\//.test(stderr)) {
            sent = true;
            child.kill(signal);
        }
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on("exit", (code, sig) => resolve({ code, signal: sig })),
    );
    return { ...exit, stdout, stderr, sent };
}

describe("redis-check against real local servers", function () {
    // A plain-text redis-server: the target of "TLS against a plain port", and a bystander for stop.
    before(async function () {
        this.timeout(30_000);
        plain = await startPlainRedis();
    });

    after(() => {
        plain?.child.kill("SIGKILL");
    });

    describe("redis-check against a local TLS cluster (3 shards x 1 replica)", function () {
        this.timeout(120_000);
        const get = useLocalRedis("cluster");

        it("writes, reads back and deletes keys on every shard, printing the redirects as redis-cli -c does", async () => {
            const c = get();
            const r = await check(tlsArgs(c), { REDISCLI_AUTH: c.token });
            assert.strictEqual(r.code, 0, r.stderr + r.stdout);
            const redirects = r.stdout.split("\n").filter((line) => line.startsWith("-> "));
            // The walk starts at the endpoint (a primary), so the other two shards are reached by redirect.
            assert.strictEqual(redirects.length, 2, r.stdout);
            for (const line of redirects)
                assert.match(line, /^-> Redirected to slot \[\d+\] located at 127\.0\.0\.1:\d+$/);
            assert.match(r.stdout, /cluster mode enabled/);
            assert.match(r.stdout, /read back 300\/300/);
            assert.strictEqual(r.stdout.match(/1 replica\(s\), replication confirmed by WAIT/g)?.length, 3, r.stdout);
            assert.match(r.stdout, /round trip \(GET\): p50 [\d.]+ ms, p99 [\d.]+ ms/);
            assert.match(r.stdout, /cleanup: 300 keys deleted\nOK in \d+ ms\n$/);
            assert.deepStrictEqual(await dbsizes(c), [0, 0, 0, 0, 0, 0]);
        });

        it("reports which shard served which keys, and the redirects agree with the cluster's slot map (--json)", async () => {
            const c = get();
            const r = await check([...tlsArgs(c), "--keys", "3000", "--json"], { REDISCLI_AUTH: c.token });
            assert.strictEqual(r.code, 0, r.stderr);
            const report = JSON.parse(r.stdout) as RedisCheckReport;
            assert.strictEqual(report.ok, true);
            assert.strictEqual(report.keysReadBack, 3000);
            assert.strictEqual(report.keysDeleted, 3000);
            assert.deepStrictEqual(report.retried, []);
            assert.strictEqual(report.shards.length, 3);
            const slotsOut = await cli(c, c.port, "cluster", "slots");
            for (const s of report.shards) {
                assert.strictEqual(s.keys.length, 1000);
                assert.deepStrictEqual(s.servedBy, [s.id]);
                assert.strictEqual(s.replicas, 1);
                assert.strictEqual(s.replicationAcked, 1);
                for (const key of s.keys.slice(0, 20)) {
                    const slot = Number((await cli(c, c.port, "cluster", "keyslot", key)).trim());
                    const [start, end] = s.slots.split("-").map(Number);
                    assert.ok(slot >= start && slot <= end, `${key} in slot ${slot}, outside ${s.id}'s ${s.slots}`);
                }
                assert.ok(slotsOut.includes(String(s.id.split(":")[1])));
            }
            for (const red of report.redirects) {
                const owner = report.shards.find((s) => {
                    const [start, end] = s.slots.split("-").map(Number);
                    return red.slot >= start && red.slot <= end;
                });
                assert.strictEqual(owner?.id, red.to);
            }
            assert.ok(report.latency && report.latency.samples === 200 && report.latency.p99Ms >= report.latency.p50Ms);
            assert.deepStrictEqual(await dbsizes(c), [0, 0, 0, 0, 0, 0]);
        });

        it("deletes what it wrote when interrupted mid-run (Ctrl-C)", async () => {
            const c = get();
            const keys = 300_000;
            const { code, stdout, stderr, sent } = await checkSignalledMidRun(c, keys, "SIGINT");
            assert.ok(sent, "interrupted during the writes");
            assert.strictEqual(code, REDIS_CHECK_EXIT_CODES.interrupted, stderr);
            assert.match(stderr, /SIGINT: stopping, deleting the keys written so far/);
            const deleted = Number(/cleanup: (\d+) keys deleted/.exec(stdout)?.[1]);
            assert.ok(deleted > 0 && deleted < keys, `deleted ${deleted} of ${keys} planned keys:\n${stdout}`);
            assert.deepStrictEqual(await dbsizes(c), [0, 0, 0, 0, 0, 0], "nothing left behind");
        });

        it("leaves only keys that expire when killed with SIGKILL mid-run", async () => {
            const c = get();
            const keys = 300_000;
            const { signal, stderr } = await checkSignalledMidRun(c, keys, "SIGKILL");
            assert.strictEqual(signal, "SIGKILL", stderr);
            try {
                const ttls = await keysWithTtl(c);
                assert.ok(ttls.size > 0, "the killed run left keys behind to look at");
                const bound = keyTtlMs({ keys, batch: 500, timeoutMs: 5000, failoverWaitMs: 30_000 });
                const permanent = [...ttls].filter(([, ttl]) => !(ttl > 0 && ttl <= bound));
                // #10.12: PTTL -1 is a key without expiry, left forever by the killed run.
                assert.deepStrictEqual(
                    permanent.slice(0, 5),
                    [],
                    `${permanent.length} of ${ttls.size} keys without a safety expiry`,
                );
            } finally {
                await flushPrimaries(c);
            }
        });

        it("finds the endpoint in REDIS_HOST/REDIS_PORT, or in the stack outputs when a pulumi CLI is on PATH", async () => {
            const c = get();
            const fromEnv = await check(["--ca", c.ca, "--keys", "30"], {
                REDISCLI_AUTH: c.token,
                REDIS_HOST: c.host,
                REDIS_PORT: String(c.port),
                PATH: "/usr/bin:/bin",
            });
            assert.strictEqual(fromEnv.code, 0, fromEnv.stderr);
            assert.match(fromEnv.stdout, new RegExp(`^redis-check: 127\\.0\\.0\\.1:${c.port} \\(from environment\\)`));
            const bin = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
            try {
                const outputs = {
                    redisEndpoint: c.host,
                    redisPort: c.port,
                    redisClusterMode: "enabled",
                    redisAuthTokenParameter: "/redis-stack/test/auth-token",
                };
                fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\necho '${JSON.stringify(outputs)}'\n`, {
                    mode: 0o755,
                });
                const env = { PATH: `${bin}:/usr/bin:/bin`, REDIS_HOST: "not-used.invalid" };
                const fromStack = await check(["--ca", c.ca, "--keys", "30"], { ...env, REDISCLI_AUTH: c.token });
                assert.strictEqual(fromStack.code, 0, fromStack.stderr);
                assert.match(fromStack.stdout, /\(from stack outputs\), trusting .*ca\.crt\n/);
                assert.match(fromStack.stdout, /endpoint 127\.0\.0\.1:\d+ \(TLS\)/);
                const noToken = await check(["--ca", c.ca], env);
                assert.strictEqual(noToken.code, REDIS_CHECK_EXIT_CODES.auth);
                assert.match(
                    oneLine(noToken.stderr),
                    /set REDISCLI_AUTH to the AUTH token; the token is in SSM parameter \/redis-stack\/test\/auth-token: export REDISCLI_AUTH=/,
                );
            } finally {
                fs.rmSync(bin, { recursive: true, force: true });
            }
        });

        errorCases(get, () => plain?.port);
        aclUserCases(get);

        it("prints a redirect when a slot moves to another shard mid-run, and still reads everything back", async () => {
            const c = get();
            const nodes = (await cli(c, c.port, "cluster", "nodes"))
                .trim()
                .split("\n")
                .map((line) => line.split(" "));
            const owner = (slot: number): string[] | undefined =>
                nodes.find(
                    (n) =>
                        n[2].includes("master") &&
                        n.slice(8).some((r) => {
                            const [a, b] = r.split("-").map(Number);
                            return slot >= a && slot <= (b ?? a);
                        }),
                );
            const from = owner(5460);
            const to = owner(5461);
            assert.ok(from && to && from[0] !== to[0], "slots 5460 and 5461 start on different shards");
            const portOf = (n: string[]): number => Number(n[1].split("@")[0].split(":")[1]);
            const keys = 300_000;
            const child = spawnCheck([...tlsArgs(c), "--keys", String(keys), "--json"], {
                REDISCLI_AUTH: c.token,
                REDIS_CHECK_PROGRESS: "1",
            });
            let stdout = "";
            let stderr = "";
            let moved: Promise<void> | undefined;
            child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
            child.stderr?.on("data", (d: Buffer) => {
                stderr += d.toString();
                const done = [...stderr.matchAll(/progress write (\d+)\//g)].pop();
                if (!moved && done && Number(done[1]) >= keys / 20) {
                    // Keys are written from each shard's low slots up, so the shard's last slot is still empty:
                    // hand it to the next shard as redis-cli --cluster would (target first, then the source).
                    moved = (async () => {
                        await cli(c, portOf(to), "cluster", "setslot", "5460", "node", to[0]);
                        await cli(c, portOf(from), "cluster", "setslot", "5460", "node", to[0]);
                    })();
                }
            });
            const code = await new Promise<number | null>((resolve) =>
                child.on("exit", (exitCode) => resolve(exitCode)),
            );
            await moved;
            assert.ok(moved, "the slot moved during the writes");
            assert.strictEqual(
                code,
                0,
                stderr
                    .split("\n")
                    .filter((x) => !x.startsWith("progress"))
                    .join("\n"),
            );
            const report = JSON.parse(stdout) as RedisCheckReport;
            assert.strictEqual(report.keysReadBack, keys);
            assert.ok(
                report.redirects.some((r) => r.slot === 5460 && r.to === `127.0.0.1:${portOf(to)}`),
                `a redirect for slot 5460 to ${portOf(to)} in ${JSON.stringify(report.redirects)}`,
            );
            const fromShard = report.shards.find((sh) => sh.id === `127.0.0.1:${portOf(from)}`);
            assert.ok(
                fromShard?.servedBy.includes(`127.0.0.1:${portOf(to)}`),
                "the moved slot's keys were served by their new shard",
            );
            assert.deepStrictEqual(await dbsizes(c), [0, 0, 0, 0, 0, 0]);
        });
    });

    describe("redis-check against a local TLS primary with one replica", function () {
        this.timeout(120_000);
        const get = useLocalRedis("replicated");

        it("writes, reads back and deletes keys, confirming replication with WAIT", async () => {
            const c = get();
            const r = await check([...tlsArgs(c), "--keys", "1000"], { REDISCLI_AUTH: c.token });
            assert.strictEqual(r.code, 0, r.stderr + r.stdout);
            assert.doesNotMatch(r.stdout, /Redirected/);
            assert.match(r.stdout, /cluster mode disabled/);
            assert.match(r.stdout, /read back 1000\/1000/);
            assert.match(
                r.stdout,
                new RegExp(
                    `primary 127\\.0\\.0\\.1:${c.port}: 1000 keys .*; 1 replica\\(s\\), replication confirmed by WAIT`,
                ),
            );
            assert.match(r.stdout, /cleanup: 1000 keys deleted/);
            assert.deepStrictEqual(await dbsizes(c), [0, 0]);
        });

        it("refuses the replica as the endpoint", async () => {
            const c = get();
            const r = await check(["--host", "127.0.0.1", "--port", String(c.ports[1]), "--ca", c.ca], {
                REDISCLI_AUTH: c.token,
            });
            assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.replica, r.stderr);
            assert.match(oneLine(r.stderr), /127\.0\.0\.1:\d+ is a read-only replica: use the primary endpoint$/);
        });

        errorCases(get, () => plain?.port);
        aclUserCases(get);

        // Last, in a suite of its own: mocha runs a suite's tests before its nested suites (the ACL user's above),
        // and this one stops the servers.
        describe("stopping", () => {
            it("local-redis.sh stop ends exactly the processes it started", async () => {
                const c = get();
                const pids = c.ports.map((p) => pidOf(c, p));
                assert.ok(pids.every(alive));
                const status = await localRedis(c.dir, "replicated", "status");
                assert.strictEqual(status.code, 0, status.stderr);
                assert.match(status.stdout, /running: {2}2 of 2 nodes/);
                const stop = await localRedis(c.dir, "replicated", "stop");
                assert.match(stop.stdout, /stopped 2 node\(s\)/);
                assert.ok(!pids.some(alive), "its redis-servers are gone");
                assert.ok(
                    plain && plain.child.exitCode === null && alive(plain.child.pid ?? -1),
                    "another redis-server is untouched",
                );
                const after = await localRedis(c.dir, "replicated", "status");
                assert.strictEqual(after.code, 3);
                assert.match(after.stdout, /stopped/);
            });
        });
    });
});

describe("redis-check endpoint errors", function () {
    this.timeout(60_000);
    let silent: net.Server | undefined;
    let silentPort = 0;
    const sockets = new Set<net.Socket>();

    before(async () => {
        // Accepts connections and never says a word: a black-holed port.
        silent = net.createServer((s) => {
            sockets.add(s);
            s.on("error", () => undefined);
        });
        await new Promise<void>((resolve) => silent?.listen(0, "127.0.0.1", resolve));
        silentPort = (silent.address() as net.AddressInfo).port;
    });

    after(async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
    });

    it("fails on a name that does not resolve", async () => {
        const r = await check([
            "--host",
            "no-such-node.redis-check.invalid",
            "--port",
            "6379",
            "--tls",
            "--timeout",
            "3",
        ]);
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.dns, r.stderr);
        assert.match(
            oneLine(r.stderr),
            /^redis-check: cannot resolve no-such-node\.redis-check\.invalid \((ENOTFOUND|EAI_AGAIN|EAI_NONAME)\)/,
        );
    });

    it("gives up on a port that never answers after --timeout once, plain and TLS", async () => {
        const timeoutSec = 2;
        const args = ["--host", "127.0.0.1", "--port", String(silentPort), "--timeout", `${timeoutSec}`, "--json"];
        const plainRun = await check(args);
        assert.strictEqual(plainRun.code, REDIS_CHECK_EXIT_CODES.timeout, plainRun.stderr);
        assert.match(oneLine(plainRun.stderr), /accepted the connection but sent no reply within 2s/);
        const tlsRun = await check([...args, "--tls"]);
        assert.strictEqual(tlsRun.code, REDIS_CHECK_EXIT_CODES.tls, tlsRun.stderr);
        assert.match(oneLine(tlsRun.stderr), /TLS handshake with 127\.0\.0\.1:\d+ did not finish within 2s$/);
        // One bound for connect, protocol sniff and AUTH together, not one for each (#10.13). The report's own
        // duration leaves out the CLI's start-up, which a loaded machine makes long and uneven.
        for (const r of [plainRun, tlsRun]) {
            const { durationMs } = JSON.parse(r.stdout) as RedisCheckReport;
            assert.ok(durationMs < 1.5 * timeoutSec * 1000, `spent ${durationMs} ms on a ${timeoutSec}s --timeout`);
            assert.ok(durationMs >= timeoutSec * 1000 - 50, `gave up after ${durationMs} ms, before --timeout`);
        }
    });

    it("says which flags or variables to set when there is no endpoint", async () => {
        const r = await check([], { PATH: "/usr/bin:/bin" });
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.usage);
        assert.match(
            oneLine(r.stderr),
            /no endpoint: pass --host H --port P \[--tls\], or set REDIS_HOST and REDIS_PORT/,
        );
    });
});
