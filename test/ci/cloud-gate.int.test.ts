// scripts/ci-cloud-gate.sh, the CI gate of the real `pulumi preview`, run with bash on stack files in a temp dir.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const GATE = path.join(__dirname, "..", "..", "scripts", "ci-cloud-gate.sh");
const SECRET = "s3cr3t-value-never-printed";

interface GateResult {
    available: string;
    "aws-auth": string;
    summary: string;
}

function gate(env: Record<string, string>, stackFiles: Record<string, string>): GateResult {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-gate-"));
    try {
        for (const [name, text] of Object.entries(stackFiles)) {
            fs.writeFileSync(path.join(dir, name), text);
        }
        const output = path.join(dir, "output");
        const summary = path.join(dir, "summary");
        const r = spawnSync("bash", [GATE], {
            cwd: dir,
            env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env },
            encoding: "utf8",
            timeout: 20_000,
        });
        assert.strictEqual(r.status, 0, r.stderr);
        const out = Object.fromEntries(
            fs
                .readFileSync(output, "utf8")
                .trim()
                .split("\n")
                .map((l) => l.split("=") as [string, string]),
        );
        const said = fs.existsSync(summary) ? fs.readFileSync(summary, "utf8") : "";
        assert.ok(!(r.stdout + r.stderr + said).includes(SECRET), "a value was printed");
        return { available: out.available, "aws-auth": out["aws-auth"], summary: said };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const plain = { "Pulumi.dev.yaml": "config:\n  aws:region: us-east-1\n" };
const salted = {
    ...plain,
    "Pulumi.prod.yaml": "encryptionsalt: v1:abc:v1:def:ghi\nconfig:\n  aws:region: us-east-1\n",
};

describe("scripts/ci-cloud-gate.sh", () => {
    it("OIDC role and Pulumi Cloud: available, aws-auth oidc", () => {
        const r = gate({ AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/ci", PULUMI_ACCESS_TOKEN: SECRET }, plain);
        assert.deepStrictEqual([r.available, r["aws-auth"], r.summary], ["true", "oidc", ""]);
    });

    it("static keys are the fallback; OIDC wins when both are set", () => {
        const keys = { AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: SECRET, PULUMI_ACCESS_TOKEN: SECRET };
        assert.strictEqual(gate(keys, plain)["aws-auth"], "keys");
        assert.strictEqual(gate({ ...keys, AWS_ROLE_ARN: "arn:aws:iam::1:role/ci" }, plain)["aws-auth"], "oidc");
        const half = gate({ AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", PULUMI_ACCESS_TOKEN: SECRET }, plain);
        assert.strictEqual(half.available, "false");
        assert.match(half.summary, /AWS_ROLE_ARN \(variable, OIDC\) or AWS_ACCESS_KEY_ID \+ AWS_SECRET_ACCESS_KEY/);
    });

    it("a stack file with encryptionsalt needs the passphrase on every backend, Pulumi Cloud included", () => {
        const base = { AWS_ROLE_ARN: "arn:aws:iam::1:role/ci", PULUMI_ACCESS_TOKEN: SECRET };
        const r = gate(base, salted);
        assert.strictEqual(r.available, "false");
        assert.match(r.summary, /PULUMI_CONFIG_PASSPHRASE \(secret: Pulumi\.prod\.yaml encrypted with a passphrase\)/);
        assert.strictEqual(gate({ ...base, PULUMI_CONFIG_PASSPHRASE: SECRET }, salted).available, "true");
    });

    it("a self-managed backend needs the passphrase; an https:// one doesn't; no backend at all is named", () => {
        const aws = { AWS_ROLE_ARN: "arn:aws:iam::1:role/ci" };
        assert.match(gate({ ...aws, PULUMI_BACKEND_URL: "s3://bucket" }, plain).summary, /self-managed backend/);
        assert.strictEqual(gate({ ...aws, PULUMI_BACKEND_URL: "https://api.pulumi.example" }, plain).available, "true");
        const none = gate(aws, plain);
        assert.match(
            none.summary,
            /not configured: PULUMI_ACCESS_TOKEN \(secret\) or PULUMI_BACKEND_URL \(variable\)\.$/m,
        );
    });
});
