// Runs a stand-in `pulumi` executable, so it is in the full suite only (test/README.md).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackOutputs } from "../../scripts/redis-check";

describe("redis-check stack outputs", () => {
    it("runs the pulumi CLI found on PATH, and says so when there is none", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
        try {
            // A stand-in CLI that records its arguments and prints outputs as `pulumi stack output --json` does.
            fs.writeFileSync(
                path.join(dir, "pulumi"),
                `#!/bin/sh\necho "$@" > "${dir}/args"\necho '{"redisEndpoint":"master.r.cache.amazonaws.com","redisPort":6379,"redisClusterMode":"disabled"}'\n`,
                { mode: 0o755 },
            );
            const r = readStackOutputs("staging", 5000, { PATH: `${dir}:/usr/bin:/bin` });
            assert.deepStrictEqual(r.outputs?.endpoint, "master.r.cache.amazonaws.com");
            assert.strictEqual(
                fs.readFileSync(path.join(dir, "args"), "utf8").trim(),
                "stack output --json --stack staging",
            );
            fs.writeFileSync(path.join(dir, "pulumi"), "#!/bin/sh\necho 'error: no stack selected' >&2\nexit 255\n", {
                mode: 0o755,
            });
            const failed = readStackOutputs(undefined, 5000, { PATH: `${dir}:/usr/bin:/bin` });
            assert.match(
                failed.outputs ? "" : failed.problem,
                /pulumi stack output --json failed: error: no stack selected/,
            );
            const none = readStackOutputs(undefined, 5000, { PATH: path.join(dir, "empty") });
            assert.deepStrictEqual(none, { problem: "no pulumi CLI on PATH" });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
