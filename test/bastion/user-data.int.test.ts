// The renderer: defaults, values as bash really reads them back, escaping, validation, shellcheck.
import { strict as assert } from "assert";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import {
    EC2_USER_DATA_MAX_BYTES,
    type RedisCliInstallOptions,
    renderRedisConnect,
    renderUserData,
    shellQuote,
    withoutComments,
} from "../../infra/bastion/user-data";
import {
    DEFAULT_REDIS_CLI_SHA256,
    DEFAULT_REDIS_CLI_VERSION,
    defaultRedisCliSourceUrl,
    REDIS_CLI_SOURCE_URL_MAX_LENGTH,
} from "../../infra/config";
import { REPO_ROOT, run } from "./helpers";

const BASTION_DIR = path.join(REPO_ROOT, "infra", "bastion");
const installTemplate = readFileSync(path.join(BASTION_DIR, "install-redis-cli.sh"), "utf8");
/** The helper as rendered: its comments are not shipped (EC2's 16 KB), see withoutComments. */
const connectTemplate = withoutComments(readFileSync(path.join(BASTION_DIR, "redis-connect.sh"), "utf8"));

const DEFAULTS: RedisCliInstallOptions = {
    version: DEFAULT_REDIS_CLI_VERSION,
    sourceUrl: defaultRedisCliSourceUrl(DEFAULT_REDIS_CLI_VERSION),
    sha256: DEFAULT_REDIS_CLI_SHA256,
    endpointParameterName: "/redis-stack/dev/redis/endpoint",
    authTokenParameterName: "/redis-stack/dev/redis/auth-token",
};

/** What bash itself makes of the settings a rendered script assigns before its template body. */
async function evaluateSettings(
    rendered: string,
    template: string,
    names: readonly string[],
): Promise<Record<string, string>> {
    const body = template.slice("#!/bin/bash\n".length);
    assert.ok(rendered.endsWith(body), "the template body follows the settings unchanged");
    const prefix = rendered.slice(0, rendered.length - body.length);
    const dump = names.map((n) => `printf '%s\\0' "$${n}"`).join("\n");
    const result = await run("bash", ["-c", `set -u\n${prefix}\n${dump}`]);
    assert.equal(result.code, 0, result.stderr);
    const values = result.stdout.split("\0").slice(0, -1);
    return Object.fromEntries(names.map((n, i) => [n, values[i]]));
}

describe("bastion user-data renderer", function () {
    describe("defaults", function () {
        it("pins redis-cli 7.2.15 from download.redis.io with the hash published in redis/redis-hashes", function () {
            assert.equal(DEFAULT_REDIS_CLI_VERSION, "7.2.15");
            assert.equal(DEFAULT_REDIS_CLI_SHA256, "7bf7975331511fdb788e85dae63964b128fccee1df026a10db57444babc9c9c4");
            assert.equal(defaultRedisCliSourceUrl("7.2.15"), "https://download.redis.io/releases/redis-7.2.15.tar.gz");
            assert.equal(defaultRedisCliSourceUrl("7.0.15"), "https://download.redis.io/releases/redis-7.0.15.tar.gz");
        });

        it("renders a bash script that sets the pinned values first and fits EC2's 16 KB limit", function () {
            const userData = renderUserData(DEFAULTS);
            const lines = userData.split("\n");
            assert.equal(lines[0], "#!/bin/bash");
            assert.ok(lines.includes("REDIS_CLI_VERSION='7.2.15'"));
            assert.ok(lines.includes("REDIS_CLI_SOURCE_URL='https://download.redis.io/releases/redis-7.2.15.tar.gz'"));
            assert.ok(lines.includes(`REDIS_CLI_SHA256='${DEFAULT_REDIS_CLI_SHA256}'`));
            assert.ok(lines.indexOf("REDIS_CLI_VERSION='7.2.15'") < lines.indexOf("set -Eeuo pipefail"));
            assert.ok(Buffer.byteLength(userData) <= EC2_USER_DATA_MAX_BYTES, `${Buffer.byteLength(userData)} bytes`);
        });
    });

    describe("values, as bash reads them back", function () {
        it("user-data carries the options and the rendered redis-connect helper verbatim", async function () {
            const userData = renderUserData(DEFAULTS);
            const values = await evaluateSettings(userData, installTemplate, [
                "REDIS_CLI_VERSION",
                "REDIS_CLI_SOURCE_URL",
                "REDIS_CLI_SHA256",
                "REDIS_CONNECT_SCRIPT",
            ]);
            assert.deepEqual(values, {
                REDIS_CLI_VERSION: DEFAULTS.version,
                REDIS_CLI_SOURCE_URL: DEFAULTS.sourceUrl,
                REDIS_CLI_SHA256: DEFAULTS.sha256,
                REDIS_CONNECT_SCRIPT: renderRedisConnect(DEFAULTS),
            });
        });

        it("redis-connect carries the parameter names", async function () {
            const helper = renderRedisConnect({
                endpointParameterName: "plain.name_1",
                authTokenParameterName: "/a/b-c/d.e",
            });
            assert.ok(helper.startsWith("#!/bin/bash\n"));
            const values = await evaluateSettings(helper, connectTemplate, [
                "DEFAULT_ENDPOINT_PARAMETER",
                "DEFAULT_AUTH_PARAMETER",
            ]);
            assert.deepEqual(values, {
                DEFAULT_ENDPOINT_PARAMETER: "plain.name_1",
                DEFAULT_AUTH_PARAMETER: "/a/b-c/d.e",
            });
        });

        it("accepts https mirrors and loopback http, and keeps them byte for byte", async function () {
            for (const sourceUrl of [
                "https://mirror.example.com:8443/redis/redis-7.2.15.tar.gz?sig=a%2Fb&x=1",
                "http://127.0.0.1:8080/redis_7.0.15.orig.tar.gz",
                "http://localhost/r.tar.gz",
                "http://[::1]:81/r.tar.gz",
            ]) {
                const values = await evaluateSettings(renderUserData({ ...DEFAULTS, sourceUrl }), installTemplate, [
                    "REDIS_CLI_SOURCE_URL",
                ]);
                assert.equal(values.REDIS_CLI_SOURCE_URL, sourceUrl);
            }
        });
    });

    describe("shellQuote", function () {
        const nasty = [
            "",
            "'",
            "''",
            "'\\''",
            '"',
            "$HOME",
            "${PATH}",
            "$(touch PWNED)",
            "`touch PWNED`",
            "a b\tc",
            "line1\nline2\n",
            "\\",
            "\\'",
            "!event",
            "*",
            "?",
            "[a]",
            "~root",
            "#comment",
            ";touch PWNED",
            "&& touch PWNED",
            "| cat",
            "> PWNED",
            "ünïcødé ✓",
            "\x01\x1b[31m",
            "-n",
            "--",
        ];

        it("gives bash back exactly the value, running none of it", async function () {
            const dir = mkdtempSync(path.join(tmpdir(), "bastion-quote-"));
            try {
                for (const value of nasty) {
                    const result = await run("bash", ["-c", `v=${shellQuote(value)}; printf '%s' "$v"`], { cwd: dir });
                    assert.equal(result.code, 0, `${JSON.stringify(value)}: ${result.stderr}`);
                    assert.equal(result.stdout, value, JSON.stringify(value));
                }
                assert.ok(!existsSync(path.join(dir, "PWNED")), "nothing was executed");
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });

        it("refuses NUL, which no shell word can hold", function () {
            assert.throws(() => shellQuote("a\0b"), /contains a NUL character/);
        });
    });

    describe("comments left out of user-data", function () {
        it("drops full-line comments and blank lines, keeps the shebang and # inside lines", function () {
            assert.equal(
                withoutComments("#!/bin/bash\n# a comment\n\n  # indented\necho '#not' # trailing\nx=1\n"),
                "#!/bin/bash\necho '#not' # trailing\nx=1\n",
            );
        });
        it("is sound for the shipped scripts: no heredoc or multi-line string whose lines could start with #", function () {
            for (const file of ["redis-connect.sh", "install-redis-cli.sh", "iam-auth-token.py"]) {
                const text = readFileSync(path.join(BASTION_DIR, file), "utf8");
                assert.doesNotMatch(text, /<<|"""|'''/, file);
            }
        });
    });

    describe("limits", function () {
        it("the longest source URL the config layer accepts still fits EC2's 16 KB", function () {
            const sourceUrl = `https://example.com/${"a".repeat(REDIS_CLI_SOURCE_URL_MAX_LENGTH - 27)}.tar.gz`;
            assert.equal(sourceUrl.length, REDIS_CLI_SOURCE_URL_MAX_LENGTH);
            assert.ok(Buffer.byteLength(renderUserData({ ...DEFAULTS, sourceUrl })) <= EC2_USER_DATA_MAX_BYTES);
            // iam mode embeds the token signer too; the longest stack name (14 characters) names every setting.
            const stack = "abcdefghijklmn";
            const iam = renderUserData({
                ...DEFAULTS,
                sourceUrl,
                endpointParameterName: `/redis-stack/${stack}/endpoint`,
                authTokenParameterName: `/redis-stack/${stack}/auth-token`,
                authMode: "iam",
                redisUserId: `redis-${stack}-bastion`,
                cacheNameParameterName: `/redis-stack/${stack}/replication-group-id`,
            });
            assert.ok(Buffer.byteLength(iam) <= EC2_USER_DATA_MAX_BYTES, `${Buffer.byteLength(iam)} bytes`);
        });

        it("the rendered size: EC2 refuses user-data over 16 KB", function () {
            const sourceUrl = `https://example.com/${"a".repeat(EC2_USER_DATA_MAX_BYTES)}.tar.gz`;
            assert.throws(
                () => renderUserData({ ...DEFAULTS, sourceUrl }),
                /renderUserData: the user-data is \d+ bytes; EC2 allows at most 16384/,
            );
        });
    });

    describe("shell hygiene of the rendered scripts", function () {
        it("rendered user-data and redis-connect are shellcheck-clean bash", async function () {
            for (const [name, text] of [
                ["user-data", renderUserData(DEFAULTS)],
                ["redis-connect", renderRedisConnect(DEFAULTS)],
            ]) {
                const result = await run("shellcheck", ["--shell=bash", "-"], { input: text });
                assert.equal(result.code, 0, `${name}:\n${result.stdout}${result.stderr}`);
                assert.equal((await run("bash", ["-n"], { input: text })).code, 0, `${name} parses`);
            }
        });

        it("renders nothing but the options: the AUTH token is read from SSM at run time", function () {
            const userData = renderUserData(DEFAULTS);
            const prefix = userData.slice(0, userData.length - (installTemplate.length - "#!/bin/bash\n".length));
            const assigned = prefix
                .split("\n")
                .filter((l) => /^[A-Z0-9_]+='/.test(l))
                .map((l) => l.split("=")[0]);
            assert.deepEqual(assigned, [
                "REDIS_CLI_VERSION",
                "REDIS_CLI_SOURCE_URL",
                "REDIS_CLI_SHA256",
                "REDIS_CONNECT_SCRIPT",
                "DEFAULT_ENDPOINT_PARAMETER",
                "DEFAULT_AUTH_PARAMETER", // inside the helper's text
            ]);
            assert.match(renderRedisConnect(DEFAULTS), /--name "\$auth_parameter" --with-decryption/);
        });
    });
});
