// The IAM auth token signers against known answers: the bastion's (infra/bastion/iam-auth-token.py, Python's
// standard library, run here by python3 as on the instance) and redis:check's (@smithy/signature-v4).
// - AWS's signing-key example ("Examples of how to derive a signing key for Signature Version 4",
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html): secret
//   wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam -> f4780e2d...db404d.
// - AWS's presigned-URL example ("Authenticating Requests: Using Query Parameters (AWS Signature Version 4)",
//   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html): GET /test.txt on
//   examplebucket.s3.amazonaws.com, 20130524T000000Z, 86400 s, UNSIGNED-PAYLOAD -> aeeed9bb...f604d404.
// - The ElastiCache token computed independently by the AWS SDK's signer with the same credentials and clock.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { iamAuthTokenSigner } from "../../infra/bastion/user-data";
import { iamAuthToken } from "../../scripts/redis-check/iam";

/** Calls a function of the signer's file (imported as a module, so its main does not run). */
const PY = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("signer", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
a = json.loads(sys.argv[2])
print(m.signing_key(*a["args"]).hex() if a["fn"] == "key" else m.presign(*a["args"]))
`;
const SIGNER_FILE = path.join(__dirname, "../../infra/bastion/iam-auth-token.py");

function python(fn: "key" | "presign", args: unknown[]): string {
    const r = spawnSync("python3", ["-c", PY, SIGNER_FILE, JSON.stringify({ fn, args })], {
        encoding: "utf8",
        timeout: 10_000,
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
}

/** The bastion's signer as redis-connect runs it: settings in its environment, credentials on stdin. */
function bastionToken(
    env: Record<string, string>,
    stdin = "",
): { status: number | null; stdout: string; stderr: string } {
    return spawnSync("python3", ["-c", iamAuthTokenSigner()], {
        encoding: "utf8",
        timeout: 10_000,
        input: stdin,
        env: { PATH: process.env.PATH ?? "", ...env },
    });
}

const KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SESSION = "IQoJb3JpZ2luX2VjEXAMPLE/session+token==";
const DATE = new Date(Date.UTC(2026, 11, 4, 17, 5, 9));
const AMZ_DATE = "20261204T170509Z";
const REQUEST = { cacheName: "redis-prod-cache-group-1a2b3c4", userId: "redis-prod-bastion", region: "us-east-1" };

describe("IAM auth token signers: known answers", function () {
    this.timeout(30_000);

    it("derives AWS's published signing key (python)", () => {
        assert.equal(
            python("key", ["wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam"]),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
        );
    });

    it("reproduces AWS's published presigned URL (python)", () => {
        const query = python("presign", [
            "GET",
            "examplebucket.s3.amazonaws.com",
            "/test.txt",
            {},
            "us-east-1",
            "s3",
            KEY_ID,
            SECRET,
            "",
            "20130524T000000Z",
            86400,
            "UNSIGNED-PAYLOAD",
        ]);
        assert.equal(
            query,
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
                "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
                "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
        );
    });

    it("the bastion's token equals the AWS SDK's, with and without a session token, parameter for parameter", async () => {
        for (const sessionToken of [SESSION, undefined]) {
            const sdk = await iamAuthToken(
                REQUEST,
                { accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken },
                DATE,
            );
            const r = bastionToken({
                IAM_TOKEN_CACHE_NAME: REQUEST.cacheName,
                IAM_TOKEN_USER: REQUEST.userId,
                IAM_TOKEN_REGION: REQUEST.region,
                AWS_ACCESS_KEY_ID: KEY_ID,
                AWS_SECRET_ACCESS_KEY: SECRET,
                ...(sessionToken ? { AWS_SESSION_TOKEN: sessionToken } : {}),
                IAM_TOKEN_DATE: AMZ_DATE,
            });
            assert.equal(r.status, 0, r.stderr);
            const bastion = r.stdout.trim();
            const parse = (token: string) => {
                const [host, query] = token.split("/?");
                return { host, params: Object.fromEntries(new URLSearchParams(query)) };
            };
            assert.deepEqual(parse(bastion), parse(sdk));
            const { params } = parse(sdk);
            assert.equal(params.Action, "connect");
            assert.equal(params.User, REQUEST.userId);
            assert.equal(params["X-Amz-Expires"], "900");
            assert.equal(params["X-Amz-Credential"], `${KEY_ID}/20261204/us-east-1/elasticache/aws4_request`);
            assert.equal(params["X-Amz-Security-Token"], sessionToken);
            assert.match(params["X-Amz-Signature"], /^[0-9a-f]{64}$/);
            assert.ok(sdk.startsWith(`${REQUEST.cacheName}/?`));
        }
    });

    it("a changed input changes the signature (user, cache, Region, clock, secret)", async () => {
        const creds = { accessKeyId: KEY_ID, secretAccessKey: SECRET };
        const base = await iamAuthToken(REQUEST, creds, DATE);
        const sig = (t: string) => new URLSearchParams(t.split("/?")[1]).get("X-Amz-Signature");
        for (const other of [
            await iamAuthToken({ ...REQUEST, userId: "redis-prod-app" }, creds, DATE),
            await iamAuthToken({ ...REQUEST, cacheName: "other-cache" }, creds, DATE),
            await iamAuthToken({ ...REQUEST, region: "eu-west-1" }, creds, DATE),
            await iamAuthToken(REQUEST, creds, new Date(DATE.getTime() + 1000)),
            await iamAuthToken(REQUEST, { ...creds, secretAccessKey: `${SECRET}x` }, DATE),
        ]) {
            assert.notEqual(sig(other), sig(base));
        }
    });

    it("the bastion's signer reads the role's credentials from stdin (IMDS JSON) and never prints them", () => {
        const creds = JSON.stringify({ AccessKeyId: KEY_ID, SecretAccessKey: SECRET, Token: SESSION, Code: "Success" });
        const r = bastionToken(
            {
                IAM_TOKEN_CACHE_NAME: REQUEST.cacheName,
                IAM_TOKEN_USER: REQUEST.userId,
                IAM_TOKEN_REGION: REQUEST.region,
                AWS_ACCESS_KEY_ID: "",
                IAM_TOKEN_DATE: AMZ_DATE,
            },
            creds,
        );
        assert.equal(r.status, 0, r.stderr);
        assert.ok(!r.stdout.includes(SECRET), "the secret key is in the token");
        assert.match(
            r.stdout,
            /X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261204%2Fus-east-1%2Felasticache%2Faws4_request/,
        );
    });

    it("the bastion's signer refuses missing input in one line, exit 2", () => {
        const r = bastionToken({ AWS_ACCESS_KEY_ID: "", IAM_TOKEN_USER: "u" }, "not json");
        assert.equal(r.status, 2);
        assert.equal(r.stdout, "");
        assert.match(
            r.stderr,
            /^iam-auth-token: needs IAM_TOKEN_CACHE_NAME, IAM_TOKEN_USER, IAM_TOKEN_REGION and credentials\n$/,
        );
    });
});
