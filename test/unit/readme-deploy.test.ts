/**
 * The README's deploy sequence, the CI preview and the alarm counts the README states, checked against the project
 * like the config table is: a new user pastes these commands, so each must work as written on every stack.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { planCacheAlarms } from "../../infra/alarm-plan";
import { CONFIG_KEYS, parseConfig } from "../../infra/config";
import { stackConfig } from "../infra/stack-config";

const ROOT = path.resolve(__dirname, "../..");
const STACKS = ["dev", "staging", "prod"] as const;
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The lines of the first ```sh block under `### <stack>` in the README's "Deploy for real" section. */
function deployCommands(readme: string, stack: string): string[] {
    const section = readme.split("\n## Deploy for real")[1]?.split("\n## ")[0] ?? "";
    const block = new RegExp(`\\n### ${stack}\\n[\\s\\S]*?\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(section);
    assert.ok(block, `the README's deploy section has no sh block under "### ${stack}"`);
    return block[1].split("\n").filter((line) => line.trim() !== "");
}

describe("the README's deploy sequence works as pasted", () => {
    const readme = read("README.md");

    for (const stack of STACKS) {
        it(`${stack}: login, create-or-select, previews and ups with the stack's policy config, then connect`, () => {
            const lines = deployCommands(readme, stack);
            const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
            assert.strictEqual(lines[0], "npm ci");
            const login = at(/^pulumi login\b/);
            const select = at(new RegExp(`^pulumi stack (select (--create|-c) ${stack}|init ${stack})$`));
            const up = at(/^pulumi up\b/);
            assert.ok(login >= 0 && select > login && up > select, lines.join("\n"));
            assert.strictEqual(lines[lines.length - 1], `npm run connect -- --stack ${stack}`);
            assert.ok(fs.existsSync(path.join(ROOT, `policy/config/${stack}.json`)));
            for (const line of lines.filter((l) => /^pulumi (preview|up)\b/.test(l))) {
                assert.ok(
                    line.endsWith(` --policy-pack policy --policy-pack-config policy/config/${stack}.json`),
                    line,
                );
            }
            for (const line of lines.filter((l) => l.startsWith("pulumi config set "))) {
                const words = line.split(/\s+/).slice(3);
                const key = words
                    .find((w) => !w.startsWith("--"))!
                    .replace(/^'|'$/g, "")
                    .replace(/\[\d+\]$/, "");
                assert.ok((CONFIG_KEYS as readonly string[]).includes(key), `${key} is not a config key`);
                if (key === "redisAuthToken") assert.ok(words.includes("--secret"), line);
                if (["sshAllowedCidrs", "privateSubnetIds", "snapshotArns", "clientSecurityGroupIds"].includes(key)) {
                    assert.ok(words.includes("--path") || words.includes("--json"), line);
                }
            }
        });
    }

    it("every documented preview or up with the pack names a policy config", () => {
        for (const file of ["README.md", "policy/README.md"]) {
            for (const command of read(file).match(/pulumi (preview|up) [^\n`]*--policy-pack [^\n`]*/g) ?? []) {
                assert.match(command, /--policy-pack-config policy\/config\//, `${file}: ${command}`);
            }
        }
    });

    it("the CI preview creates missing stacks, uses each stack's policy config and gates on everything it needs", () => {
        const workflow = yaml.load(read(".github/workflows/pull-request.yml")) as {
            jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown>; run?: string }[] }>;
        };
        const preview = workflow.jobs["pulumi-preview"].steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.ok(preview?.with);
        assert.strictEqual(preview.with.upsert, true);
        assert.strictEqual(preview.with.policyPacks, "policy");
        assert.strictEqual(preview.with.policyPackConfigs, "policy/config/${{ matrix.stack }}.json");
        // The gate's logic lives in scripts/ci-cloud-gate.sh (tested in test/ci/cloud-gate.int.test.ts).
        const runs = workflow.jobs["cloud-preview-gate"].steps.map((s) => s.run ?? "").join("\n");
        const gate = runs.includes("scripts/ci-cloud-gate.sh") ? runs + read("scripts/ci-cloud-gate.sh") : runs;
        for (const name of [
            "AWS_ROLE_ARN",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "PULUMI_ACCESS_TOKEN",
            "PULUMI_BACKEND_URL",
        ]) {
            assert.match(gate, new RegExp(`\\$\\{?${name}\\b`), `the gate checks ${name}`);
        }
    });

    it("states each stack's alarm count as the program plans it", () => {
        for (const stack of STACKS) {
            const config = parseConfig(stackConfig(stack));
            const count = planCacheAlarms(config.cache, config.alarms.thresholds).length + 1; // + the bastion's
            assert.match(readme, new RegExp(`\\b${stack} ${count} alarms?\\b`), `${stack}: ${count} alarms`);
        }
    });
});
