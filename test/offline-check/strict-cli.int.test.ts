// Issue 17 through the real CLI on a program (test/fixtures/strict, one stack per input): what AWS and the provider
// accept passes (over-strict before), what they refuse is refused with their words (under-strict before).
import * as assert from "assert";
import * as path from "path";
import { type CliResult, FIXTURES, type JsonReport, mandatory, parseReport, runCli } from "./run-cli";

const PROGRAM = path.join(FIXTURES, "strict");
const POLICY_CONFIG = path.join(PROGRAM, "policy-config.json");

/** The stderr of a refused run: one indented line per problem. */
function problemLines(stderr: string): string[] {
    return stderr
        .split("\n")
        .filter((l) => l.startsWith("    "))
        .map((l) => l.trim());
}

const check = (stack: string) =>
    runCli(["--program", PROGRAM, "--stack", stack, "--format", "json", "--policy-config", POLICY_CONFIG]);

describe("redis-stack-check CLI: issue 17's named inputs on a program", function () {
    this.timeout(300_000);

    const accepted: Record<string, (report: JsonReport) => void> = {
        "ports-all": () => undefined,
        "valkey-graviton4": () => undefined,
        "kms-admins": () => undefined,
        "iso-e": (report) => assert.ok(report.resources.some((r) => r.inputs.region === "eu-isoe-west-1")),
        "iso-f": () => undefined,
        "empty-windows": () => undefined,
        "fifo-topic": (report) =>
            assert.match(
                String(report.resources.find((r) => r.name === "alerts")?.inputs.name),
                /^alerts-[0-9a-f]{7}\.fifo$/,
            ),
        "autonaming-verbatim": (report) =>
            assert.strictEqual(
                report.resources.find((r) => r.name === "cache" && r.type.includes("replicationGroup"))?.inputs
                    .replicationGroupId,
                "cache",
            ),
        "autonaming-pattern": (report) => {
            const group = report.resources.find((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup");
            assert.match(String(group?.inputs.replicationGroupId), /^autonaming-pattern-cache-[0-9a-f]{4}$/);
            assert.strictEqual(report.resources.find((r) => r.name === "bastion-role")?.inputs.name, "bastion-role");
        },
    };
    // The accepted stacks in one run (`--stack a,b,...`, as CI checks its stacks), started by the first test that
    // reads it: its exit 0 says every one of them was accepted.
    let acceptedRun: Promise<CliResult> | undefined;
    for (const [stack, inspect] of Object.entries(accepted)) {
        it(`${stack}: accepted (exit 0, no mandatory violation)`, async () => {
            const r = await (acceptedRun ??= check(Object.keys(accepted).join(",")));
            assert.strictEqual(r.code, 0, r.stderr + r.stdout.slice(0, 2000));
            const report = (JSON.parse(r.stdout) as { stacks: JsonReport[] }).stacks.find((s) => s.stack === stack);
            assert.ok(report, `no report for stack ${stack}`);
            assert.deepStrictEqual(mandatory(report), []);
            inspect(report);
        });
    }

    const refusedByProvider: Record<string, RegExp[]> = {
        "vpc-29": [
            /^aws:ec2\/vpc:Vpc resource 'tiny' has a problem: expected "cidr_block" to contain a network Value with between 16 and 28 significant bits, got: 29\. Examine values at 'tiny\.cidrBlock'\.$/,
        ],
        "ssm-no-value": [
            /^aws:ssm\/parameter:Parameter resource 'flag' has a problem: "insecure_value": one of `insecure_value,value,value_wo` must be specified\. Examine values at 'flag\.insecureValue'\.$/,
        ],
        "policy-leading-space": [
            /^aws:iam\/policy:Policy resource 'read' has a problem: "policy" contains an invalid JSON policy: leading space characters are not allowed\. Examine values at 'read\.policy'\.$/,
        ],
        "bad-region": [
            /^pulumi:providers:aws resource 'default_7_48_0' has a problem: Invalid AWS Region: us-east-7\. Examine values at 'default_7_48_0\.region'\.$/,
        ],
        "cache-cluster-redis-nodes": [
            /^aws:elasticache\/cluster:Cluster resource 'solo' has a problem: engine "redis" does not support num_cache_nodes > 1\. Examine values at 'solo\.numCacheNodes'\.$/,
        ],
    };
    for (const [stack, lines] of Object.entries(refusedByProvider)) {
        it(`${stack}: refused as a real preview refuses it (exit 2, the bridge's line)`, async () => {
            const r = await check(stack);
            assert.strictEqual(r.code, 2, r.stderr);
            const got = problemLines(r.stderr);
            assert.strictEqual(got.length, lines.length, r.stderr);
            got.forEach((line, i) => assert.match(line, lines[i]));
        });
    }

    it("autonaming-disabled: every resource that would be auto-named fails its Check (exit 2)", async () => {
        const r = await check("autonaming-disabled");
        assert.strictEqual(r.code, 2, r.stderr);
        const got = problemLines(r.stderr);
        assert.ok(got.length >= 3, r.stderr);
        for (const line of got) {
            assert.match(
                line,
                /resource '[^']+' has a problem: automatic naming is disabled but no explicit name was provided$/,
            );
        }
        assert.ok(got.some((l) => l.startsWith("aws:elasticache/replicationGroup:ReplicationGroup resource 'cache'")));
    });

    it("up-kms-lockout: a key policy built from a role's ARN that locks out admins would fail at `pulumi up` (exit 2)", async () => {
        const r = await check("up-kms-lockout");
        assert.strictEqual(r.code, 2, r.stderr);
        assert.match(
            r.stderr,
            /redis-stack-check: error: would fail at `pulumi up`: 1 problem a real preview cannot see/,
        );
        const report = parseReport(r) as JsonReport & {
            wouldFailAtUp: { source: string; urn: string; message: string }[];
        };
        // The preview could not judge the policy (unknown until the role exists): no violation there.
        assert.deepStrictEqual(mandatory(report), []);
        assert.deepStrictEqual(
            report.wouldFailAtUp.map((f) => [f.source, f.urn]),
            [["kms-key-policy-keeps-admins", "urn:pulumi:up-kms-lockout::fixture-strict::aws:kms/key:Key::data"]],
        );
        assert.match(report.wouldFailAtUp[0].message, /the key policy allows nobody kms:PutKeyPolicy/);
    });

    it("up-policy-no-resource: an identity policy built from an output without Resource would fail at `pulumi up`", async () => {
        const r = await check("up-policy-no-resource");
        assert.strictEqual(r.code, 2, r.stderr);
        const report = parseReport(r) as JsonReport & { wouldFailAtUp: { source: string; message: string }[] };
        assert.deepStrictEqual(
            report.wouldFailAtUp.map((f) => f.source),
            ["iam-policy-grammar"],
        );
        assert.match(report.wouldFailAtUp[0].message, /Policy statement must contain resources; IAM refuses it/);
    });

    it("up-kms-admin: the same shape with an administrator passes both passes (exit 0)", async () => {
        const r = await check("up-kms-admin");
        assert.strictEqual(r.code, 0, r.stderr);
        assert.deepStrictEqual((parseReport(r) as JsonReport & { wouldFailAtUp: unknown[] }).wouldFailAtUp, []);
    });

    it("up-program-fails: a program that fails on mock outputs skips the second pass with a note (exit 0)", async () => {
        const r = await check("up-program-fails");
        assert.strictEqual(r.code, 0, r.stderr);
        assert.match(
            r.stderr,
            /^redis-stack-check: note: the second pass \(every output known\) was skipped: the program failed with mock outputs: .*unexpected role ARN/m,
        );
    });

    it("sg-description-quote: refused by the pack (exit 1): EC2's character set for VPC group descriptions", async () => {
        const r = await check("sg-description-quote");
        assert.strictEqual(r.code, 1, r.stderr);
        assert.deepStrictEqual(mandatory(parseReport(r)), ["security-group-descriptions"]);
    });
});
