// Every exit path stops the whole process tree (issue #20, class 2), through the public commands: the processes a
// program starts do not survive --timeout, and SIGTERM sent to `npm run preview` itself (not its process group:
// what a supervisor or `docker stop` does to the process it started) stops the checker, the program, the pack and
// what the program started.
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIXTURES, REPO, assertNothingLeft, processesIn, processesOfRun, startCli, waitFor } from "./run-cli";

const PROGRAM = path.join(FIXTURES, "spawning-program");
const PACK = path.join(FIXTURES, "policy-pack");
const args = ["--program", PROGRAM, "--stack", "test", "--policy-pack", PACK];

/** Whether `pid` is a live process (not a zombie). */
function alive(pid: number): boolean {
    try {
        return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").pop()!.split(" ")[0] !== "Z";
    } catch {
        return false;
    }
}

describe("redis-stack-check: every exit path stops the whole process tree", function () {
    this.timeout(180_000);
    let tmp: string;
    let pidFile: string;
    const started: number[] = [];
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "check-tree-"));
        pidFile = path.join(tmp, "sleep.pid");
    });
    afterEach(() => {
        // A failed test must not leave its processes to the neighbours: only the ones this test started.
        const sleep = fs.existsSync(pidFile) ? [Number(fs.readFileSync(pidFile, "utf8"))] : [];
        for (const pid of [...started, ...sleep, ...processesOfRun(tmp)]) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // Gone, as it should be.
            }
        }
        started.length = 0;
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("--timeout: the process the program started is stopped with it", async () => {
        const { done } = startCli([...args, "--timeout", "20"], { TMPDIR: tmp, SPAWNING_PROGRAM_PID_FILE: pidFile });
        const r = await done;
        assert.strictEqual(r.code, 2, r.stderr);
        assert.match(r.stderr, /the program did not finish for stack 'test' within 20 s/);
        const sleep = Number(fs.readFileSync(pidFile, "utf8"));
        await waitFor("the program's sleep to end", () => !alive(sleep), 5_000).catch(() => undefined);
        assert.ok(!alive(sleep), `the program's sleep (pid ${sleep}) outlived the check`);
        assertNothingLeft(tmp, PROGRAM, PACK);
    });

    it("SIGTERM to `npm run preview` alone: the checker, the program, its sleep and the pack stop", async () => {
        const npm = spawn("npm", ["run", "preview", "--", ...args], {
            cwd: REPO,
            env: { ...process.env, TMPDIR: tmp, SPAWNING_PROGRAM_PID_FILE: pidFile },
            detached: true,
            stdio: "ignore",
        });
        started.push(npm.pid!);
        const exited = new Promise((resolve) => npm.on("close", resolve));
        await waitFor(
            "the program, its sleep and the pack",
            () => fs.existsSync(pidFile) && processesIn(PROGRAM, tmp).length > 1 && processesIn(PACK, tmp).length > 0,
        );
        const sleep = Number(fs.readFileSync(pidFile, "utf8"));
        process.kill(npm.pid!, "SIGTERM");
        await exited;
        await waitFor(
            "the checker's tree to end",
            () => processesIn(PROGRAM, tmp).length + processesIn(PACK, tmp).length === 0 && !alive(sleep),
            10_000,
        ).catch(() => undefined);
        assert.ok(!alive(sleep), `the program's sleep (pid ${sleep}) outlived the check`);
        assertNothingLeft(tmp, PROGRAM, PACK);
        // The checker itself runs in the repository's directory: none with this run's TMPDIR may be left.
        assert.deepStrictEqual(processesOfRun(tmp), [], "a process of this run outlived npm");
    });
});
