/** Test cases and probes shared by the suites of check-servers.int.test.ts, each against either kind of local server. */
import * as assert from "assert";
import { REDIS_CHECK_EXIT_CODES } from "../../scripts/redis-check";
import { check, cli, freePort, type LocalRedis, nodeClient, oneLine } from "./helpers";

export function tlsArgs(l: LocalRedis): string[] {
    return ["--host", l.host, "--port", String(l.port), "--ca", l.ca];
}

/** The error cases the issue lists, against either kind of local server. */
export function errorCases(get: () => LocalRedis, plainPort: () => number | undefined): void {
    it("fails on a wrong password, naming it", async () => {
        const r = await check(tlsArgs(get()), { REDISCLI_AUTH: "not-the-token" });
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.auth, r.stderr);
        assert.match(
            oneLine(r.stderr),
            /^redis-check: authentication to 127\.0\.0\.1:\d+ failed: wrong password \(check REDISCLI_AUTH\)$/,
        );
    });

    it("fails without a password, saying to set REDISCLI_AUTH", async () => {
        const r = await check(tlsArgs(get()));
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.auth, r.stderr);
        assert.match(oneLine(r.stderr), /requires a password: set REDISCLI_AUTH to the AUTH token$/);
    });

    it("fails plain-text against the TLS port, saying to add --tls", async () => {
        const l = get();
        const r = await check(["--host", l.host, "--port", String(l.port)], { REDISCLI_AUTH: l.token });
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.tls, r.stderr);
        assert.match(oneLine(r.stderr), /closed the connection without a reply: it expects TLS \(add --tls\)$/);
    });

    it("fails TLS with an untrusted certificate (system CAs) and keeps checking it", async () => {
        const l = get();
        const r = await check(["--host", l.host, "--port", String(l.port), "--tls"], { REDISCLI_AUTH: l.token });
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.tls, r.stderr);
        assert.match(
            oneLine(r.stderr),
            /TLS handshake with 127\.0\.0\.1:\d+ failed: the certificate is not trusted .*\[SELF_SIGNED_CERT_IN_CHAIN\]$/,
        );
    });

    it("fails TLS against a plain-text port, saying to drop --tls", async () => {
        const l = get();
        // A plain server never answers a ClientHello, so the handshake runs into --timeout.
        const r = await check(["--host", "127.0.0.1", "--port", String(plainPort()), "--ca", l.ca, "--timeout", "2"], {
            REDISCLI_AUTH: l.token,
        });
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.tls, r.stderr);
        assert.match(
            oneLine(r.stderr),
            /TLS handshake with 127\.0\.0\.1:\d+ failed: the port speaks plain-text Redis \(drop --tls\)$/,
        );
    });

    it("fails on a closed port", async () => {
        const l = get();
        const port = await freePort();
        const r = await check(["--host", "127.0.0.1", "--port", String(port), "--ca", l.ca], {
            REDISCLI_AUTH: l.token,
        });
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.refused, r.stderr);
        assert.strictEqual(
            oneLine(r.stderr),
            `redis-check: connection refused by 127.0.0.1:${port}: nothing listens there (check --port)`,
        );
    });
}

/** ElastiCache RBAC: an ACL user on every node, authenticated as `AUTH user password` (#10.11). */
export function aclUserCases(get: () => LocalRedis): void {
    describe("as an ACL user (--user)", () => {
        const user = "checker";
        const password = "checker-password-0123456789";
        before(async () => {
            const l = get();
            for (const p of l.ports) {
                await cli(l, p, "ACL", "SETUSER", user, "reset", "on", `>${password}`, "~redis-check:*", "+@all");
            }
        });
        after(async () => {
            const l = get();
            for (const p of l.ports) await cli(l, p, "ACL", "DELUSER", user);
        });

        it("checks as that user, its password from REDISCLI_AUTH", async () => {
            const l = get();
            const r = await check([...tlsArgs(l), "--user", user, "--keys", "100"], { REDISCLI_AUTH: password });
            assert.strictEqual(r.code, 0, r.stderr + r.stdout);
            assert.match(
                r.stdout,
                new RegExp(`^redis-check: 127\\.0\\.0\\.1:${l.port} as user ${user} \\(from flags\\)`),
            );
            assert.match(r.stdout, /read back 100\/100/);
            assert.deepStrictEqual(
                await dbsizes(l),
                l.ports.map(() => 0),
            );
        });

        it("fails on a user the server does not know, in one line naming the user", async () => {
            const r = await check([...tlsArgs(get()), "--user", "nobody"], { REDISCLI_AUTH: password });
            assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.auth, r.stderr);
            assert.match(
                oneLine(r.stderr),
                /^redis-check: authentication to 127\.0\.0\.1:\d+ as user nobody failed: no such user, user disabled or wrong password \(check --user and REDISCLI_AUTH\)$/,
            );
        });

        it("asks for the user's password in REDISCLI_AUTH", async () => {
            const r = await check([...tlsArgs(get()), "--user", user]);
            assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.usage, r.stderr);
            assert.strictEqual(
                oneLine(r.stderr),
                `redis-check: --user ${user}: set the user's password in REDISCLI_AUTH`,
            );
        });
    });
}

/** Every key on every node of a local cluster, with its PTTL (replicas included: they hold copies). */
export async function keysWithTtl(l: LocalRedis): Promise<Map<string, number>> {
    const ttls = new Map<string, number>();
    for (const port of l.ports) {
        const r = nodeClient(l, port);
        try {
            await r.connect();
            // A cluster replica answers reads of its primary's keys only after READONLY (MOVED otherwise).
            await r.call("READONLY");
            let cursor = "0";
            do {
                const [next, keys] = await r.scan(cursor, "COUNT", 1000);
                cursor = next;
                const pipe = r.pipeline();
                for (const k of keys) pipe.pttl(k);
                const res = (await pipe.exec()) ?? [];
                keys.forEach((k, i) => {
                    const [err, ttl] = res[i];
                    if (err) throw err;
                    ttls.set(`${port}/${k}`, Number(ttl));
                });
            } while (cursor !== "0");
        } finally {
            r.disconnect();
        }
    }
    return ttls;
}

/** Deletes whatever a killed run left, so that the next tests start from empty servers. */
export async function flushPrimaries(l: LocalRedis): Promise<void> {
    for (const port of l.ports) {
        if ((await cli(l, port, "role")).startsWith("master")) await cli(l, port, "flushall");
    }
}

export async function dbsizes(l: LocalRedis): Promise<number[]> {
    return Promise.all(l.ports.map(async (p) => Number((await cli(l, p, "dbsize")).trim())));
}
