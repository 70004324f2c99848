// Integration: the provider-check stage through the real CLI. A program the AWS provider's Check (or the engine)
// refuses fails the run with exit 2 and the provider's or engine's line naming the resource, before any policy
// verdict, as `pulumi preview` does; the shipped program passes it with auto-named inputs the pack sees.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIXTURES, REPO, parseReport, runCli } from "./run-cli";

const PROGRAM = path.join(FIXTURES, "provider-check");

/** The stderr of a refused run: the header, then one indented line per problem. */
function problemLines(stderr: string): string[] {
    return stderr
        .split("\n")
        .filter((l) => l.startsWith("    "))
        .map((l) => l.trim());
}

describe("redis-stack-check CLI: the provider's Check before the pack", function () {
    this.timeout(180_000);

    const refused: Record<string, string> = {
        cidr: "aws:ec2/vpc:Vpc resource 'peer' has a problem: expected cidr_block to contain a valid network Value, expected 10.43.0.0/16, got 10.43.1.0/16. Examine values at 'peer.cidrBlock'.",
        "multi-az":
            "aws:elasticache/replicationGroup:ReplicationGroup resource 'cache' has a problem: automatic_failover_enabled must be true if multi_az_enabled is true. Examine values at 'cache.automaticFailoverEnabled'.",
        "prod-ap-northeast-2":
            "aws:elasticache/replicationGroup:ReplicationGroup resource 'redis-prod-ap-northeast-2-cache-group' has a problem: could not make instance of 'aws:elasticache/replicationGroup:ReplicationGroup': name 'redis-prod-ap-northeast-2-cache-group-' plus 7 random chars is longer than maximum length 40",
    };
    for (const [stack, line] of Object.entries(refused)) {
        it(`${stack}: exit 2 with the provider's line naming the resource, and no report`, async () => {
            const r = await runCli(["--program", PROGRAM, "--stack", stack, "--format", "json"]);
            assert.strictEqual(r.code, 2, r.stderr);
            assert.strictEqual(r.stdout, "");
            assert.match(
                r.stderr,
                /redis-stack-check: error: preview failed: 1 problem a real `pulumi preview` reports/,
            );
            assert.deepStrictEqual(problemLines(r.stderr), [line]);
        });
    }

    it("the shipped program with a repeated clientSecurityGroupIds entry: the engine's duplicate URN, exit 2", async () => {
        // The real program (infra/) in a project whose dev stack repeats a client security group.
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "check-duplicate-"));
        try {
            for (const f of ["Pulumi.yaml", "tsconfig.json"]) {
                fs.copyFileSync(path.join(REPO, f), path.join(tmp, f));
            }
            for (const d of ["infra", "node_modules"]) {
                fs.symlinkSync(path.join(REPO, d), path.join(tmp, d), "dir");
            }
            const sg = "sg-0123456789abcdef0";
            fs.writeFileSync(
                path.join(tmp, "Pulumi.dev.yaml"),
                `${fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8")}  redis-stack:clientSecurityGroupIds:\n    - ${sg}\n    - ${sg}\n`,
            );
            const r = await runCli(["--program", tmp, "--stack", "dev"]);
            assert.strictEqual(r.code, 2, r.stderr);
            const lines = problemLines(r.stderr);
            assert.strictEqual(lines.length, 1, r.stderr);
            assert.match(
                lines[0],
                new RegExp(
                    `^Duplicate resource URN 'urn:pulumi:dev::redis-stack::[^']*aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::[^']*${sg}[^']*'; try giving it a unique name$`,
                ),
            );
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("dev: auto-named inputs in the report, and its monthly cost in the estimator's shape", async () => {
        const r = await runCli(["--stack", "dev", "--format", "json"]);
        assert.strictEqual(r.code, 0, r.stderr);
        const report = parseReport(r) as ReturnType<typeof parseReport> & { cost: Record<string, unknown> };
        const group = report.resources.find((x) => x.type === "aws:elasticache/replicationGroup:ReplicationGroup");
        assert.match(String(group?.inputs.replicationGroupId), /^redis-dev-cache-group-[0-9a-f]{7}$/);
        const cost = report.cost as {
            currency: string;
            region: string;
            pricesAsOf: string;
            monthly: number;
            monthlyAfterFreeTier: number;
            freeTier: { model: string; description: string };
            resources: { urn: string; type: string; monthly: number; monthlyAfterFreeTier: number; basis: string }[];
            unpriced: unknown[];
        };
        assert.deepStrictEqual(
            [cost.currency, cost.region, cost.freeTier.model, cost.unpriced],
            ["USD", "us-east-1", "legacy-12-month", []],
        );
        assert.match(cost.pricesAsOf, /^\d{4}-\d{2}-\d{2}$/);
        const line = (type: string) => cost.resources.find((l) => l.type === type);
        // The figures of test/policy/cost-estimate.test.ts: the cache 730 h x $0.017, the KMS key $1; the bastion
        // is a t2.micro (730 h x $0.0116) with its 8 GB gp3 volume and public IPv4; alarms and logs add cents.
        assert.strictEqual(line("aws:elasticache/replicationGroup:ReplicationGroup")?.monthly, 12.41);
        assert.strictEqual(line("aws:kms/key:Key")?.monthly, 1);
        assert.strictEqual(line("aws:ec2/instance:Instance")?.monthly, 12.76);
        assert.ok(cost.monthly > 26 && cost.monthly < 28, `list ${cost.monthly}`);
        assert.strictEqual(cost.monthlyAfterFreeTier, 1);
        for (const l of cost.resources) {
            assert.deepStrictEqual(Object.keys(l).sort(), ["basis", "monthly", "monthlyAfterFreeTier", "type", "urn"]);
        }
    });
});
