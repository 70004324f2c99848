import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import { parseBenchmarkCsv } from "../../scripts/bench/redis-benchmark-csv";
import {
    authCommand,
    authTokenHint,
    classifyError,
    classifyReply,
    formatRanges,
    keyTtlMs,
    parseRedisCheckArgs,
    parseStackOutputs,
    redirectLine,
    REDIS_CHECK_DEFAULTS,
    REDIS_CHECK_EXIT_CODES,
    RedisCheckError,
    resolveTarget,
    systemCa,
} from "../../scripts/redis-check";
import {
    encodeCommand,
    infoCount,
    parseInfo,
    parseRedirect,
    RespError,
    RespParser,
} from "../../scripts/redis-check/resp";
import { percentile, summarizeLatency } from "../../scripts/redis-check/stats";

describe("redis-check args", () => {
    it("parses every flag, in both spellings", () => {
        const a = parseRedisCheckArgs([
            "--host",
            "h.example",
            "--port=6380",
            "--ca",
            "ca.pem",
            "--keys",
            "9",
            "--json",
            "--timeout=2",
            "--failover-wait",
            "7",
            "--batch",
            "3",
            "--stack",
            "dev",
            "--pipelines",
            "4",
        ]);
        assert.deepStrictEqual(a, {
            host: "h.example",
            port: 6380,
            tls: true,
            ca: "ca.pem",
            user: undefined,
            keys: 9,
            json: true,
            stack: "dev",
            timeoutSec: 2,
            failoverWaitSec: 7,
            batch: 3,
            pipelines: 4,
            help: false,
        });
        const d = parseRedisCheckArgs([]);
        assert.strictEqual(d.keys, REDIS_CHECK_DEFAULTS.keys);
        assert.strictEqual(d.tls, false);
        assert.strictEqual(parseRedisCheckArgs(["--tls"]).tls, true);
    });

    it("names the flag, the bad value and what is allowed", () => {
        assert.throws(
            () => parseRedisCheckArgs(["--port", "70000"]),
            /--port must be an integer in 1..65535, got '70000'/,
        );
        assert.throws(
            () => parseRedisCheckArgs(["--keys", "ten"]),
            /--keys must be an integer in 1..10000000, got 'ten'/,
        );
        assert.throws(() => parseRedisCheckArgs(["--host"]), /--host needs a value/);
        assert.throws(() => parseRedisCheckArgs(["--host", "--tls"]), /--host needs a value/);
        assert.throws(
            () => parseRedisCheckArgs(["--host", "a b"]),
            /--host must be a host name or IP address, got 'a b'/,
        );
        assert.throws(() => parseRedisCheckArgs(["--bogus"]), /unknown argument '--bogus' \(allowed: --host, --port/);
        assert.throws(() => parseRedisCheckArgs(["--keys", "1", "--keys", "2"]), /--keys given twice/);
        assert.throws(
            () => parseRedisCheckArgs(["--pipelines", "0"]),
            /--pipelines must be an integer in 1..64, got '0'/,
        );
    });

    it("takes an ACL user as redis-cli --user does, and AUTHs with user and password", () => {
        assert.strictEqual(parseRedisCheckArgs(["--user", "app-user"]).user, "app-user");
        assert.strictEqual(parseRedisCheckArgs(["--user=app-user"]).user, "app-user");
        assert.throws(
            () => parseRedisCheckArgs(["--user", ""]),
            /--user must be an ACL user name without spaces, got ''/,
        );
        assert.deepStrictEqual(authCommand({ user: "app-user", password: "pw" }), ["AUTH", "app-user", "pw"]);
        assert.deepStrictEqual(authCommand({ password: "pw" }), ["AUTH", "pw"]);
        assert.deepStrictEqual(authCommand({}), ["PING"]);
    });

    it("refuses the password as a flag", () => {
        for (const argv of [["--password", "x"], ["-a", "x"], ["--password=x"]]) {
            assert.throws(
                () => parseRedisCheckArgs(argv),
                (e: Error) => e instanceof RedisCheckError && e.kind === "usage" && /set REDISCLI_AUTH/.test(e.message),
            );
        }
    });

    it("resolves the endpoint from flags, then stack outputs, then REDIS_HOST/REDIS_PORT", () => {
        const stack = { endpoint: "clustercfg.x.cache.amazonaws.com", port: 6379, clusterMode: "enabled" as const };
        const env = { REDIS_HOST: "env.host", REDIS_PORT: "7000" };
        assert.deepStrictEqual(resolveTarget(parseRedisCheckArgs(["--host", "f", "--port", "1"]), env, stack), {
            host: "f",
            port: 1,
            tls: false,
            source: "flags",
        });
        assert.deepStrictEqual(resolveTarget(parseRedisCheckArgs([]), env, stack), {
            host: stack.endpoint,
            port: 6379,
            tls: true,
            source: "stack outputs",
        });
        assert.deepStrictEqual(resolveTarget(parseRedisCheckArgs(["--tls"]), env, undefined), {
            host: "env.host",
            port: 7000,
            tls: true,
            source: "environment",
        });
        assert.deepStrictEqual(resolveTarget(parseRedisCheckArgs([]), { REDIS_HOST: "e" }, undefined).port, 6379);
        assert.throws(
            () => resolveTarget(parseRedisCheckArgs([]), { REDIS_HOST: "e", REDIS_PORT: "x" }, undefined),
            /REDIS_PORT must be an integer in 1..65535, got 'x'/,
        );
        assert.throws(
            () => resolveTarget(parseRedisCheckArgs([]), {}, undefined, "no pulumi CLI on PATH"),
            /no endpoint: pass --host H --port P \[--tls\], or set REDIS_HOST and REDIS_PORT.*\(stack outputs: no pulumi CLI on PATH\)/,
        );
    });
});

describe("redis-check stack outputs", () => {
    it("points at the SSM parameter holding the token", () => {
        assert.strictEqual(
            authTokenHint("/redis-stack/dev/auth-token"),
            '; the token is in SSM parameter /redis-stack/dev/auth-token: export REDISCLI_AUTH="$(aws ssm get-parameter --name /redis-stack/dev/auth-token --with-decryption --query Parameter.Value --output text)"',
        );
        assert.strictEqual(authTokenHint(undefined), "");
    });

    it("reads the four outputs the stack exports", () => {
        const text = JSON.stringify({
            redisEndpoint: "clustercfg.r.abc.euw1.cache.amazonaws.com",
            redisPort: 6379,
            redisClusterMode: "enabled",
            redisAuthTokenParameter: "/redis-stack/dev/auth-token",
            bastionId: "i-123",
        });
        assert.deepStrictEqual(parseStackOutputs(text), {
            endpoint: "clustercfg.r.abc.euw1.cache.amazonaws.com",
            port: 6379,
            clusterMode: "enabled",
            authTokenParameter: "/redis-stack/dev/auth-token",
        });
        assert.strictEqual(parseStackOutputs('{"redisEndpoint":"h","redisPort":"6380"}').port, 6380);
    });

    it("says which output is wrong", () => {
        assert.throws(() => parseStackOutputs("nope"), /not JSON/);
        assert.throws(() => parseStackOutputs("[]"), /must be a JSON object/);
        assert.throws(
            () => parseStackOutputs('{"redisPort":6379}'),
            /redisEndpoint must be a non-empty string, got nothing/,
        );
        assert.throws(
            () => parseStackOutputs('{"redisEndpoint":"h","redisPort":0}'),
            /redisPort must be a port number 1..65535, got 0/,
        );
        assert.throws(
            () => parseStackOutputs('{"redisEndpoint":"h","redisPort":1,"redisClusterMode":"on"}'),
            /redisClusterMode must be "enabled" or "disabled", got "on"/,
        );
    });
});

describe("redis-check stats", () => {
    it("takes nearest-rank percentiles", () => {
        const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
        assert.strictEqual(percentile(xs, 50), 50);
        assert.strictEqual(percentile(xs, 99), 99);
        assert.strictEqual(percentile(xs, 100), 100);
        assert.strictEqual(percentile(xs, 0), 1);
        assert.strictEqual(percentile([7], 99), 7);
        assert.ok(Number.isNaN(percentile([], 50)));
        assert.throws(() => percentile(xs, 101), /percentile must be in 0..100, got 101/);
        assert.deepStrictEqual(summarizeLatency([3, 1, 2]), { samples: 3, p50Ms: 2, p99Ms: 3, maxMs: 3 });
    });
});

describe("redis-check RESP", () => {
    it("encodes commands as RESP arrays of bulk strings", () => {
        assert.strictEqual(encodeCommand(["SET", "k", "é"]).toString(), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n");
    });

    it("parses replies split across chunks", () => {
        const p = new RespParser();
        const wire = "+OK\r\n-MOVED 3999 127.0.0.1:6381\r\n:42\r\n$-1\r\n*2\r\n$3\r\nabc\r\n*1\r\n:1\r\n$0\r\n\r\n";
        const got: unknown[] = [];
        for (const ch of wire) {
            p.push(Buffer.from(ch));
            for (let v = p.next(); v !== undefined; v = p.next()) got.push(v);
        }
        assert.deepStrictEqual(got, ["OK", new RespError("MOVED 3999 127.0.0.1:6381"), 42, null, ["abc", [1]], ""]);
        assert.strictEqual((got[1] as RespError).code, "MOVED");
    });

    it("rejects bytes that are not RESP (e.g. a TLS record)", () => {
        const p = new RespParser();
        p.push(Buffer.from([0x16, 0x03, 0x01, 0x0d, 0x0a]));
        assert.throws(() => p.next(), /not a Redis reply \(first byte 0x16\)/);
    });

    it("reads INFO counts as plain integers, never NaN", () => {
        assert.strictEqual(infoCount({ connected_slaves: "2" }, "connected_slaves"), 2);
        assert.strictEqual(infoCount({}, "connected_slaves"), 0);
        for (const bad of ["abc", "-1", "1.5", "", " 1", "1e3", "9".repeat(12)]) {
            assert.strictEqual(infoCount({ connected_slaves: bad }, "connected_slaves"), undefined, bad);
        }
    });

    it("parses redirects and INFO text", () => {
        assert.deepStrictEqual(parseRedirect("MOVED 16287 10.0.1.12:6379"), {
            kind: "MOVED",
            slot: 16287,
            host: "10.0.1.12",
            port: 6379,
        });
        assert.deepStrictEqual(parseRedirect("ASK 1 node.cache.amazonaws.com:6379")?.host, "node.cache.amazonaws.com");
        assert.strictEqual(parseRedirect("ERR wrong"), undefined);
        // What no Redis server sends is not a redirect: slots past 16383, ports outside TCP's, digits without end.
        assert.strictEqual(parseRedirect("MOVED 16384 10.0.1.12:6379"), undefined);
        assert.strictEqual(parseRedirect("MOVED 1 10.0.1.12:65536"), undefined);
        assert.strictEqual(parseRedirect("MOVED 1 10.0.1.12:0"), undefined);
        assert.strictEqual(parseRedirect(`MOVED ${"9".repeat(400)} h:1`), undefined);
        assert.deepStrictEqual(parseInfo("# Cluster\r\ncluster_state:ok\r\ncluster_slots_ok:16384\r\n"), {
            cluster_state: "ok",
            cluster_slots_ok: "16384",
        });
    });

    it("prints redirects in the tutorial's words", () => {
        assert.strictEqual(
            redirectLine({ key: "k", slot: 16287, to: "10.0.1.12:6379" }),
            "-> Redirected to slot [16287] located at 10.0.1.12:6379",
        );
        assert.strictEqual(
            formatRanges([
                { start: 0, end: 5460 },
                { start: 9000, end: 9000 },
            ]),
            "0-5460,9000",
        );
    });
});

describe("redis-check error classification", () => {
    const err = (code: string, message = code): Error => Object.assign(new Error(message), { code });
    const at = "h.example:6379";
    const cases: [unknown, string, RegExp][] = [
        [err("ENOTFOUND", "getaddrinfo ENOTFOUND h.example"), "dns", /^cannot resolve h.example \(ENOTFOUND\)/],
        [err("EAI_AGAIN"), "dns", /cannot resolve h.example/],
        [err("ECONNREFUSED"), "refused", /^connection refused by h.example:6379/],
        [err("ETIMEDOUT"), "timeout", /^connecting to h.example:6379 timed out after 5s/],
        [err("ERESPTIMEOUT", "no reply to PING"), "timeout", /sent no reply within 5s \(no reply to PING\)/],
        [err("EHOSTUNREACH"), "timeout", /unreachable \(EHOSTUNREACH\)/],
        [
            err("SELF_SIGNED_CERT_IN_CHAIN"),
            "tls",
            /TLS handshake with h.example:6379 failed: the certificate is not trusted .*\[SELF_SIGNED_CERT_IN_CHAIN\]/,
        ],
        [err("ERR_TLS_CERT_ALTNAME_INVALID"), "tls", /does not name this host/],
        [
            err("ERR_SSL_WRONG_VERSION_NUMBER", "wrong version number"),
            "tls",
            /TLS handshake with h.example:6379 failed: wrong version number/,
        ],
        [
            new Error("WRONGPASS invalid username-password pair or user is disabled."),
            "auth",
            /wrong password \(check REDISCLI_AUTH\)/,
        ],
        [new Error("NOAUTH Authentication required."), "auth", /requires a password: set REDISCLI_AUTH/],
        [
            new Error("ERR AUTH <password> called without any password configured for the default user."),
            "auth",
            /no password configured but REDISCLI_AUTH is set/,
        ],
        [new Error("CLUSTERDOWN The cluster is down"), "cluster-down", /cluster at h.example:6379 is down/],
        [new Error("READONLY You can't write against a read only replica."), "replica", /read-only replica/],
        [new Error("something\nelse"), "error", /^h.example:6379: something$/],
    ];
    for (const [e, kind, re] of cases) {
        it(`${(e as Error).message.split("\n")[0]} -> ${kind}`, () => {
            const f = classifyError(e, at, 5);
            assert.strictEqual(f.kind, kind);
            assert.match(f.message, re);
            assert.ok(!f.message.includes("\n"), "one line");
            assert.ok(REDIS_CHECK_EXIT_CODES[f.kind] > 0);
        });
    }
    it("names the ACL user when AUTH as a user fails", () => {
        const f = classifyReply("WRONGPASS invalid username-password pair or user is disabled.", at, "app-user");
        assert.strictEqual(f?.kind, "auth");
        assert.match(f?.message ?? "", /as user app-user failed: .* \(check --user and REDISCLI_AUTH\)$/);
    });

    it("leaves replies it does not know alone", () => {
        assert.strictEqual(classifyReply("ERR unknown command", at), undefined);
    });
});

describe("bench:redis", () => {
    it("reads requests per second from redis-benchmark --csv", () => {
        const csv = [
            '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"',
            '"SET","592885.00","0.717","0.176","0.647","1.255","3.687","10.727"',
            '"GET","1153846.12","0.306","0.112","0.263","0.535","1.903","5.023"',
        ].join("\n");
        assert.deepStrictEqual(
            [...parseBenchmarkCsv(csv)],
            [
                ["SET", 592885],
                ["GET", 1153846.12],
            ],
        );
    });
});

describe("redis-check system CAs", () => {
    it("adds the first system bundle found to Node's bundled roots", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "system-ca-"));
        try {
            const bundle = path.join(dir, "bundle.pem");
            fs.writeFileSync(bundle, tls.rootCertificates[0]);
            fs.writeFileSync(path.join(dir, "empty.pem"), "not a certificate");
            const found = systemCa([path.join(dir, "missing.pem"), path.join(dir, "empty.pem"), bundle]);
            assert.strictEqual(found.file, bundle);
            assert.strictEqual(found.ca.length, tls.rootCertificates.length + 1);
            const none = systemCa([path.join(dir, "missing.pem")]);
            assert.strictEqual(none.file, undefined);
            assert.deepStrictEqual(none.ca, [...tls.rootCertificates]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("redis-check key safety expiry", () => {
    const base = { keys: 300, batch: 500, timeoutMs: 5000, failoverWaitMs: 30_000 };
    it("outlasts the worst case of every bounded step of the run", () => {
        // 1 batch each for write and read, each 3 timeouts + failover wait + 250 ms; 300 single steps of a timeout.
        assert.strictEqual(keyTtlMs(base), 2 * (2 * (15_000 + 30_000 + 250) + 300 * 5000));
    });
    it("grows with keys, timeout and failover wait, and is finite", () => {
        assert.ok(keyTtlMs({ ...base, keys: 3000 }) > keyTtlMs(base));
        assert.ok(keyTtlMs({ ...base, timeoutMs: 10_000 }) > keyTtlMs(base));
        assert.ok(keyTtlMs({ ...base, failoverWaitMs: 60_000 }) > keyTtlMs(base));
        assert.ok(Number.isFinite(keyTtlMs({ ...base, keys: 10_000_000, batch: 1, timeoutMs: 300_000 })));
    });
});
