// The transpile cache against a hostile neighbour and odd directories (issue #20, class 1), through the bin: an
// entry planted by another user is not run, others' files are never pruned, a FIFO in an entry's place does not
// hang the check, a directory others can write is refused for a private cache (one line saying why), and on a
// read-only cache an entry older than a day is still a hit. Entries are made by a first run; a hit is seen by
// editing the fixture program's entry to print a marker.
import * as assert from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIXTURES, REPO, type CliResult } from "./run-cli";

const PROGRAM = path.join(FIXTURES, "compliant");
const PACK = path.join(FIXTURES, "policy-pack");
const LAUNCHER = path.join(REPO, "scripts", "redis-stack-check.js");
const MARKER = "PLANTED-ENTRY-RAN";
const DAY_MS = 24 * 60 * 60 * 1000;
/** Another user's uid (nobody): the tests run as root, which can give files away. */
const OTHER_UID = 65534;

/**
 * Runs the bin (optionally wrapped, e.g. in `unshare`) in its own process group; a run past `limitMs` is killed
 * with its whole group and reported as hung.
 */
function check(env: NodeJS.ProcessEnv, wrap: string[] = [], limitMs = 120_000): Promise<CliResult & { hung: boolean }> {
    const argv = [...wrap, process.execPath, LAUNCHER, "--program", PROGRAM, "--stack", "test", "--policy-pack", PACK];
    const child = spawn(argv[0], argv.slice(1), { cwd: REPO, env: { ...process.env, ...env }, detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    let hung = false;
    const timer = setTimeout(() => {
        hung = true;
        process.kill(-child.pid!, "SIGKILL");
    }, limitMs);
    return new Promise((resolve) =>
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code: code ?? -1, stdout, stderr, hung });
        }),
    );
}

/**
 * The cache entry the program child serves the fixture program's index.ts from (found by its comment, which
 * TypeScript keeps): the precompiled one, ts-node's whole output with its source map inline (typescript-host.js),
 * not the transpile cache's entry for the same file, map apart, which ts-node reads only when that one misses.
 */
function programEntry(dir: string): string {
    const found = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".entry"))
        .filter((f) => {
            const text = fs.readFileSync(path.join(dir, f), "utf8");
            return text.includes("Everything compliant: no policy") && !text.includes('"sourceMapText"');
        });
    assert.strictEqual(found.length, 1, `entries of compliant/index.ts: ${found.join(", ")}`);
    return path.join(dir, found[0]);
}

/** Makes the entry print MARKER when run (keeping its header, owner and mode). */
function plantMarker(entry: string): void {
    const text = fs.readFileSync(entry, "utf8");
    const nl = text.indexOf("\n");
    const json = JSON.parse(text.slice(nl + 1)) as { outputText: string };
    json.outputText = `process.stderr.write("${MARKER}\\n");\n${json.outputText}`;
    fs.writeFileSync(entry, `${text.slice(0, nl + 1)}${JSON.stringify(json)}`);
}

function setAge(file: string, days: number): void {
    const t = (Date.now() - days * DAY_MS) / 1000;
    fs.utimesSync(file, t, t);
}

describe("redis-stack-check: the transpile cache trusts nothing it did not write", function () {
    this.timeout(600_000);
    let tmp: string;
    let cacheDir: string;
    let env: NodeJS.ProcessEnv;
    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cache-hostile-"));
        cacheDir = path.join(tmp, "cache");
        // The private fallback goes under our temp dir, not the real ~/.cache.
        env = { REDIS_STACK_CHECK_CACHE_DIR: cacheDir, XDG_CACHE_HOME: path.join(tmp, "xdg") };
        const first = await check(env);
        assert.strictEqual(first.code, 0, first.stderr);
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("an entry of ours is run (the control), the same entry owned by another user is not", async () => {
        const entry = programEntry(cacheDir);
        plantMarker(entry);
        const ours = await check(env);
        assert.strictEqual(ours.code, 0, ours.stderr);
        assert.ok(ours.stderr.includes(MARKER), "a hit runs the entry: the test can see one");
        plantMarker(entry);
        fs.chownSync(entry, OTHER_UID, OTHER_UID);
        const planted = await check(env);
        assert.strictEqual(planted.code, 0, planted.stderr);
        assert.ok(!planted.stderr.includes(MARKER), planted.stderr);
    });

    it("never deletes files it did not write, however old, even with its own names", async () => {
        const theirs = [
            `${"c".repeat(64)}.json`,
            "session.tmp",
            `${"d".repeat(64)}.json.123.abc.tmp`,
            path.basename(programEntry(cacheDir)).replace(/[0-9a-f]{64}/, "e".repeat(64)),
        ].map((f) => path.join(cacheDir, f));
        for (const f of theirs) {
            fs.writeFileSync(f, "x".repeat(1000));
            setAge(f, 90);
        }
        fs.chownSync(theirs[3], OTHER_UID, OTHER_UID);
        // A miss makes a write, and the first write of a process prunes.
        fs.rmSync(programEntry(cacheDir));
        const r = await check(env);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.ok(fs.existsSync(programEntry(cacheDir)), "the run wrote (and so pruned)");
        assert.deepStrictEqual(
            theirs.filter((f) => !fs.existsSync(f)).map((f) => path.basename(f)),
            [],
            "deleted",
        );
    });

    it("a FIFO in an entry's place is a miss, not a hang", async () => {
        const entry = programEntry(cacheDir);
        fs.rmSync(entry);
        execFileSync("mkfifo", [entry]);
        const r = await check({ ...env }, [], 90_000);
        assert.ok(!r.hung, "the check hung on the FIFO");
        assert.strictEqual(r.code, 0, r.stderr);
    });

    it("a cache directory another user owns or can write is refused for the private cache, with one line", async () => {
        const entry = programEntry(cacheDir);
        plantMarker(entry);
        for (const [what, make, undo] of [
            ["world-writable", () => fs.chmodSync(cacheDir, 0o777), () => fs.chmodSync(cacheDir, 0o700)],
            [
                "owned by another user",
                () => fs.chownSync(cacheDir, OTHER_UID, OTHER_UID),
                () => fs.chownSync(cacheDir, 0, 0),
            ],
        ] as const) {
            make();
            try {
                const r = await check(env);
                assert.strictEqual(r.code, 0, r.stderr);
                assert.ok(!r.stderr.includes(MARKER), `${what}: ${r.stderr}`);
                const lines = r.stderr.split("\n").filter((l) => l.includes("transpile cache"));
                assert.strictEqual(lines.length, 1, `${what}: ${r.stderr}`);
                assert.match(
                    lines[0],
                    new RegExp(
                        `^redis-stack-check: not using the transpile cache ${cacheDir}: .*; using ${path.join(tmp, "xdg", "redis-stack-check")} instead$`,
                    ),
                );
            } finally {
                undo();
            }
        }
        assert.ok(fs.readdirSync(path.join(tmp, "xdg", "redis-stack-check")).length > 0, "the private cache was used");
    });

    it("on a read-only cache, an entry unused for more than a day is still a hit", async () => {
        const entry = programEntry(cacheDir);
        plantMarker(entry);
        for (const f of fs.readdirSync(cacheDir)) {
            setAge(path.join(cacheDir, f), 2);
        }
        // A read-only bind mount of the cache, in a mount namespace of the run's own.
        const r = await check(env, [
            "unshare",
            "-m",
            "sh",
            "-c",
            'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
            cacheDir,
        ]);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.ok(r.stderr.includes(MARKER), `a miss: ${r.stderr}`);
    });
});
