// Integration: AWS's API rules through the real CLI on a program (test/fixtures/api-model-check): each value AWS
// would refuse at `pulumi up` fails the run with exit 2 and one line naming the resource, the property and AWS's
// reason; their valid neighbours pass the whole run.
import * as assert from "assert";
import * as path from "path";
import { FIXTURES, parseReport, runCli } from "./run-cli";

const PROGRAM = path.join(FIXTURES, "api-model-check");

function problemLines(stderr: string): string[] {
    return stderr
        .split("\n")
        .filter((l) => l.startsWith("    "))
        .map((l) => l.trim());
}

describe("redis-stack-check CLI: values AWS's API refuses at `pulumi up`", function () {
    this.timeout(180_000);

    it("stack invalid: exit 2, one line per refused value, each with AWS's reason", async () => {
        const r = await runCli(["--program", PROGRAM, "--stack", "invalid", "--format", "json"]);
        assert.strictEqual(r.code, 2, r.stderr);
        assert.strictEqual(r.stdout, "");
        const lines = problemLines(r.stderr);
        const expected: [string, RegExp][] = [
            [
                "iam/role:Role resource 'role' has a problem: .*\\. Examine values at 'role\\.path'\\.$",
                /Value at 'path' failed to satisfy constraint/,
            ],
            [
                "kms/key:Key resource 'key' has a problem: .*\\. Examine values at 'key\\.tags.team'\\.$",
                /a tag value may contain only/,
            ],
            [
                "parameterGroup:ParameterGroup resource 'params' has a problem: .*\\. Examine values at 'params\\.name'\\.$",
                /two consecutive hyphens/,
            ],
            [
                "subnetGroup:SubnetGroup resource 'subnets' has a problem: .*\\. Examine values at 'subnets\\.name'\\.$",
                /alphanumeric characters or hyphens/,
            ],
            [
                "securityGroup:SecurityGroup resource 'sg' has a problem: .*\\. Examine values at 'sg\\.name'\\.$",
                /cannot start with sg-/,
            ],
            [
                "sns/topic:Topic resource 'topic' has a problem: .*\\. Examine values at 'topic\\.name'\\.$",
                /must end with the \.fifo suffix/,
            ],
            [
                "ssm/parameter:Parameter resource 'param' has a problem: .*\\. Examine values at 'param\\.name'\\.$",
                /can't be prefixed with "aws" or "ssm"/,
            ],
            [
                "elasticache/user:User resource 'user' has a problem: .*\\. Examine values at 'user\\.userId'\\.$",
                /Value at 'userId' failed to satisfy/,
            ],
            [
                "elasticache/user:User resource 'user' has a problem: .*\\. Examine values at 'user\\.passwords\\[0\\]'\\.$",
                /16 to 128 characters/,
            ],
            [
                "metricAlarm:MetricAlarm resource 'alarm' has a problem: .*\\. Examine values at 'alarm\\.period'\\.$",
                /10, 20, 30, and any multiple of 60/,
            ],
            [
                "metricAlarm:MetricAlarm resource 'alarm' has a problem: .*\\. Examine values at 'alarm\\.treatMissingData'\\.$",
                /notBreaching/,
            ],
            [
                "userGroup:UserGroup resource 'users' has a problem: .*\\. Examine values at 'users\\.userIds\\[1\\]'\\.$",
                /Value at 'userIds\.member'/,
            ],
        ];
        assert.strictEqual(lines.length, expected.length, r.stderr);
        for (const [where, reason] of expected) {
            const line = lines.find((l) => new RegExp(where).test(l));
            assert.ok(line, `no line for ${where}:\n${r.stderr}`);
            assert.match(line, /AWS('s [a-z0-9]+ [A-Za-z]+)? would refuse it at `pulumi up`/);
            assert.match(line, reason);
        }
        // The RBAC password is printed nowhere.
        assert.ok(!r.stderr.includes("fifteen-chars-x"), r.stderr);
    });

    it("stack valid: the neighbours of those values pass the whole run", async () => {
        // The user keeps a 16-character password (the API's bound under test), which the pack's RBAC policies
        // rightly refuse: they are advisory here, so that the run judges AWS's API rules alone.
        const r = await runCli([
            "--program",
            PROGRAM,
            "--stack",
            "valid",
            "--policy-pack-config",
            path.join(PROGRAM, "rbac-advisory.json"),
            "--format",
            "json",
        ]);
        assert.strictEqual(r.code, 0, r.stderr);
        const report = parseReport(r);
        assert.ok(report.resources.some((x) => x.type === "aws:elasticache/userGroup:UserGroup"));
    });
});
