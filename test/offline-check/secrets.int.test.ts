// Secrets never in clear (issue #10): the real program with an AUTH token configured puts it in the replication
// group, its SSM parameter and a stack output; no report format, nor the SARIF file, may show it.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO, runCli } from "./run-cli";

const TOKEN = "Sekr1t-T0ken-4f9a2c";

describe("redis-stack-check CLI: a configured AUTH token shows as [secret] in every format", function () {
    this.timeout(600_000);
    let dir: string;
    before(() => {
        // The repository's program, run from a project directory of our own that adds a stack with a token.
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-secrets-"));
        const project = fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8");
        assert.match(project, /^main: infra\/$/m);
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            project.replace(/^main: infra\/$/m, `main: ${path.join(REPO, "infra")}/`),
        );
        const dev = fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8");
        fs.writeFileSync(path.join(dir, "Pulumi.token.yaml"), `${dev}  redis-stack:redisAuthToken: ${TOKEN}\n`);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("json (replication group, SSM parameter, stack output), text, markdown, sarif and --sarif-file", async () => {
        const sarifFile = path.join(dir, "report.sarif");
        const base = ["--program", dir, "--stack", "token"];
        const json = await runCli([...base, "--format", "json", "--sarif-file", sarifFile]);
        assert.strictEqual(json.code, 0, json.stderr);
        const doc = JSON.parse(json.stdout) as {
            resources: { type: string; inputs: Record<string, unknown> }[];
            outputs: Record<string, unknown>;
        };
        const inputs = (type: string): Record<string, unknown> => doc.resources.find((r) => r.type === type)!.inputs;
        assert.strictEqual(inputs("aws:elasticache/replicationGroup:ReplicationGroup").authToken, "[secret]");
        assert.strictEqual(inputs("aws:ssm/parameter:Parameter").value, "[secret]");
        assert.strictEqual(doc.outputs.redisAuthToken, "[secret]");
        const outputs: Record<string, string> = { json: json.stdout, sarifFile: fs.readFileSync(sarifFile, "utf8") };
        for (const format of ["text", "markdown", "sarif"]) {
            const r = await runCli([...base, "--format", format]);
            assert.strictEqual(r.code, 0, r.stderr);
            outputs[format] = r.stdout + r.stderr;
        }
        for (const [format, text] of Object.entries(outputs)) {
            assert.ok(!text.includes(TOKEN), `${format} shows the token`);
        }
    });
});
