// `npm run connect` run for real through its bin, with a fake `aws`, `session-manager-plugin` and `pulumi` on
// PATH: the fake AWS CLI answers describe-instance-information, send-command and get-command-invocation from
// scripted sequences, and records every call (start-session included) so the test sees what a user's terminal
// would run.
import { strict as assert } from "assert";
import { execFileSync, spawn } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { writeExecutable } from "../bastion/helpers";

const BIN = path.join(__dirname, "..", "..", "scripts", "redis-stack-connect.js");
const INSTANCE = "i-0123456789abcdef0";

interface Result {
    code: number | null;
    stdout: string;
    stderr: string;
    ms: number;
}

describe("npm run connect, with a fake AWS CLI", function () {
    this.timeout(60_000);
    let root: string;
    let bin: string;

    const file = (name: string) => path.join(root, name);
    const calls = () => (existsSync(file("calls")) ? readFileSync(file("calls"), "utf8").trim().split("\n") : []);

    const executable = (name: string, text: string): void => writeExecutable(path.join(bin, name), text);

    /** Each answer file holds one answer a line; the last line repeats once the others are used. */
    function answers(name: string, lines: string[]): void {
        writeFileSync(file(name), lines.join("\n") + "\n");
    }

    function installFakes(tools: { aws?: boolean; plugin?: boolean; pulumi?: boolean } = {}): void {
        const { aws = true, plugin = true, pulumi = true } = tools;
        const pop = (name: string) =>
            `{ f=${JSON.stringify(file(name))}; head -n 1 "$f"; if [ "$(wc -l < "$f")" -gt 1 ]; then sed -i 1d "$f"; fi; }`;
        if (aws) {
            executable(
                "aws",
                `#!/bin/bash
PATH=/usr/bin:/bin
printf '%s\\n' "$*" >> ${JSON.stringify(file("calls"))}
[ -n "$AWS_PAGER" ] && { echo "AWS_PAGER must be empty" >&2; exit 9; }
case "$1 $2" in
  "ssm describe-instance-information") [ -f ${JSON.stringify(file("hang"))} ] && exec -a ${JSON.stringify(`fake-aws-${root}`)} sleep 30; ${pop("ping")} ;;
  "ssm send-command") echo 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 ;;
  "ssm get-command-invocation") ${pop("probe")} ;;
  "ssm start-session") exit "$(cat ${JSON.stringify(file("session-exit"))} 2>/dev/null || echo 0)" ;;
  *) echo "fake aws: unsupported $*" >&2; exit 252 ;;
esac
`,
            );
        }
        if (plugin) executable("session-manager-plugin", "#!/bin/bash\necho 1.2.0\n");
        if (pulumi) {
            executable(
                "pulumi",
                `#!/bin/bash
printf 'pulumi %s\\n' "$*" >> ${JSON.stringify(file("calls"))}
echo '{"bastionInstanceId": "${INSTANCE}", "region": "eu-west-1", "redisAuthToken": "[secret]"}'
`,
            );
        }
    }

    function connect(args: string[], onSpawn?: (pid: number) => void): Promise<Result> {
        const started = Date.now();
        return new Promise((resolve) => {
            const child = spawn(process.execPath, [BIN, ...args], {
                env: { PATH: bin, HOME: root, AWS_PAGER: "less" },
                stdio: ["ignore", "pipe", "pipe"],
            });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            if (onSpawn && child.pid) onSpawn(child.pid);
            child.on("exit", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
        });
    }

    beforeEach(() => {
        root = mkdtempSync(path.join(tmpdir(), "connect-test-"));
        bin = path.join(root, "bin");
        mkdirSync(bin);
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it("names each missing prerequisite on one line, and runs nothing", async () => {
        installFakes({ aws: false });
        let r = await connect(["--stack", "dev"]);
        assert.strictEqual(r.code, 2);
        assert.match(
            r.stderr,
            /^connect: the AWS CLI v2 is not on PATH: install it \(https:\/\/docs\.aws\.amazon\.com\/cli\/[^\n]*\)\n$/,
        );

        installFakes({ plugin: false });
        rmSync(path.join(bin, "session-manager-plugin"), { force: true });
        r = await connect(["--stack", "dev"]);
        assert.strictEqual(r.code, 2);
        assert.match(r.stderr, /^connect: the Session Manager plugin is not on PATH: install it/);

        installFakes({ pulumi: false });
        rmSync(path.join(bin, "pulumi"), { force: true });
        r = await connect(["--stack", "dev"]);
        assert.strictEqual(r.code, 2);
        assert.match(r.stderr, /pulumi CLI is not on PATH.*or pass --instance-id and --region/);
        assert.deepStrictEqual(calls(), []);
    });

    it("waits for Session Manager and the redis-cli build, with progress, then opens the session", async () => {
        installFakes();
        answers("ping", ["None", "ConnectionLost", "Online"]);
        answers("probe", [
            '["InProgress", ""]',
            '["Success", "BUILDING\\n[12:00:01] building: make redis-cli"]',
            '["Success", "READY"]',
        ]);
        writeFileSync(file("session-exit"), "3");
        const r = await connect(["--stack", "dev", "--poll-interval", "0.05"]);
        assert.strictEqual(r.code, 3, r.stderr);
        assert.match(r.stderr, /waiting for i-0123456789abcdef0 to come online in Session Manager \(not registered\)/);
        assert.match(r.stderr, /\(ConnectionLost\)/);
        assert.match(r.stderr, /redis-cli is still building on the bastion: \[12:00:01\] building: make redis-cli/);
        assert.match(r.stderr, /redis-cli is built; opening the session/);
        const all = calls();
        assert.strictEqual(all[0], "pulumi stack output --json --stack dev");
        assert.strictEqual(all.filter((c) => c.startsWith("ssm describe-instance-information")).length, 3);
        assert.strictEqual(
            all[all.length - 1],
            `ssm start-session --region eu-west-1 --target ${INSTANCE} --document-name AWS-StartInteractiveCommand --parameters command=redis-connect`,
        );
        for (const call of all) assert.doesNotMatch(call, /secret|REDISCLI_AUTH/);
    });

    it("shows the build log's tail, escaped, and exits 1 without a session when the build failed", async () => {
        installFakes();
        answers("ping", ["Online"]);
        answers("probe", [
            '["Success", "FAILED\\n[12:00] ERROR: sha256 mismatch \\u001b[31mred\\n[12:00] FAILED (exit 1)"]',
        ]);
        const r = await connect(["--instance-id", INSTANCE, "--region", "us-east-1", "--poll-interval", "0.05"]);
        assert.strictEqual(r.code, 1);
        assert.match(
            r.stderr,
            /the redis-cli build on i-0123456789abcdef0 failed; the end of its log:\n {2}\| \[12:00\] ERROR: sha256 mismatch \\x1b\[31mred\n {2}\| \[12:00\] FAILED \(exit 1\)\n/,
        );
        assert.ok(!calls().some((c) => c.includes("start-session")));
    });

    it("gives up at --timeout with one line naming what it waited for", async () => {
        installFakes();
        answers("ping", ["None"]);
        const r = await connect([
            "--instance-id",
            INSTANCE,
            "--region",
            "us-east-1",
            "--timeout",
            "1",
            "--poll-interval",
            "0.2",
        ]);
        assert.strictEqual(r.code, 2);
        assert.match(
            r.stderr,
            /connect: i-0123456789abcdef0 did not come online in Session Manager within 1 s; raise --timeout/,
        );
        assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    });

    it("stops on SIGTERM while waiting, killing the AWS CLI call it runs", async () => {
        installFakes();
        writeFileSync(file("hang"), "");
        let pid = 0;
        const pending = connect(["--instance-id", INSTANCE, "--region", "us-east-1"], (p) => (pid = p));
        const hanging = () =>
            execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
                .split("\n")
                .filter((line) => line.startsWith(`fake-aws-${root}`));
        for (let i = 0; i < 100 && hanging().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
        assert.strictEqual(hanging().length, 1, "the AWS CLI call is running");
        process.kill(pid, "SIGTERM");
        const r = await pending;
        assert.strictEqual(r.code, 143);
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.deepStrictEqual(hanging(), [], "the AWS CLI call was killed with the run");
    });

    it("refuses a usage error with one line and exit 2", async () => {
        installFakes();
        const r = await connect(["--stak", "dev"]);
        assert.strictEqual(r.code, 2);
        assert.strictEqual(r.stderr, "connect: Unknown option '--stak'; see --help\n");
    });
});
