/**
 * scripts/local-redis.sh (npm run redis:local) through the real script: status and start look at the cluster
 * itself, not only at pids (#10.14), and a start that cannot bind reports why and stops what it started.
 * Ports come from a block found free here (never fixed); what is left running is checked with ps.
 */
import * as assert from "assert";
import { type ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cli, freeBlock, localRedis, readInfo } from "./helpers";

/**
 * Holds a port bound but not listening: a connect is refused (so local-redis.sh takes the port for free, as
 * it would in a race with another program), yet redis-server cannot bind it.
 */
async function holdBound(port: number): Promise<ChildProcess> {
    const child = spawn(
        "perl",
        [
            "-MSocket",
            "-e",
            'socket(S, PF_INET, SOCK_STREAM, 0) or die; bind(S, sockaddr_in($ARGV[0], inet_aton("127.0.0.1"))) or die "bind: $!"; $| = 1; print "bound\\n"; sleep 300',
            String(port),
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
        child.stdout?.once("data", () => resolve());
        child.once("exit", (code) => reject(new Error(`perl could not bind ${port} (exit ${code})`)));
    });
    return child;
}

/** redis-server processes started from this state directory (their command line names its config). */
function serversOf(dir: string): string[] {
    return execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" })
        .split("\n")
        .filter((line) => line.includes("redis-server") && line.includes(dir));
}

describe("local-redis.sh (npm run redis:local)", function () {
    this.timeout(120_000);
    let dir = "";

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-redis-"));
    });

    afterEach(async function () {
        this.timeout(30_000);
        await localRedis(dir, "cluster", "stop");
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("says on the terminal why a node could not bind, and stops the nodes it had started", async () => {
        const base = await freeBlock(6);
        const holder = await holdBound(base + 2);
        try {
            const r = await localRedis(dir, "cluster", "start", base);
            assert.strictEqual(r.code, 1, r.stdout + r.stderr);
            assert.match(
                r.stderr,
                new RegExp(`local-redis: redis-server on 127\\.0\\.0\\.1:${base + 2} failed: .*Address already in use`),
            );
            assert.match(r.stderr, /start failed; stopping the nodes it started\n.*stopped 2 node\(s\)/);
            assert.deepStrictEqual(serversOf(dir), [], "no redis-server left running");
            const status = await localRedis(dir, "cluster", "status");
            assert.strictEqual(status.code, 3, status.stdout);
        } finally {
            holder.kill("SIGKILL");
        }
    });

    it("does not call a cluster that never formed running, and start forms it afresh", async () => {
        const base = await freeBlock(6);
        const started = await localRedis(dir, "cluster", "start", base);
        assert.strictEqual(started.code, 0, started.stderr);
        const l = readInfo(dir, "cluster");
        // The state a start killed before `redis-cli --cluster create` leaves: six live nodes, no cluster.
        for (const port of l.ports) await cli(l, port, "cluster", "reset", "hard");
        const broken = await localRedis(dir, "cluster", "status");
        assert.strictEqual(broken.code, 4, broken.stdout + broken.stderr);
        assert.match(broken.stdout, /running: {2}6 of 6 nodes/);
        assert.match(
            broken.stdout,
            /cluster: {2}NOT working \(cluster_state:fail, 0 of 16384 slots ok on 127\.0\.0\.1:\d+\)/,
        );

        const again = await localRedis(dir, "cluster", "start", base);
        assert.strictEqual(again.code, 0, again.stdout + again.stderr);
        assert.match(
            again.stderr,
            /the 6 nodes of an earlier start form no working cluster \(cluster_state:fail.*\); starting afresh/,
        );
        const ok = await localRedis(dir, "cluster", "status");
        assert.strictEqual(ok.code, 0, ok.stdout + ok.stderr);
        assert.match(ok.stdout, /cluster: {2}ok, all 16384 slots served/);

        const stop = await localRedis(dir, "cluster", "stop");
        assert.match(stop.stdout, /stopped 6 node\(s\)/);
        assert.deepStrictEqual(serversOf(dir), []);
    });
});
