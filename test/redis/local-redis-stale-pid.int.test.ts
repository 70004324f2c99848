// `local-redis.sh stop` never touches a neighbour's process (issue #20, class 7), through the real script: a pid
// file left behind that names an unrelated redis-server (the pid was reused) is not ours, because the process's
// start time and command line differ from what start recorded. And a real start and stop still work.
import * as assert from "assert";
import { type ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { localRedis, readInfo } from "./helpers";

/** Whether `pid` runs (a zombie has ended; its parent has just not reaped it yet). */
function running(pid: number): boolean {
    try {
        return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").pop()!.split(" ")[0] !== "Z";
    } catch {
        return false;
    }
}

/** An unrelated redis-server (a Unix socket, no TCP port), as a neighbour's would be. */
async function neighbourRedis(dir: string): Promise<ChildProcess> {
    const child = spawn(
        "redis-server",
        ["--port", "0", "--unixsocket", path.join(dir, "neighbour.sock"), "--save", "", "--dir", dir],
        { stdio: "ignore" },
    );
    for (let i = 0; i < 100 && !fs.existsSync(`/proc/${child.pid}/comm`); i++)
        await new Promise((r) => setTimeout(r, 20));
    // Once it has exec'd, its name is redis-server: what the old check trusted.
    for (let i = 0; i < 100; i++) {
        if (fs.readFileSync(`/proc/${child.pid}/comm`, "utf8").trim() === "redis-server") return child;
        await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("the neighbour's redis-server did not start");
}

describe("local-redis.sh stop and stale pid files", function () {
    this.timeout(120_000);
    let dir = "";
    let neighbour: ChildProcess | undefined;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-redis-stale-"));
    });
    afterEach(async () => {
        neighbour?.kill("SIGKILL");
        neighbour = undefined;
        await localRedis(dir, "replicated", "stop");
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("a stale pid file naming an unrelated redis-server: stop leaves it running", async () => {
        neighbour = await neighbourRedis(dir);
        const state = path.join(dir, "replicated");
        // The state an earlier start left behind, its nodes long gone, the first pid reused by the neighbour.
        fs.mkdirSync(path.join(state, "node-7500"), { recursive: true });
        fs.writeFileSync(path.join(state, "info.env"), "LOCAL_REDIS_MODE=replicated\nLOCAL_REDIS_FIRST_PORT=7500\n");
        fs.writeFileSync(path.join(state, "node-7500", "redis.pid"), `${neighbour.pid}\n`);
        fs.writeFileSync(path.join(state, "node-7500", "redis.identity"), "4242 redis-server 127.0.0.1:0 \n");
        const r = await localRedis(dir, "replicated", "stop");
        assert.strictEqual(r.code, 0, r.stderr);
        assert.match(r.stdout, /stopped 0 node\(s\)/);
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.ok(running(neighbour.pid!), "stop killed a redis-server it did not start");
    });

    it("a real start and stop: the started nodes are recognised and stopped", async () => {
        const start = await localRedis(dir, "replicated", "start", 7600);
        assert.strictEqual(start.code, 0, start.stderr);
        const info = readInfo(dir, "replicated");
        const pids = info.ports.map((p) =>
            Number(fs.readFileSync(path.join(dir, "replicated", `node-${p}`, "redis.pid"), "utf8")),
        );
        const stop = await localRedis(dir, "replicated", "stop");
        assert.strictEqual(stop.code, 0, stop.stderr);
        assert.match(stop.stdout, /stopped 2 node\(s\)/);
        assert.deepStrictEqual(pids.filter(running), [], "a started node outlived stop");
    });
});
