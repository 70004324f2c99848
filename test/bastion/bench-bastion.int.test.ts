/**
 * npm run bench:bastion on a machine without the Redis source (a fresh clone): one line saying what to run,
 * exit 2, before any build or temp directory (#10.15). The cache is pointed at an empty directory with
 * REDIS_STACK_CACHE, the variable scripts/ensure-test-deps.sh fills the same cache by.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT, run } from "./helpers";

const BENCH = ["-r", "ts-node/register/transpile-only", path.join("scripts", "bench", "bastion.ts")];

function benchTempDirs(): string[] {
    return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("bench-bastion-"));
}

describe("bench:bastion without the Redis source", function () {
    this.timeout(60_000);
    let cache = "";

    beforeEach(() => {
        cache = fs.mkdtempSync(path.join(os.tmpdir(), "empty-cache-"));
    });

    afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

    it("says in one line how to get it, and exits 2 without building anything", async () => {
        const before = benchTempDirs();
        const r = await run(process.execPath, BENCH, {
            cwd: REPO_ROOT,
            env: { ...process.env, REDIS_STACK_CACHE: cache },
        });
        assert.strictEqual(r.code, 2, r.stdout + r.stderr);
        assert.strictEqual(
            r.stderr,
            `bench:bastion: no Redis source tarball (redis_<version>.orig.tar.gz) in ${path.join(cache, "redis-src")}; fetch it once with: sudo bash scripts/ensure-test-deps.sh\n`,
        );
        assert.strictEqual(r.stdout, "");
        assert.deepStrictEqual(benchTempDirs(), before, "no work directory created");
    });

    it("refuses arguments with exit 2", async () => {
        const r = await run(process.execPath, [...BENCH, "--fast"], { cwd: REPO_ROOT });
        assert.strictEqual(r.code, 2, r.stderr);
        assert.strictEqual(r.stderr, "bench:bastion: takes no arguments, got: --fast\n");
    });
});
