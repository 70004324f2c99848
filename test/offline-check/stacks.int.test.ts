// The three shipped stacks (Pulumi.yaml at the repository root, program in infra/) pass the real policy pack
// with their policy/config/<stack>.json, as `npm run preview -- --stack <name>` and CI run them.
import * as assert from "assert";
import { mandatory, parseReport, runCli } from "./run-cli";

describe("redis-stack-check: the shipped stacks", function () {
    this.timeout(180_000);

    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: no mandatory violation`, async () => {
            const r = await runCli(["--stack", stack, "--format", "json"]);
            const report = parseReport(r);
            assert.deepStrictEqual(mandatory(report), [], JSON.stringify(report.violations, null, 2));
            assert.strictEqual(r.code, 0, r.stderr);
            // With planned outputs (unknown where the provider computes), every policy still reaches a verdict, and
            // the estimate prices every resource.
            const undecided = report.violations.filter((v) => /^can't run policy/.test(v.message));
            assert.deepStrictEqual(undecided, []);
            const cost = (JSON.parse(r.stdout) as { cost: { unpriced: unknown[] } }).cost;
            assert.deepStrictEqual(cost.unpriced, []);
            assert.strictEqual(report.project, "redis-stack");
            assert.strictEqual(report.stack, stack);
            const types = new Set(report.resources.map((x) => x.type));
            for (const t of [
                "pulumi:pulumi:Stack",
                "aws:elasticache/replicationGroup:ReplicationGroup",
                "aws:ec2/instance:Instance",
            ]) {
                assert.ok(types.has(t), `${stack} has no ${t}`);
            }
        });
    }

    it("npm run preview (no flags): the dev plan as a tree with the policy verdict", async () => {
        const r = await runCli([]);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.match(r.stdout, /^Previewing update \(dev\) of redis-stack/);
        assert.match(r.stdout, /^ \+ {2}pulumi:pulumi:Stack +redis-stack-dev$/m);
        assert.match(r.stdout, /^ \+ {2}.*[├└]─ aws:elasticache:ReplicationGroup /m);
        assert.match(r.stdout, /^Policies \(redis-stack-guardrails@v/m);
        assert.match(r.stdout, /^Policy check passed for stack dev: \d+ resources to create, 0 mandatory/m);
    });
});
