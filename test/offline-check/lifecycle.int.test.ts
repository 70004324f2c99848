// Every run bounded, every exit path clean (issue #10): --timeout names what did not finish, SIGTERM/SIGINT to the
// checker (or to `npm run preview`'s process group) stop the program and the pack too, temp files never outlive
// the check, and a program's output arrives whole. Each run gets its own TMPDIR, so "no temp file left" is exact.
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    FIXTURES,
    REPO,
    assertNothingLeft,
    checkTempDirs,
    processesIn,
    processesInGroup,
    runCli,
    startCli,
    waitFor,
} from "./run-cli";

const HANG_PROGRAM = path.join(FIXTURES, "hang-program");
const PACK = path.join(FIXTURES, "policy-pack");
const HANG_PACK = path.join(FIXTURES, "hang-pack");

describe("redis-stack-check CLI: bounded runs, signals, temp files, program output", function () {
    this.timeout(180_000);
    let tmp: string;
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "check-lifecycle-"));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("--timeout: a program that never settles is stopped, exit 2 naming the program", async () => {
        const { done } = startCli(
            ["--program", HANG_PROGRAM, "--stack", "test", "--policy-pack", PACK, "--timeout", "25"],
            { TMPDIR: tmp },
        );
        const r = await done;
        assert.strictEqual(r.code, 2, r.stderr);
        assert.match(r.stderr, /error: the program did not finish for stack 'test' within 25 s \(--timeout 25\)\n$/);
        assertNothingLeft(tmp, HANG_PROGRAM, PACK);
    });

    it("--timeout: a policy that never returns is stopped, exit 2 naming the Analyze call and the resource", async () => {
        const program = path.join(FIXTURES, "compliant");
        const { done } = startCli(
            ["--program", program, "--stack", "test", "--policy-pack", HANG_PACK, "--timeout", "40"],
            { TMPDIR: tmp },
        );
        const r = await done;
        assert.strictEqual(r.code, 2, r.stderr);
        assert.match(
            r.stderr,
            /error: the policy pack did not answer Analyze for urn:pulumi:test::fixture-compliant::pulumi:pulumi:Stack::fixture-compliant-test \(\d+ more call\(s\) were waiting\) within 40 s/,
        );
        assertNothingLeft(tmp, program, HANG_PACK);
    });

    for (const [signal, code] of [
        ["SIGTERM", 143],
        ["SIGINT", 130],
    ] as const) {
        it(`${signal} to the checker while the pack starts and the program runs: both stop, exit ${code}`, async () => {
            const { child, done } = startCli(["--program", HANG_PROGRAM, "--stack", "test", "--policy-pack", PACK], {
                TMPDIR: tmp,
            });
            // The pack is still loading its TypeScript when the program child is up: signal then.
            await waitFor(
                "the program and the pack",
                () => processesIn(HANG_PROGRAM, tmp).length > 0 && processesIn(PACK, tmp).length > 0,
            );
            assert.ok(checkTempDirs(tmp).length > 0, "the request file should exist while the program runs");
            child.kill(signal);
            const r = await done;
            assert.strictEqual(r.code, code, r.stderr);
            assertNothingLeft(tmp, HANG_PROGRAM, PACK);
        });
    }

    it("SIGTERM to `npm run preview`'s process group (a cancelled CI job): nothing survives", async () => {
        const npm = spawn(
            "npm",
            ["run", "preview", "--", "--program", HANG_PROGRAM, "--stack", "test", "--policy-pack", PACK],
            {
                cwd: REPO,
                env: { ...process.env, TMPDIR: tmp },
                detached: true,
                stdio: "ignore",
            },
        );
        const exited = new Promise((resolve) => npm.on("close", resolve));
        await waitFor(
            "the program and the pack",
            () => processesIn(HANG_PROGRAM, tmp).length > 0 && processesIn(PACK, tmp).length > 0,
        );
        process.kill(-npm.pid!, "SIGTERM");
        await exited;
        // npm and the children end at once; the checker cleans up first (after the module it may be loading).
        await waitFor("every process of the group to end", () => processesInGroup(npm.pid!).length === 0, 10_000);
        assertNothingLeft(tmp, HANG_PROGRAM, PACK);
    });

    it("SIGKILL of the checker: the program child deletes the request file and stops; the pack stops", async () => {
        const { child, done } = startCli(["--program", HANG_PROGRAM, "--stack", "test", "--policy-pack", PACK], {
            TMPDIR: tmp,
        });
        await waitFor(
            "the program and the pack",
            () => processesIn(HANG_PROGRAM, tmp).length > 0 && processesIn(PACK, tmp).length > 0,
        );
        child.kill("SIGKILL");
        await done;
        // A pack still compiling its TypeScript notices once its event loop runs again.
        await waitFor(
            "the children to notice",
            () => processesIn(HANG_PROGRAM, tmp).length + processesIn(PACK, tmp).length === 0,
            90_000,
        );
        assertNothingLeft(tmp, HANG_PROGRAM, PACK);
    });

    it("temp files are private: the directory 0700, the request 0600, and the request is gone once read", async () => {
        const { child, done } = startCli(["--program", HANG_PROGRAM, "--stack", "test", "--policy-pack", PACK], {
            TMPDIR: tmp,
        });
        await waitFor("the program", () => processesIn(HANG_PROGRAM, tmp).length > 0);
        // The program's request dir (the pack's env file has a dir of its own, redis-stack-check-pack-*).
        const dirs = checkTempDirs(tmp).filter((d) => !/^redis-stack-check-(pack|base)-/.test(d));
        assert.strictEqual(dirs.length, 1, dirs.join(", "));
        const dir = path.join(tmp, dirs[0]);
        assert.strictEqual(fs.statSync(dir).mode & 0o777, 0o700);
        await waitFor("the child to read its request", () => !fs.existsSync(path.join(dir, "request.json")), 30_000);
        child.kill("SIGTERM");
        await done;
        assertNothingLeft(tmp, HANG_PROGRAM, PACK);
    });

    it("a program's output past 1 MB arrives whole (the child flushes its pipes before exiting)", async () => {
        const r = await runCli([
            "--program",
            path.join(FIXTURES, "loud-program"),
            "--stack",
            "test",
            "--policy-pack",
            PACK,
        ]);
        assert.strictEqual(r.code, 0, r.stderr.slice(-2000));
        const lines = r.stderr.split("\n").filter((l) => l.startsWith("loud-program line "));
        assert.strictEqual(lines.length, 1536);
        assert.ok(
            lines.every(
                (l, i) => l.startsWith(`loud-program line ${String(i).padStart(4, "0")} x`) && l.length === 1046,
            ),
        );
        assert.match(r.stderr, /loud-program: last line/);
    });

    it("an unwritable --sarif-file is refused before the check runs: one line, exit 2, no report", async () => {
        for (const [file, message] of [
            [
                path.join(tmp, "no-such-dir", "r.sarif"),
                /--sarif-file .*r\.sarif: the directory .*no-such-dir does not exist/,
            ],
            [tmp, /--sarif-file .* is a directory; name a file/],
        ] as const) {
            const r = await runCli(["--sarif-file", file]);
            assert.strictEqual(r.code, 2, r.stderr);
            assert.strictEqual(r.stdout, "");
            assert.match(r.stderr.split("\n")[0], message);
            assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
        }
    });
});
