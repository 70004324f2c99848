// Runs the rendered user-data for real, as root, on a real Redis source tarball served on loopback:
// the package-manager step (apt-get here), download with retry, SHA-256 check, build, atomic install.
// Only the install paths are redirected (REDIS_CLI_*), so the machine's own redis-cli is left alone.
import { strict as assert } from "assert";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { type RedisCliInstallOptions, renderRedisConnect, renderUserData } from "../../infra/bastion/user-data";
import {
    type LoopbackServer,
    makeTlsFiles,
    redisSourceTarball,
    run,
    type RunResult,
    serveFile,
    sha256File,
    startTlsRedis,
    type TlsFiles,
    type TlsRedis,
} from "./helpers";

const PARAMS = {
    endpointParameterName: "/redis-stack/test/endpoint",
    authTokenParameterName: "/redis-stack/test/auth",
};
const STEP_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ redis-cli-install: /;

interface Target {
    readonly installDir: string;
    readonly logFile: string;
    readonly marker: string;
    readonly workDir: string;
}

describe("bastion user-data: a real install run as root", function () {
    this.timeout(600_000);

    const tarball = redisSourceTarball();
    const sha256 = sha256File(tarball.file);
    let root: string;
    let server: LoopbackServer;
    let url: string;
    let main: Target;
    let tls: TlsFiles;
    let redis: TlsRedis | undefined;

    function target(name: string): Target {
        const dir = path.join(root, name);
        const t = {
            installDir: path.join(dir, "bin"),
            logFile: path.join(dir, "log", "redis-cli-install.log"),
            marker: path.join(dir, "state", "redis-cli.ready"),
            workDir: path.join(dir, "work"),
        };
        mkdirSync(t.workDir, { recursive: true });
        return t;
    }

    function install(t: Target, overrides: Partial<RedisCliInstallOptions> = {}): Promise<RunResult> {
        const script = path.join(root, `user-data-${Math.random().toString(36).slice(2)}.sh`);
        const options = { version: tarball.version, sourceUrl: url, sha256, ...PARAMS, ...overrides };
        writeFileSync(script, renderUserData(options));
        return run("bash", [script], {
            // cloud-init's environment is nearly empty; only PATH and the test's path overrides go in.
            env: {
                PATH: process.env.PATH,
                REDIS_CLI_INSTALL_DIR: t.installDir,
                REDIS_CLI_LOG_FILE: t.logFile,
                REDIS_CLI_MARKER: t.marker,
                REDIS_CLI_WORK_DIR: t.workDir,
            },
            timeoutMs: 540_000,
        });
    }

    const output = (r: RunResult) => `exit ${r.code}\n${r.stdout}${r.stderr}`;

    before(async function () {
        assert.equal(
            process.getuid?.(),
            0,
            "these tests run the user-data as root (apt-get, install), as cloud-init does",
        );
        root = mkdtempSync(path.join(tmpdir(), "bastion-install-"));
        // The first request fails with 503: the download must retry it.
        server = await serveFile(tarball.file, 1);
        url = `${server.baseUrl}/${path.basename(tarball.file)}`;
        main = target("main");
        tls = await makeTlsFiles(root);
    });

    after(async function () {
        await redis?.stop();
        await server?.stop();
        if (root) rmSync(root, { recursive: true, force: true });
    });

    it("installs the pinned redis-cli with TLS, the redis-connect helper and the ready marker", async function () {
        const result = await install(main);
        assert.equal(result.code, 0, output(result));

        const cli = path.join(main.installDir, "redis-cli");
        const version = await run(cli, ["--version"]);
        assert.equal(version.stdout.trim(), `redis-cli ${tarball.version}`);
        assert.equal((await run(cli, ["--tls", "--version"])).code, 0, "the CLI accepts --tls");
        assert.equal(statSync(cli).mode & 0o777, 0o755);

        const connect = path.join(main.installDir, "redis-connect");
        assert.equal(readFileSync(connect, "utf8"), renderRedisConnect(PARAMS));
        assert.equal(statSync(connect).mode & 0o777, 0o755);

        const marker = readFileSync(main.marker, "utf8");
        assert.match(marker, new RegExp(`^version=${tarball.version.replace(/\./g, "\\.")}$`, "m"));
        assert.match(marker, new RegExp(`^sha256=${sha256}$`, "m"));

        // One 503, then the tarball: curl retried the transient failure.
        assert.deepEqual(
            server.requests.map((r) => r.method),
            ["GET", "GET"],
        );
        // Every step is logged with a timestamp to the log file and the console (stdout) alike.
        const log = readFileSync(main.logFile, "utf8");
        for (const step of [
            "build dependencies already installed (apt-get: gcc make libssl-dev)",
            "SHA-256 verified",
            "building: make",
            "BUILD_TLS=yes MALLOC=libc",
            `READY: redis-cli ${tarball.version} (TLS)`,
        ]) {
            assert.ok(
                log.split("\n").some((l) => STEP_LINE.test(l) && l.includes(step)),
                `log has "${step}":\n${log}`,
            );
            assert.ok(result.stdout.includes(step), `console has "${step}"`);
        }
        assert.deepEqual(readdirSync(main.workDir), [], "the build directory is removed");
        assert.deepEqual(
            readdirSync(main.installDir).sort(),
            ["redis-cli", "redis-connect"],
            "no temporary files left",
        );
    });

    it("the installed redis-cli reaches a TLS redis-server with AUTH and verifies its certificate", async function () {
        const password = "s3cret-Token&#^!<>$x";
        redis = await startTlsRedis(root, tls, password);
        const cli = path.join(main.installDir, "redis-cli");
        const args = (...more: string[]) => [
            "--tls",
            "--cacert",
            tls.caCert,
            "-h",
            "127.0.0.1",
            "-p",
            String(redis!.port),
            ...more,
        ];
        const env = { PATH: process.env.PATH, REDISCLI_AUTH: password };

        assert.equal((await run(cli, args("PING"), { env })).stdout.trim(), "PONG");
        assert.equal((await run(cli, args("SET", "bastion:key", "hello"), { env })).stdout.trim(), "OK");
        assert.equal((await run(cli, args("GET", "bastion:key"), { env })).stdout.trim(), "hello");

        const noAuth = await run(cli, args("PING"), { env: { PATH: process.env.PATH } });
        assert.match(noAuth.stdout + noAuth.stderr, /NOAUTH/);
        const noCa = await run(cli, ["--tls", "-h", "127.0.0.1", "-p", String(redis.port), "PING"], { env });
        assert.notEqual(noCa.stdout.trim(), "PONG", "a self-signed server is refused without --cacert");
        assert.match(noCa.stdout + noCa.stderr, /certificate verify failed|SSL/i);
    });

    it("a second run with the same pin is a no-op: no download, no build, files untouched", async function () {
        const cli = path.join(main.installDir, "redis-cli");
        const before = statSync(cli);
        const markerBefore = readFileSync(main.marker, "utf8");
        const requestsBefore = server.requests.length;

        const result = await install(main);
        assert.equal(result.code, 0, output(result));
        assert.match(result.stdout, /already installed at .*; nothing to do/);
        assert.doesNotMatch(result.stdout, /downloading|building|build dependencies/);
        assert.equal(server.requests.length, requestsBefore, "nothing downloaded");
        const after = statSync(cli);
        assert.equal(after.ino, before.ino);
        assert.equal(after.mtimeMs, before.mtimeMs);
        assert.equal(readFileSync(main.marker, "utf8"), markerBefore);
    });

    it("new parameter names with the same pin only replace redis-connect: no download, no build", async function () {
        const cli = path.join(main.installDir, "redis-cli");
        const before = statSync(cli);
        const requestsBefore = server.requests.length;
        const moved = {
            endpointParameterName: "/redis-stack/moved/endpoint",
            authTokenParameterName: "/redis-stack/moved/auth",
        };

        const result = await install(main, moved);
        assert.equal(result.code, 0, output(result));
        assert.match(result.stdout, /redis-connect updated/);
        assert.equal(server.requests.length, requestsBefore, "nothing downloaded");
        assert.equal(statSync(cli).ino, before.ino);
        assert.equal(readFileSync(path.join(main.installDir, "redis-connect"), "utf8"), renderRedisConnect(moved));

        const back = await install(main);
        assert.equal(back.code, 0, output(back));
        assert.equal(readFileSync(path.join(main.installDir, "redis-connect"), "utf8"), renderRedisConnect(PARAMS));
    });

    it("iam mode (the install script without its comments) installs the IAM redis-connect: no download, no build", async function () {
        const cli = path.join(main.installDir, "redis-cli");
        const before = statSync(cli);
        const requestsBefore = server.requests.length;
        const iam = {
            authMode: "iam" as const,
            redisUserId: "redis-test-bastion",
            cacheNameParameterName: "/redis-stack/test/replication-group-id",
        };
        const result = await install(main, iam);
        assert.equal(result.code, 0, output(result));
        assert.match(result.stdout, /redis-connect updated/);
        assert.equal(server.requests.length, requestsBefore, "nothing downloaded");
        assert.equal(statSync(cli).ino, before.ino);
        const installed = readFileSync(path.join(main.installDir, "redis-connect"), "utf8");
        assert.equal(installed, renderRedisConnect({ ...PARAMS, ...iam }));
        assert.match(installed, /^DEFAULT_AUTH_MODE='iam'$/m);

        const back = await install(main);
        assert.equal(back.code, 0, output(back));
        assert.equal(readFileSync(path.join(main.installDir, "redis-connect"), "utf8"), renderRedisConnect(PARAMS));
    });

    it("a wrong SHA-256 stops before extracting and installs nothing", async function () {
        const fresh = target("wrong-sha");
        const wrong = sha256.slice(0, -1) + (sha256.endsWith("0") ? "1" : "0");
        const result = await install(fresh, { sha256: wrong });
        assert.equal(result.code, 1, output(result));
        assert.ok(
            result.stdout.includes(`ERROR: SHA-256 mismatch for ${url}: expected ${wrong}, got ${sha256}`),
            output(result),
        );
        assert.doesNotMatch(result.stdout, /extracting|building/);
        assert.ok(!existsSync(fresh.marker), "no ready marker");
        assert.deepEqual(readdirSync(fresh.installDir), [], "nothing installed");
        assert.deepEqual(readdirSync(fresh.workDir), [], "the download is removed");
    });

    it("a wrong SHA-256 leaves an existing installation as it was", async function () {
        const cli = path.join(main.installDir, "redis-cli");
        const before = statSync(cli);
        const markerBefore = readFileSync(main.marker, "utf8");
        const result = await install(main, { sha256: "0".repeat(64) });
        assert.equal(result.code, 1, output(result));
        assert.match(result.stdout, /SHA-256 mismatch/);
        assert.equal(statSync(cli).ino, before.ino);
        assert.equal(readFileSync(main.marker, "utf8"), markerBefore);
    });

    it("refuses a verified tarball that holds another version than the pin", async function () {
        const fresh = target("other-version");
        const [major, minor, patch] = tarball.version.split(".").map(Number);
        const pinned = `${major}.${minor}.${patch + 1}`;
        const result = await install(fresh, { version: pinned });
        assert.equal(result.code, 1, output(result));
        assert.ok(
            result.stdout.includes(`the tarball holds Redis '${tarball.version}', not the pinned ${pinned}`),
            output(result),
        );
        assert.deepEqual(readdirSync(fresh.installDir), []);
        assert.ok(!existsSync(fresh.marker));
    });
});
