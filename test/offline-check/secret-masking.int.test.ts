// Secrets never echoed (issue #20, class 4): every message path goes through the one masking function
// (policy/shared maskSecrets): the emulated provider's failure reasons, a refused URL's credentials, YAML errors
// (whose snippet would quote a plain token), and redis:check's refusal of a password given as a flag.
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIXTURES, REPO, runCli } from "./run-cli";

/** A project directory of our own running the repository's program, with one extra stack file. */
function projectWithStack(dir: string, stack: string, extra: string): void {
    const project = fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8");
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        project.replace(/^main: infra\/$/m, `main: ${path.join(REPO, "infra")}/`),
    );
    const dev = fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8");
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), `${dev}${extra}`);
}

describe("redis-stack-check and redis:check: secrets are masked in every message", function () {
    this.timeout(180_000);
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-masking-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("the provider check's failure reason quoting a secret input shows [secret]", async () => {
        const r = await runCli(["--program", path.join(FIXTURES, "provider-check"), "--stack", "secret-reason"]);
        assert.strictEqual(r.code, 2, r.stderr);
        assert.match(r.stderr, /aws:ssm\/parameter:Parameter resource 'token-param'.*tier.*got \[secret\]/);
        assert.ok(!r.stderr.includes("Sekr1t"), r.stderr);
    });

    it("a refused URL's password is masked whole, '/' and '@' in it included", async () => {
        const url = "https://mirror-user:pa/ss@w0rd-Sekr1t@mirror.example.com/redis.tar.gz";
        projectWithStack(
            dir,
            "url",
            `  redis-stack:redisCliSourceUrl: "${url}"\n  redis-stack:redisCliSha256: ${"a".repeat(64)}\n`,
        );
        const r = await runCli(["--program", dir, "--stack", "url"]);
        assert.strictEqual(r.code, 2, r.stderr);
        assert.match(r.stderr, /redisCliSourceUrl .*https:\/\/\[secret\]@mirror\.example\.com/);
        for (const part of ["mirror-user", "pa/ss", "w0rd", "Sekr1t"]) {
            assert.ok(!r.stderr.includes(part), `${part} echoed: ${r.stderr}`);
        }
    });

    it("a YAML error in a stack file holding a plain token does not quote the token's line", async () => {
        projectWithStack(dir, "yaml", "  redis-stack:redisAuthToken: Plain-Sekr1t-Token-0001\n  bad: [unclosed\n");
        const r = await runCli(["--program", dir, "--stack", "yaml"]);
        assert.strictEqual(r.code, 2, r.stderr);
        assert.match(r.stderr, /Pulumi\.yaml\.yaml is not valid YAML: .* \(line \d+, column \d+\)\n$/);
        assert.strictEqual(r.stderr.trim().split("\n").length, 1, r.stderr);
        assert.ok(!r.stderr.includes("Sekr1t"), r.stderr);
    });

    for (const arg of ["--auth=Sekr1t-Pass", "-a=Sekr1t-Pass", "-aSekr1t-Pass", "--password=Sekr1t-Pass", "--pass"]) {
        it(`redis:check refuses ${arg.replace("Sekr1t-Pass", "PASS")} without echoing the password`, async () => {
            const r = await new Promise<{ code: number; out: string }>((resolve) =>
                execFile(
                    process.execPath,
                    [
                        path.join(REPO, "scripts", "redis-stack-redis-check.js"),
                        "--host",
                        "127.0.0.1",
                        arg,
                        "Sekr1t-Pass",
                    ],
                    { cwd: REPO, env: { ...process.env, REDISCLI_AUTH: "" } },
                    (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, out: stdout + stderr }),
                ),
            );
            assert.strictEqual(r.code, 2, r.out);
            assert.match(r.out, /the AUTH token is never a flag/);
            assert.ok(!r.out.includes("Sekr1t"), r.out);
        });
    }
});
