// The rendered redis-connect in iam mode, run for real: a fake `aws` answers `aws ssm get-parameter` for the
// endpoint and cache-name parameters, a loopback server plays IMDSv2 (region and the role's credentials), and a
// TLS redis-server with ACL users mirrors the user group (default user off; the bastion's user). The recording
// redis-cli wrapper next to the helper checks what it was given: `--user`, and the token in REDISCLI_AUTH only.
// The token is checked against the AWS SDK's signer at the same clock; the server (ACL `nopass`, as it cannot
// verify SigV4) proves the user, the TLS path and the access string.
import { strict as assert } from "assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { renderRedisConnect, shellQuote } from "../../infra/bastion/user-data";
import { BASTION_ACCESS_STRING } from "../../infra/redis";
import { iamAuthToken } from "../../scripts/redis-check/iam";
import {
    type LoopbackServer,
    makeTlsFiles,
    run,
    runOk,
    startLoopbackServer,
    startTlsRedis,
    type TlsFiles,
    type TlsRedis,
    writeExecutable,
} from "./helpers";

const ENDPOINT_PARAMETER = "/redis-stack/test/endpoint";
const CACHE_NAME_PARAMETER = "/redis-stack/test/replication-group-id";
const CACHE_NAME = "redis-test-cache-group-1a2b3c4";
const USER = "redis-test-bastion";
const REGION = "eu-west-1";
const IMDS_TOKEN = "imds-session-token-5678";
const ROLE = "redis-test-bastion-role-1a2b3c4";
const CREDS = {
    Code: "Success",
    Type: "AWS-HMAC",
    AccessKeyId: "ASIAEXAMPLEEXAMPLE12",
    SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    Token: "IQoJb3JpZ2luX2VjEXAMPLE//session==",
};
const ADMIN_PASSWORD = "admin-password-for-the-test";

describe("bastion redis-connect in iam mode, run for real", function () {
    this.timeout(60_000);

    let root: string;
    let bin: string;
    let tls: TlsFiles;
    let redis: TlsRedis;
    let imds: LoopbackServer;
    /** PATH with the fake aws first, and nothing of the test's own environment. */
    let path_: string;
    const argvFile = () => path.join(root, "argv");
    const authFile = () => path.join(root, "auth");

    const admin = (...args: string[]) =>
        runOk("redis-cli", ["--tls", "--cacert", tls.caCert, "-p", String(redis.port), "--user", "admin", ...args], {
            env: { ...process.env, REDISCLI_AUTH: ADMIN_PASSWORD },
        });

    before(async function () {
        root = mkdtempSync(path.join(tmpdir(), "bastion-connect-iam-"));
        tls = await makeTlsFiles(root);
        redis = await startTlsRedis(root, tls, ADMIN_PASSWORD);
        // The user group as ACL users: an admin for the test, the bastion's user, and the default user off.
        await runOk(
            "redis-cli",
            [
                "--tls",
                "--cacert",
                tls.caCert,
                "-p",
                String(redis.port),
                "ACL",
                "SETUSER",
                "admin",
                "on",
                `>${ADMIN_PASSWORD}`,
                "~*",
                "&*",
                "+@all",
            ],
            { env: { ...process.env, REDISCLI_AUTH: ADMIN_PASSWORD } },
        );
        await admin("ACL", "SETUSER", USER, "reset", "nopass", ...BASTION_ACCESS_STRING.split(" "));
        await admin("ACL", "SETUSER", "default", "reset", "off", "-@all");
        imds = await startLoopbackServer((req, res) => {
            const authed = req.headers["x-aws-ec2-metadata-token"] === IMDS_TOKEN;
            if (req.method === "PUT" && req.url === "/latest/api/token") res.writeHead(200).end(IMDS_TOKEN);
            else if (!authed) res.writeHead(401).end();
            else if (req.url === "/latest/meta-data/placement/region") res.writeHead(200).end(REGION);
            else if (req.url === "/latest/meta-data/iam/security-credentials/") res.writeHead(200).end(ROLE);
            else if (req.url === `/latest/meta-data/iam/security-credentials/${ROLE}`)
                res.writeHead(200).end(JSON.stringify(CREDS));
            else res.writeHead(404).end();
        });
        bin = path.join(root, "bin");
        const awsDir = path.join(root, "aws-bin");
        mkdirSync(bin);
        mkdirSync(awsDir);
        writeExecutable(
            path.join(bin, "redis-connect"),
            renderRedisConnect({
                endpointParameterName: ENDPOINT_PARAMETER,
                authTokenParameterName: "/redis-stack/test/auth-token",
                authMode: "iam",
                redisUserId: USER,
                cacheNameParameterName: CACHE_NAME_PARAMETER,
            }),
        );
        const systemCli = (await run("sh", ["-c", "command -v redis-cli"])).stdout.trim();
        writeExecutable(
            path.join(bin, "redis-cli"),
            `#!/bin/bash
printf '%s\\n' "$@" > ${shellQuote(argvFile())}
printf '%s' "\${REDISCLI_AUTH-}" > ${shellQuote(authFile())}
exec ${shellQuote(systemCli)} "$@"
`,
        );
        writeExecutable(
            path.join(awsDir, "aws"),
            `#!/bin/bash
set -euo pipefail
# Only what redis-connect sends in iam mode: plain String parameters, never --with-decryption.
[ "$1 $2 $3 $4" = "ssm get-parameter --region ${REGION}" ] || { echo "fake aws: $*" >&2; exit 252; }
case "$6" in
  ${shellQuote(ENDPOINT_PARAMETER)}) echo 127.0.0.1:${redis.port} ;;
  ${shellQuote(CACHE_NAME_PARAMETER)}) echo ${CACHE_NAME} ;;
  *) echo "An error occurred (ParameterNotFound)" >&2; exit 254 ;;
esac
`,
        );
        path_ = `${awsDir}:/usr/bin:/bin`;
    });

    after(async function () {
        await redis?.stop();
        await imds?.stop();
        if (root) rmSync(root, { recursive: true, force: true });
    });

    const connect = (...args: string[]) =>
        run(path.join(bin, "redis-connect"), ["--cacert", tls.caCert, ...args], {
            env: { PATH: path_, REDIS_CONNECT_IMDS_URL: imds.baseUrl },
            timeoutMs: 30_000,
        });

    it("signs a token for the cache and the user with the role's credentials and connects as that user", async () => {
        const result = await connect("ACL", "WHOAMI");
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout.trim(), USER);

        const argv = readFileSync(argvFile(), "utf8").trimEnd().split("\n");
        assert.deepEqual(argv.slice(0, 8), [
            "--tls",
            "-c",
            "--user",
            USER,
            "-h",
            "127.0.0.1",
            "-p",
            String(redis.port),
        ]);
        const token = readFileSync(authFile(), "utf8");
        assert.ok(!argv.some((a) => a.includes("X-Amz") || a.includes(CREDS.SecretAccessKey)), "no secret on argv");
        const params = new URLSearchParams(token.split("/?")[1]);
        const date = params.get("X-Amz-Date")!;
        const signingDate = new Date(
            `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
        );
        const expected = await iamAuthToken(
            { cacheName: CACHE_NAME, userId: USER, region: REGION },
            { accessKeyId: CREDS.AccessKeyId, secretAccessKey: CREDS.SecretAccessKey, sessionToken: CREDS.Token },
            signingDate,
        );
        const asParams = (t: string) => Object.fromEntries(new URLSearchParams(t.split("/?")[1]));
        assert.deepEqual(asParams(token), asParams(expected));
        assert.ok(token.startsWith(`${CACHE_NAME}/?`));
        assert.ok(Math.abs(Date.now() - signingDate.getTime()) < 60_000, "signed now");
    });

    it("works within the access string and is refused outside it (no @dangerous)", async () => {
        assert.equal((await connect("SET", "bastion:iam", "ok")).stdout.trim(), "OK");
        assert.equal((await connect("GET", "bastion:iam")).stdout.trim(), "ok");
        const flush = await connect("FLUSHALL");
        assert.match(flush.stdout + flush.stderr, /NOPERM/);
        const keys = await connect("KEYS", "*");
        assert.match(keys.stdout + keys.stderr, /NOPERM/);
        assert.match((await connect("INFO", "server")).stdout, /redis_version/);
    });

    it("the default user is off: a client without the user cannot run anything", async () => {
        const r = await run("redis-cli", ["--tls", "--cacert", tls.caCert, "-p", String(redis.port), "PING"], {
            env: { PATH: "/usr/bin:/bin" },
        });
        assert.match(r.stdout + r.stderr, /NOAUTH|NOPERM|WRONGPASS|disabled/i);
    });

    it("fails in one line without an instance role", async () => {
        const noRole = await startLoopbackServer((req, res) => {
            if (req.method === "PUT") res.writeHead(200).end(IMDS_TOKEN);
            else if (req.url === "/latest/meta-data/placement/region") res.writeHead(200).end(REGION);
            else res.writeHead(404).end();
        });
        try {
            const r = await run(path.join(bin, "redis-connect"), ["PING"], {
                env: { PATH: path_, REDIS_CONNECT_IMDS_URL: noRole.baseUrl },
                timeoutMs: 30_000,
            });
            assert.notEqual(r.code, 0);
            assert.match(r.stderr, /redis-connect: no IAM role on this instance/);
        } finally {
            await noRole.stop();
        }
    });
});
