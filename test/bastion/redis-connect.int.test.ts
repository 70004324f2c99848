// Runs the rendered redis-connect helper for real: a fake `aws` on PATH answers like
// `aws ssm get-parameter`, a loopback HTTP server plays IMDSv2 (tokens required), and a TLS
// redis-server with requirepass stands in for ElastiCache. A recording wrapper named redis-cli sits
// next to the helper (where the install puts the real one) and hands over to the system's TLS redis-cli.
import { strict as assert } from "assert";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { renderRedisConnect, shellQuote } from "../../infra/bastion/user-data";
import {
    freePort,
    type LoopbackServer,
    makeTlsFiles,
    run,
    type RunResult,
    startLoopbackServer,
    startTlsRedis,
    type TlsFiles,
    type TlsRedis,
    writeExecutable,
} from "./helpers";

const ENDPOINT_PARAMETER = "/redis-stack/test/endpoint";
const AUTH_PARAMETER = "/redis-stack/test/auth-token";
const MALFORMED_PARAMETER = "/redis-stack/test/malformed-endpoint";
const TOKEN = "Tok3n-with!&#$^<>-chars";
const REGION = "eu-west-1";
const IMDS_TOKEN = "imds-session-token-1234";

describe("bastion redis-connect helper, run for real", function () {
    this.timeout(60_000);

    let root: string;
    let bin: string;
    let awsDir: string;
    let tls: TlsFiles;
    let redis: TlsRedis;
    let imds: LoopbackServer;

    const awsCallsFile = () => path.join(root, "aws-calls");
    const cliArgvFile = () => path.join(root, "redis-cli-argv");
    const cliAuthFile = () => path.join(root, "redis-cli-auth");

    function fakeAws(endpointValue: string): string {
        const q = shellQuote;
        return `#!/bin/bash
# Answers \`aws ssm get-parameter\` like the AWS CLI v2, for the parameters of this test only.
set -euo pipefail
(IFS=$'\\x1f'; printf '%s\\n' "$*") >> ${q(awsCallsFile())}
[ "$1 $2" = "ssm get-parameter" ] || { echo "fake aws: unsupported command: $*" >&2; exit 252; }
shift 2
region='' name='' decrypt=no query='' output=''
while [ $# -gt 0 ]; do
  case "$1" in
    --region) region=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --with-decryption) decrypt=yes; shift ;;
    --query) query=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    *) echo "fake aws: unknown option $1" >&2; exit 252 ;;
  esac
done
if [ "$query" != Parameter.Value ] || [ "$output" != text ]; then
  echo "fake aws: expected --query Parameter.Value --output text" >&2; exit 252
fi
not_found() { echo "An error occurred (ParameterNotFound) when calling the GetParameter operation: Parameter $name not found in $region." >&2; exit 254; }
[ "$region" = ${q(REGION)} ] || not_found
case "$name" in
  ${q(ENDPOINT_PARAMETER)}) printf '%s\\n' ${q(endpointValue)} ;;
  ${q(MALFORMED_PARAMETER)}) printf '%s\\n' 'redis.example.com' ;;
  ${q(AUTH_PARAMETER)})
    # A SecureString read without --with-decryption comes back as ciphertext.
    if [ "$decrypt" = yes ]; then printf '%s\\n' ${q(TOKEN)}; else printf '%s\\n' 'AQICAHhN0tTh3T0k3n=='; fi ;;
  *) not_found ;;
esac
`;
    }

    function connect(
        args: string[],
        env: NodeJS.ProcessEnv = {},
        helper = path.join(bin, "redis-connect"),
    ): Promise<RunResult> {
        return run(helper, args, {
            env: { PATH: `${awsDir}:/usr/bin:/bin`, REDIS_CONNECT_IMDS_URL: imds.baseUrl, ...env },
            timeoutMs: 30_000,
        });
    }

    const awsCalls = () =>
        existsSync(awsCallsFile())
            ? readFileSync(awsCallsFile(), "utf8")
                  .trimEnd()
                  .split("\n")
                  .map((line) => line.split("\x1f"))
            : [];

    before(async function () {
        root = mkdtempSync(path.join(tmpdir(), "bastion-connect-"));
        tls = await makeTlsFiles(root);
        redis = await startTlsRedis(root, tls, TOKEN);
        imds = await startLoopbackServer((req, res) => {
            if (
                req.method === "PUT" &&
                req.url === "/latest/api/token" &&
                req.headers["x-aws-ec2-metadata-token-ttl-seconds"]
            ) {
                res.writeHead(200).end(IMDS_TOKEN);
            } else if (req.method === "GET" && req.url === "/latest/meta-data/placement/region") {
                // IMDSv2 only, as on an instance with http-tokens=required: no token, no answer.
                if (req.headers["x-aws-ec2-metadata-token"] === IMDS_TOKEN) res.writeHead(200).end(REGION);
                else res.writeHead(401).end();
            } else {
                res.writeHead(404).end();
            }
        });
        bin = path.join(root, "bin");
        awsDir = path.join(root, "aws-bin");
        mkdirSync(bin);
        mkdirSync(awsDir);
        writeExecutable(
            path.join(bin, "redis-connect"),
            renderRedisConnect({
                endpointParameterName: ENDPOINT_PARAMETER,
                authTokenParameterName: AUTH_PARAMETER,
            }),
        );
        const systemCli = (await run("sh", ["-c", "command -v redis-cli"])).stdout.trim();
        assert.ok(systemCli, "redis-cli (Debian's redis-tools, built with TLS) is installed");
        writeExecutable(
            path.join(bin, "redis-cli"),
            `#!/bin/bash
printf '%s\\n' "$@" > ${shellQuote(cliArgvFile())}
printf '%s' "\${REDISCLI_AUTH-}" > ${shellQuote(cliAuthFile())}
exec ${shellQuote(systemCli)} "$@"
`,
        );
        writeExecutable(path.join(awsDir, "aws"), fakeAws(`127.0.0.1:${redis.port}`));
    });

    beforeEach(function () {
        rmSync(awsCallsFile(), { force: true });
        rmSync(cliArgvFile(), { force: true });
        rmSync(cliAuthFile(), { force: true });
        imds.requests.length = 0;
    });

    after(async function () {
        await redis?.stop();
        await imds?.stop();
        if (root) rmSync(root, { recursive: true, force: true });
    });

    it("connects with --tls -c to the endpoint from SSM, the token only in REDISCLI_AUTH", async function () {
        const result = await connect(["--cacert", tls.caCert, "PING"]);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout.trim(), "PONG");

        const argv = readFileSync(cliArgvFile(), "utf8").trimEnd().split("\n");
        assert.deepEqual(argv, [
            "--tls",
            "-c",
            "-h",
            "127.0.0.1",
            "-p",
            String(redis.port),
            "--cacert",
            tls.caCert,
            "PING",
        ]);
        assert.equal(readFileSync(cliAuthFile(), "utf8"), TOKEN);

        const calls = awsCalls();
        assert.deepEqual(calls, [
            [
                "ssm",
                "get-parameter",
                "--region",
                REGION,
                "--name",
                ENDPOINT_PARAMETER,
                "--query",
                "Parameter.Value",
                "--output",
                "text",
            ],
            [
                "ssm",
                "get-parameter",
                "--region",
                REGION,
                "--name",
                AUTH_PARAMETER,
                "--with-decryption",
                "--query",
                "Parameter.Value",
                "--output",
                "text",
            ],
        ]);
        for (const args of [argv, ...calls])
            assert.ok(!args.some((a) => a.includes(TOKEN)), "the token is on no command line");

        // IMDSv2: a session token first, then the region with that token.
        assert.deepEqual(
            imds.requests.map((r) => `${r.method} ${r.url}`),
            ["PUT /latest/api/token", "GET /latest/meta-data/placement/region"],
        );
        assert.equal(imds.requests[1].headers["x-aws-ec2-metadata-token"], IMDS_TOKEN);
    });

    it("passes commands through to redis-cli against the AUTH-protected TLS server", async function () {
        const set = await connect(["--cacert", tls.caCert, "SET", "bastion:connect", "it works"]);
        assert.equal(set.stdout.trim(), "OK", set.stderr);
        const get = await connect(["--cacert", tls.caCert, "GET", "bastion:connect"]);
        assert.equal(get.stdout.trim(), "it works", get.stderr);
    });

    it("finds its redis-cli next to itself when started through a symlink", async function () {
        const elsewhere = path.join(root, "elsewhere");
        mkdirSync(elsewhere, { recursive: true });
        const link = path.join(elsewhere, "rc");
        if (!existsSync(link)) symlinkSync(path.join(bin, "redis-connect"), link);
        const result = await connect(["--cacert", tls.caCert, "PING"], {}, link);
        assert.equal(result.stdout.trim(), "PONG", result.stderr);
    });

    it("refuses an endpoint value that is not <host>:<port>, before starting redis-cli", async function () {
        const result = await connect(["PING"], { REDIS_CONNECT_ENDPOINT_PARAMETER: MALFORMED_PARAMETER });
        assert.equal(result.code, 1);
        assert.equal(
            result.stderr.trim(),
            `redis-connect: SSM parameter ${MALFORMED_PARAMETER} is 'redis.example.com'; expected <host>:<port>, e.g. master.example.cache.amazonaws.com:6379`,
        );
        assert.ok(!existsSync(cliArgvFile()), "redis-cli was not started");
    });

    it("reports a parameter it cannot read, with the AWS CLI's own error", async function () {
        const result = await connect(["PING"], { REDIS_CONNECT_AUTH_PARAMETER: "/redis-stack/test/missing" });
        assert.equal(result.code, 1);
        assert.match(result.stderr, /ParameterNotFound/);
        assert.match(
            result.stderr,
            /redis-connect: could not read SSM parameter \/redis-stack\/test\/missing in eu-west-1/,
        );
        assert.ok(!existsSync(cliArgvFile()));
    });

    it("says so when there is no instance metadata service", async function () {
        const closed = `http://127.0.0.1:${await freePort()}`;
        const result = await connect(["PING"], { REDIS_CONNECT_IMDS_URL: closed });
        assert.equal(result.code, 1);
        assert.match(result.stderr, new RegExp(`redis-connect: no IMDSv2 token from ${closed}`));
        assert.deepEqual(awsCalls(), [], "SSM is not asked without a region");
    });

    it("says so when the aws CLI is missing", async function () {
        const result = await connect(["PING"], { PATH: "/usr/bin:/bin" });
        assert.equal(result.code, 1);
        assert.equal(result.stderr.trim(), "redis-connect: the aws CLI is not on PATH");
    });
});
