// Token rotation on the local ElastiCache-like cluster, as authTokenUpdateStrategy does it on the real one:
// ROTATE adds the new token beside the old (both work while clients move over), SET leaves only the new one
// (the old is refused), SET without a ROTATE before it is refused. The token file stands for the SSM parameter
// the stack publishes: after every step it names a token the cache accepts. Proven with the real redis:check.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { check, freeBlock, localRedis, readInfo, REPO, type LocalRedis, type Run } from "./helpers";

const NEW_TOKEN = "Rotated-Token-0123456789";

function rotate(l: LocalRedis, strategy: string, stdin = ""): Promise<Run> {
    return new Promise((resolve) => {
        const child = execFile(
            "bash",
            [path.join(REPO, "scripts", "local-redis.sh"), "rotate-token", "--strategy", strategy, "--mode", l.mode],
            { env: { ...process.env, LOCAL_REDIS_DIR: l.dir }, timeout: 60_000 },
            (err, stdout, stderr) =>
                resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
        );
        child.stdin?.end(stdin);
    });
}

describe("AUTH token rotation on the local cluster (ROTATE, then SET)", function () {
    this.timeout(180_000);
    let l: LocalRedis;
    let oldToken: string;

    before(async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "token-rotation-"));
        const r = await localRedis(dir, "cluster", "start", await freeBlock(6));
        assert.strictEqual(r.code, 0, r.stderr);
        l = readInfo(dir, "cluster");
        oldToken = l.token;
    });

    after(async function () {
        if (!l) return;
        await localRedis(l.dir, "cluster", "stop");
        fs.rmSync(l.dir, { recursive: true, force: true });
    });

    const checkWith = (token: string) =>
        check(["--host", l.host, "--port", String(l.port), "--ca", l.ca, "--keys", "20", "--json"], {
            REDISCLI_AUTH: token,
        });
    const tokenFile = () => fs.readFileSync(path.join(l.state, "token"), "utf8").trim();

    it("refuses SET before any ROTATE, and a ROTATE to a bad or unchanged token, changing nothing", async () => {
        const set = await rotate(l, "SET");
        assert.strictEqual(set.code, 1);
        assert.match(set.stderr, /SET is allowed only after a ROTATE/);
        const bad = await rotate(l, "ROTATE", "short\n");
        assert.strictEqual(bad.code, 1);
        assert.match(bad.stderr, /must be 16 to 128 letters/);
        assert.doesNotMatch(bad.stderr + bad.stdout, /short/, "the refused token is not echoed");
        const same = await rotate(l, "ROTATE", `${oldToken}\n`);
        assert.strictEqual(same.code, 1);
        assert.strictEqual(tokenFile(), oldToken);
        assert.strictEqual((await checkWith(oldToken)).code, 0);
    });

    it("ROTATE: the token file names the new token, and both tokens work on every node", async () => {
        const r = await rotate(l, "ROTATE", `${NEW_TOKEN}\n`);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(tokenFile(), NEW_TOKEN);
        assert.doesNotMatch(r.stdout + r.stderr, new RegExp(NEW_TOKEN), "the token is never printed");
        const withOld = await checkWith(oldToken);
        assert.strictEqual(withOld.code, 0, withOld.stderr);
        const withNew = await checkWith(tokenFile());
        assert.strictEqual(withNew.code, 0, withNew.stderr);
    });

    it("SET: only the new token works; the old one is refused", async () => {
        const r = await rotate(l, "SET");
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(tokenFile(), NEW_TOKEN);
        const withOld = await checkWith(oldToken);
        assert.strictEqual(withOld.code, 6, `the old token must be refused: ${withOld.stdout}${withOld.stderr}`);
        assert.match(withOld.stderr + withOld.stdout, /authentication to .* failed: wrong password/);
        const withNew = await checkWith(tokenFile());
        assert.strictEqual(withNew.code, 0, withNew.stderr);
        const again = await rotate(l, "SET");
        assert.strictEqual(again.code, 1, "a second SET needs a new ROTATE first");
    });
});
