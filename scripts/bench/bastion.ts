// npm run bench:bastion: the tutorial's redis-cli recipe against the bastion user-data, side by side on
// the same Redis source tarball (Debian's orig tarball, served on loopback), in one run.
//   tutorial: download, `make`, copy the non-TLS redis-cli, `make BUILD_TLS=yes` (a second full build)
//   ours:     the rendered user-data: deps check, download, SHA-256, `make -j$(nproc) BUILD_TLS=yes
//             MALLOC=libc redis-cli` with only the CLI's deps, atomic install; then its no-op rerun.
// Runs as root (the user-data's package step, as under cloud-init); takes ~5-7 minutes on 2 cores.
// The tarball comes from <cache>/redis-src (cache: REDIS_STACK_CACHE, default <repo>/.cache), where
// scripts/ensure-test-deps.sh puts it. Exit 0 goal met, 1 goal missed or a step failed, 2 not set up to run.
import { spawn } from "child_process";
import { createHash } from "crypto";
import {
    createReadStream,
    mkdirSync,
    mkdtempSync,
    openSync,
    readdirSync,
    readFileSync,
    rmSync,
    writeFileSync,
} from "fs";
import * as http from "http";
import { type AddressInfo } from "net";
import { cpus, tmpdir } from "os";
import * as path from "path";
import { renderUserData } from "../../infra/bastion/user-data";

const GOAL = 15;
const repo = path.resolve(__dirname, "..", "..");

/** The bench cannot run here as things stand; the message says what to run instead. */
class BenchSetupError extends Error {}

/** Debian's orig tarball in the cache that scripts/ensure-test-deps.sh fills (same REDIS_STACK_CACHE). */
function findRedisSource(env: NodeJS.ProcessEnv): string {
    const srcDir = path.join(env.REDIS_STACK_CACHE || path.join(repo, ".cache"), "redis-src");
    let names: string[] = [];
    try {
        names = readdirSync(srcDir);
    } catch {
        // Missing directory: same answer as an empty one.
    }
    const name = names
        .filter((n) => /^redis_\d+\.\d+\.\d+\.orig\.tar\.gz$/.test(n))
        .sort()
        .pop();
    if (!name) {
        throw new BenchSetupError(
            `no Redis source tarball (redis_<version>.orig.tar.gz) in ${srcDir}; fetch it once with: sudo bash scripts/ensure-test-deps.sh`,
        );
    }
    return path.join(srcDir, name);
}

interface Timed {
    readonly seconds: number;
    readonly code: number | null;
}

/** Runs a command with its output going to a log file, and times it by the wall clock. */
function timed(
    command: string,
    args: readonly string[],
    logFile: string,
    env: NodeJS.ProcessEnv = process.env,
): Promise<Timed> {
    const out = openSync(logFile, "a");
    const start = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { env, stdio: ["ignore", out, out] });
        child.on("error", reject);
        child.on("close", (code) => resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, code }));
    });
}

function check(what: string, result: Timed, logFile: string): void {
    if (result.code !== 0) {
        const tail = readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n");
        throw new Error(`${what} failed (exit ${result.code}); last lines of ${logFile}:\n${tail}`);
    }
}

function serve(file: string): Promise<{ url: string; close: () => void }> {
    const name = "/" + path.basename(file);
    const server = http.createServer((req, res) => {
        if (req.url !== name) return void res.writeHead(404).end();
        res.writeHead(200, { "Content-Type": "application/gzip" });
        createReadStream(file).pipe(res);
    });
    return new Promise((resolve) =>
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as AddressInfo;
            resolve({ url: `http://127.0.0.1:${port}${name}`, close: () => server.close() });
        }),
    );
}

async function main(): Promise<void> {
    if (process.argv.length > 2)
        throw new BenchSetupError(`takes no arguments, got: ${process.argv.slice(2).join(" ")}`);
    const tarball = findRedisSource(process.env);
    if (process.getuid?.() !== 0)
        throw new BenchSetupError("runs the user-data as root, as cloud-init does: run it as root");
    const tarballName = path.basename(tarball);
    const version = tarballName.replace(/^redis_|\.orig\.tar\.gz$/g, "");
    const sha256 = createHash("sha256").update(readFileSync(tarball)).digest("hex");

    const root = mkdtempSync(path.join(tmpdir(), "bench-bastion-"));
    const server = await serve(tarball);
    let done = false;
    try {
        console.log(
            `bench:bastion: redis-cli ${version} from Debian's orig tarball on loopback, ${cpus().length} CPUs; logs in ${root}`,
        );

        // Ours: the real user-data, only its install paths redirected away from the machine's own.
        const userData = path.join(root, "user-data.sh");
        writeFileSync(
            userData,
            renderUserData({
                version,
                sourceUrl: server.url,
                sha256,
                endpointParameterName: "/redis-stack/bench/endpoint",
                authTokenParameterName: "/redis-stack/bench/auth-token",
            }),
        );
        mkdirSync(path.join(root, "work"));
        const env = {
            PATH: process.env.PATH,
            REDIS_CLI_INSTALL_DIR: path.join(root, "bin"),
            REDIS_CLI_LOG_FILE: path.join(root, "ours-install.log"),
            REDIS_CLI_MARKER: path.join(root, "state", "redis-cli.ready"),
            REDIS_CLI_WORK_DIR: path.join(root, "work"),
        };
        const oursLog = path.join(root, "ours.log");
        const ours = await timed("bash", [userData], oursLog, env);
        check("our user-data", ours, oursLog);
        const rerun = await timed("bash", [userData], oursLog, env);
        check("our user-data, second run", rerun, oursLog);
        console.log(
            `  ours      user-data: verify, make -j${cpus().length} BUILD_TLS=yes MALLOC=libc redis-cli, install  ${ours.seconds.toFixed(1).padStart(7)} s`,
        );
        console.log(
            `  ours      second run (pinned version present: no-op)                     ${rerun.seconds.toFixed(2).padStart(7)} s`,
        );

        // The tutorial, step for step (its wget replaced by curl from the same loopback server).
        const tutorialDir = path.join(root, "tutorial");
        mkdirSync(tutorialDir);
        const tutorialLog = path.join(root, "tutorial.log");
        const recipe = [
            "set -e",
            'cd "$1"',
            'curl -fsS -o redis-stable.tar.gz "$2"',
            "tar xzf redis-stable.tar.gz",
            "cd redis-*/",
            "make",
            "cp src/redis-cli ../redis-cli-plain",
            "make BUILD_TLS=yes",
            "src/redis-cli --tls --version",
        ].join("\n");
        const tutorial = await timed("bash", ["-c", recipe, "tutorial", tutorialDir, server.url], tutorialLog);
        check("the tutorial's recipe", tutorial, tutorialLog);
        console.log(
            `  tutorial  download, make, cp, make BUILD_TLS=yes                              ${tutorial.seconds.toFixed(1).padStart(7)} s`,
        );

        const ratio = tutorial.seconds / ours.seconds;
        const met = ratio >= GOAL;
        console.log(`  speed-up  ${ratio.toFixed(1)}x (goal: at least ${GOAL}x, ${met ? "met" : "NOT met"})`);
        if (!met) process.exitCode = 1;
        done = true;
    } finally {
        server.close();
        // Kept after a failure: the logs say why.
        if (done) rmSync(root, { recursive: true, force: true });
    }
}

main().catch((err: unknown) => {
    console.error(`bench:bastion: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof BenchSetupError ? 2 : 1);
});
