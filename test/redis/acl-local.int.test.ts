// The iam mode's RBAC setup on real local servers: `local-redis.sh --acl` (default user off, the bastion's
// user with its access string, a password standing in for the IAM token), and redis:check --iam connecting as
// that user with the IAM signer stubbed (the one thing a local server cannot verify is SigV4). Also: users and
// commands outside the access string are refused, and connections are renewed with fresh tokens.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import Redis from "ioredis";
import * as os from "os";
import * as path from "path";
import * as fc from "fast-check";
import { BASTION_ACCESS_STRING } from "../../infra/redis";
import { accessStringProblems } from "../../policy/shared";
import { main } from "../../scripts/redis-check/cli";
import { REDIS_CHECK_EXIT_CODES } from "../../scripts/redis-check/failures";
import { IamRenewal, type IamTokenRequest } from "../../scripts/redis-check/iam";
import { readInfo, REPO, type LocalRedis } from "./helpers";

const SCRIPT = path.join(REPO, "scripts", "local-redis.sh");
const USER = "redis-local-bastion";

function sh(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
    return new Promise((resolve) =>
        execFile("bash", [SCRIPT, ...args], { env, timeout: 60_000, killSignal: "SIGKILL" }, (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
        ),
    );
}

function redisCli(l: LocalRedis, args: string[], auth?: string): Promise<string> {
    return new Promise((resolve) =>
        execFile(
            "redis-cli",
            ["--tls", "--cacert", l.ca, "-h", l.host, "-p", String(l.port), ...args],
            { env: { PATH: process.env.PATH, ...(auth ? { REDISCLI_AUTH: auth } : {}) }, timeout: 10_000 },
            (_err, stdout, stderr) => resolve(stdout + stderr),
        ),
    );
}

/** Runs redis:check's main in-process with the signer stubbed; returns its exit status and what it printed. */
async function checkIam(
    l: LocalRedis,
    extra: string[],
    signer: (r: IamTokenRequest) => () => Promise<string>,
): Promise<{ status: number; out: string; requests: IamTokenRequest[] }> {
    const requests: IamTokenRequest[] = [];
    let out = "";
    const write = (chunk: string | Uint8Array) => {
        out += String(chunk);
        return true;
    };
    const [o, e] = [process.stdout.write, process.stderr.write];
    process.stdout.write = write;
    process.stderr.write = write;
    try {
        const status = await main(
            [
                "--host",
                l.host,
                "--port",
                String(l.port),
                "--ca",
                l.ca,
                "--iam",
                "--keys",
                "40",
                "--timeout",
                "5",
                ...extra,
            ],
            { PATH: process.env.PATH },
            {
                signerFor: (r) => {
                    requests.push(r);
                    return signer(r);
                },
            },
        );
        return { status, out, requests };
    } finally {
        process.stdout.write = o;
        process.stderr.write = e;
    }
}

for (const [mode, basePort] of [
    ["replicated", 7300],
    ["cluster", 7400],
] as const) {
    describe(`local-redis --acl (${mode}) and redis:check --iam with the signer stubbed`, function () {
        this.timeout(120_000);
        let dir: string;
        let l: LocalRedis;
        let iamToken: string;
        const env = () => ({ ...process.env, LOCAL_REDIS_DIR: dir, LOCAL_REDIS_BASE_PORT: String(basePort) });

        before(async function () {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), `redis-acl-${mode}-`));
            const r = await sh(["start", "--mode", mode, "--acl"], env());
            assert.equal(r.code, 0, r.out);
            l = readInfo(dir, mode);
            iamToken = fs.readFileSync(path.join(l.state, "iam-token"), "utf8").trim();
        });

        after(async function () {
            if (dir) {
                await sh(["stop", "--mode", mode], env());
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("mirrors the RBAC user group: the bastion's access string, the default user off", async () => {
            const list = await redisCli(l, ["--user", "admin", "ACL", "LIST"], l.token);
            // Redis lists -@dangerous +info expanded into the commands it removes; the behaviour is tested below.
            assert.match(list, /user default off (sanitize-payload )?resetchannels -@all\n/);
            assert.match(list, new RegExp(`user ${USER} on #[0-9a-f]{64} ~\\* &\\* \\+@all -@admin .*-flushall`));
            assert.equal(fs.readFileSync(SCRIPT, "utf8").match(/^acl_access='(.*)'$/m)?.[1], BASTION_ACCESS_STRING);
        });

        it("redis:check --iam connects as the user with the token from the signer, signed for the cache", async () => {
            const r = await checkIam(
                l,
                ["--user", USER, "--cache-name", "redis-local", "--region", "us-east-1"],
                () => async () => iamToken,
            );
            assert.equal(r.status, 0, r.out);
            assert.match(r.out, new RegExp(`as user ${USER} \\(IAM\\)`));
            assert.match(r.out, /OK in \d+ ms/);
            assert.deepEqual(r.requests, [{ userId: USER, cacheName: "redis-local", region: "us-east-1" }]);
            assert.ok(!r.out.includes(iamToken), "the token is never printed");
        });

        it("a user outside the group, or a wrong token, is refused (exit auth); so is the default user", async () => {
            const stranger = await checkIam(
                l,
                ["--user", "redis-local-stranger", "--cache-name", "c", "--region", "us-east-1"],
                () => async () => iamToken,
            );
            assert.equal(stranger.status, REDIS_CHECK_EXIT_CODES.auth, stranger.out);
            assert.match(stranger.out, /as user redis-local-stranger failed/);
            const wrong = await checkIam(
                l,
                ["--user", USER, "--cache-name", "c", "--region", "us-east-1"],
                () => async () => "expired-token",
            );
            assert.equal(wrong.status, REDIS_CHECK_EXIT_CODES.auth, wrong.out);
            assert.match(await redisCli(l, ["PING"]), /NOAUTH/);
            assert.match(await redisCli(l, ["--user", "default", "PING"], "anything"), /WRONGPASS|disabled/);
        });

        it("commands outside the user's access string are refused", async () => {
            assert.match(await redisCli(l, ["--user", USER, "FLUSHALL"], iamToken), /NOPERM/);
            assert.match(await redisCli(l, ["--user", USER, "CONFIG", "GET", "maxmemory"], iamToken), /NOPERM/);
            assert.match(await redisCli(l, ["--user", USER, "INFO", "server"], iamToken), /redis_version/);
        });

        if (mode === "replicated") {
            it("the access-string grammar agrees with Redis's own ACL SETUSER (property, Redis as the oracle)", async () => {
                const admin = new Redis({
                    host: l.host,
                    port: l.port,
                    tls: { ca: fs.readFileSync(l.ca) },
                    username: "admin",
                    password: l.token,
                });
                // Rules ElastiCache accepts and malformed ones; passwords, reset and selectors are AWS's own refusals
                // (Redis accepts them), checked by the unit tests instead.
                const rule = fc.constantFrom(
                    "on",
                    "off",
                    "~*",
                    "~app:*",
                    "%R~app:*",
                    "%W~log:*",
                    "%RW~k",
                    "&*",
                    "&chan:*",
                    "allkeys",
                    "allchannels",
                    "allcommands",
                    "nocommands",
                    "resetkeys",
                    "resetchannels",
                    "+@all",
                    "-@all",
                    "+@read",
                    "-@dangerous",
                    "+get",
                    "-flushall",
                    "+info",
                    "+client|list",
                    "-config|set",
                    "%X~k",
                    "~",
                    "&",
                    "+@",
                    "@read",
                    "+",
                    "-",
                    "on,off",
                    "~a b",
                );
                try {
                    await fc.assert(
                        fc.asyncProperty(fc.array(rule, { minLength: 1, maxLength: 6 }), async (rules) => {
                            const words = rules.join(" ").split(/\s+/);
                            let redisAccepts = true;
                            try {
                                await admin.call("ACL", "SETUSER", "probe", "reset", ...words);
                            } catch {
                                redisAccepts = false;
                            }
                            assert.equal(
                                accessStringProblems(rules.join(" ")).length === 0,
                                redisAccepts,
                                rules.join(" "),
                            );
                        }),
                        { numRuns: 150, seed: 19 },
                    );
                } finally {
                    admin.disconnect();
                }
            });
        }

        it("a signer that fails ends the check with one line naming the user (exit auth)", async () => {
            const r = await checkIam(
                l,
                ["--user", USER, "--cache-name", "c", "--region", "us-east-1"],
                () => async () => {
                    throw new Error("Could not load credentials from any providers");
                },
            );
            assert.equal(r.status, REDIS_CHECK_EXIT_CODES.auth);
            assert.equal(
                r.out.trim(),
                `redis-check: could not sign an IAM auth token for ${USER}: Could not load credentials from any providers`,
            );
        });
    });
}

describe("IamRenewal: reconnects with a fresh token before the old one stops working", function () {
    this.timeout(120_000);
    let dir: string;
    let l: LocalRedis;
    const env = () => ({ ...process.env, LOCAL_REDIS_DIR: dir, LOCAL_REDIS_BASE_PORT: "7300" });

    before(async function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "redis-acl-renew-"));
        const r = await sh(["start", "--mode", "replicated", "--acl"], env());
        assert.equal(r.code, 0, r.out);
        l = readInfo(dir, "replicated");
    });
    after(async function () {
        if (dir) {
            await sh(["stop", "--mode", "replicated"], env());
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("after the server stops accepting the first token, the renewed connection authenticates with the next", async () => {
        const admin = (...args: string[]) => redisCli(l, ["--user", "admin", ...args], l.token);
        await admin("ACL", "SETUSER", "renewed", "reset", "on", ">token-1", "~*", "+@all");
        let n = 0;
        const renewal = await IamRenewal.start(async () => `token-${++n}`, { refreshMs: 100, reconnectMs: 600 });
        const client = new Redis({
            host: l.host,
            port: l.port,
            tls: { ca: fs.readFileSync(l.ca) },
            username: "renewed",
            password: renewal.current,
            lazyConnect: true,
        });
        let readies = 0;
        client.on("ready", () => readies++);
        try {
            await client.connect();
            const detach = renewal.attach(client);
            // The first token expires: only later ones are accepted from now on (as IAM tokens age out).
            await admin(
                "ACL",
                "SETUSER",
                "renewed",
                "resetpass",
                ...Array.from({ length: 200 }, (_, i) => `>token-${i + 2}`),
            );
            // The renewal reconnects within reconnectMs (600 ms) of the refresh; wait for it, bounded.
            for (const end = Date.now() + 10_000; readies < 2 && Date.now() < end;) {
                await new Promise((r) => setTimeout(r, 50));
            }
            assert.ok(readies >= 2, `reconnected ${readies - 1} time(s)`);
            assert.equal(await client.set("renewed:k", "v", "PX", 10_000), "OK");
            assert.notEqual(client.options.password, "token-1");
            assert.match(await admin("CLIENT", "LIST"), /user=renewed/);
            detach();
        } finally {
            renewal.stop();
            client.disconnect();
        }
    });
});
