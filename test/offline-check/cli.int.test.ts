// Integration: the CLI as a child process, on fixture programs judged by the real policy pack (policy/), and
// on error cases. Fixture stacks are named `test` or after the policy they break, none of which has a
// policy/config/<stack>.json, so the pack's schema defaults apply.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type CliResult, FIXTURES, type JsonReport, mandatory, parseReport, processesIn, runCli } from "./run-cli";

const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup::cache";
const INSTANCE = "aws:ec2/instance:Instance::bastion";
const BASTION_SG = "aws:ec2/securityGroup:SecurityGroup::bastion";
const BASTION_RULE = (i: number) => `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::bastion-ingress-${i}`;
const KMS_KEY = "aws:kms/key:Key::key";

/** The program with one stack per mandatory policy of the pack (breaks/<policy>.ts breaks that policy alone). */
const BROKEN_PROGRAM = path.join(FIXTURES, "broken");
/** Each mandatory policy of the pack (the stack of BROKEN_PROGRAM that breaks it) and the resource it must name. */
const BROKEN: Record<string, string> = {
    "elasticache-free-tier-node-type": CACHE,
    "ec2-free-tier-instance-type": INSTANCE,
    "elasticache-dedicated-security-group": CACHE,
    "elasticache-backup-retention": CACHE,
    "elasticache-encryption-in-transit": CACHE,
    "elasticache-encryption-at-rest": CACHE,
    "elasticache-auth-required": CACHE,
    "elasticache-windows-valid": CACHE,
    "no-world-ingress-to-ssh-or-redis": BASTION_SG,
    "bastion-imdsv2-required": INSTANCE,
    "bastion-root-volume-encrypted": INSTANCE,
    "elasticache-creatable": CACHE,
    "elasticache-cluster-mode-failover": CACHE,
    "elasticache-parameter-group-family": CACHE,
    "security-group-rule-ports": BASTION_RULE(0),
    "security-group-descriptions": BASTION_SG,
    // The stack policy names the repeated rule, not the first one.
    "no-duplicate-security-group-rules": BASTION_RULE(1),
    "kms-key-policy-keeps-admins": KMS_KEY,
    "instance-root-volume-fits-ami": INSTANCE,
    "arns-in-stack-partition": CACHE,
    "elasticache-default-user-disabled": "aws:elasticache/user:User::default",
    "elasticache-user-no-plaintext-password": "aws:elasticache/user:User::app",
    "elasticache-connect-not-wildcard": "aws:iam/rolePolicy:RolePolicy::bastion-read",
    "iam-policy-grammar": "aws:iam/role:Role::bastion-role",
    "vpc-subnet-geometry": "aws:ec2/subnet:Subnet::outside",
    "security-group-rules-quota": BASTION_SG,
    "elasticache-user-group-default-user": "aws:elasticache/userGroup:UserGroup::users",
    "cloudwatch-alarm-statistic": "aws:cloudwatch/metricAlarm:MetricAlarm::cache-cpu",
};

describe("redis-stack-check CLI: fixture programs and the real policy pack", function () {
    this.timeout(180_000);
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "check-cli-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("compliant: exit 0, no violation, every registration recorded as the engine sees it, SARIF written", async () => {
        const sarifFile = path.join(tmp, "compliant.sarif");
        const r = await runCli([
            "--program",
            path.join(FIXTURES, "compliant"),
            "--stack",
            "test",
            "--format",
            "json",
            "--sarif-file",
            sarifFile,
        ]);
        const report = parseReport(r);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.deepStrictEqual(report.violations, []);
        const urns = report.resources.map((x) => x.urn);
        assert.ok(urns.includes("urn:pulumi:test::fixture-compliant::pulumi:pulumi:Stack::fixture-compliant-test"));
        assert.ok(urns.includes("urn:pulumi:test::fixture-compliant::pulumi:providers:aws::default_7_48_0"));
        assert.ok(urns.includes(`urn:pulumi:test::fixture-compliant::${CACHE}`));
        const cache = report.resources.find((x) => x.urn.endsWith(CACHE))!;
        assert.deepStrictEqual(cache.propertyDependencies.securityGroupIds, [
            "urn:pulumi:test::fixture-compliant::aws:ec2/securityGroup:SecurityGroup::cache",
        ]);
        assert.strictEqual(cache.inputs.authToken, "[secret]");
        assert.doesNotMatch(r.stdout, /fixture-auth-token/);
        assert.strictEqual(report.outputs.primaryEndpoint, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");

        // Every mandatory policy the pack declares has a fixture that breaks it.
        const sarif = JSON.parse(fs.readFileSync(sarifFile, "utf8"));
        const mandatoryRules = sarif.runs[0].tool.driver.rules
            .filter(
                (rule: { properties: { enforcementLevel: string } }) =>
                    rule.properties.enforcementLevel === "mandatory",
            )
            .map((rule: { id: string }) => rule.id)
            .sort();
        assert.deepStrictEqual(mandatoryRules, Object.keys(BROKEN).sort());
        assert.deepStrictEqual(sarif.runs[0].results, []);
    });

    // Every breakage in one run (`--stack a,b,...`, as CI checks its stacks), started by the first test that reads
    // it: exit 1, the worst of the stacks'.
    let brokenRun: Promise<CliResult> | undefined;
    for (const [policy, urnSuffix] of Object.entries(BROKEN)) {
        it(`${policy}: the stack breaking it exits 1 with exactly that mandatory violation on the right resource`, async () => {
            const r = await (brokenRun ??= runCli([
                "--program",
                BROKEN_PROGRAM,
                "--stack",
                Object.keys(BROKEN).join(","),
                "--format",
                "json",
            ]));
            assert.strictEqual(r.code, 1, r.stderr);
            const report = (JSON.parse(r.stdout) as { stacks: JsonReport[] }).stacks.find((s) => s.stack === policy);
            assert.ok(report?.violations, `no report for stack ${policy}: ${JSON.stringify(report)}`);
            assert.deepStrictEqual(mandatory(report), [policy]);
            const v = report.violations.filter((x) => x.policy === policy);
            assert.ok(v.every((x) => x.enforcementLevel === "mandatory"));
            assert.deepStrictEqual(
                [...new Set(v.map((x) => x.urn))],
                [`urn:pulumi:${policy}::fixture-broken::${urnSuffix}`],
            );
            assert.ok(v.every((x) => x.message.length > 0));
        });
    }
});

describe("redis-stack-check CLI: the Analyzer protocol, against a small fixture pack", function () {
    this.timeout(120_000);
    const pack = path.join(FIXTURES, "policy-pack");
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "check-cli-pack-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("sends the provider, property dependencies and unknowns the way the engine does, and the policy config", async () => {
        const config = path.join(tmp, "config.json");
        fs.writeFileSync(config, JSON.stringify({ "fixture-retention": { minDays: 30 } }));
        const r = await runCli([
            "--program",
            path.join(FIXTURES, "compliant"),
            "--stack",
            "us",
            "--policy-pack",
            pack,
            "--policy-config",
            config,
            "--format",
            "json",
        ]);
        const report = parseReport(r);
        assert.strictEqual(r.code, 1, r.stderr);
        // The default provider's region (us-east-1) reaches the pack with every AWS resource.
        const region = report.violations.filter((v) => v.policy === "fixture-region");
        assert.ok(region.length >= 8, JSON.stringify(region));
        assert.ok(region.every((v) => /provider region us-east-1 is not in the EU/.test(v.message)));
        // The config file reached Configure.
        assert.deepStrictEqual(
            report.violations.filter((v) => v.policy === "fixture-retention").map((v) => v.message),
            ["Backups must be kept for at least minDays days.\nsnapshotRetentionLimit is 7, must be at least 30"],
        );
        // A value unknown in preview gives the pack's advisory, not a verdict.
        const unknown = report.violations.filter((v) => v.policy === "fixture-vpc-id-known");
        assert.ok(
            unknown.length === 2 &&
                unknown.every(
                    (v) => v.enforcementLevel === "advisory" && /can't be known during preview/.test(v.message),
                ),
        );
        // The stack policy found the cache's security group through propertyDependencies.
        assert.deepStrictEqual(
            report.violations.filter((v) => v.policy === "fixture-dedicated-sg"),
            [],
        );
        assert.deepStrictEqual(mandatory(report), ["fixture-region", "fixture-retention"]);
    });

    it("runs Remediate before Analyze when a policy is configured to remediate, and analyzes the remediated inputs", async () => {
        const run = async (config?: object) => {
            const args = [
                "--program",
                path.join(FIXTURES, "compliant"),
                "--stack",
                "test",
                "--policy-pack",
                pack,
                "--format",
                "json",
            ];
            if (config) {
                const file = path.join(tmp, "remediate.json");
                fs.writeFileSync(file, JSON.stringify(config));
                args.push("--policy-config", file);
            }
            const report = parseReport(await runCli(args));
            return report.violations
                .filter((v) => v.policy === "fixture-sg-description-seen")
                .map((v) => v.message.split("\n").pop())
                .sort();
        };
        assert.deepStrictEqual(await run(), [
            "description: bastion: no inbound, Session Manager only",
            "description: cache: port 6379 from the bastion only",
        ]);
        assert.deepStrictEqual(await run({ "fixture-sg-description-remediation": "remediate" }), [
            "description: remediated by the fixture pack",
            "description: remediated by the fixture pack",
        ]);
    });

    it("hands each resource its own provider: an explicit one, or the default provider the engine registers", async () => {
        const r = await runCli([
            "--program",
            path.join(FIXTURES, "explicit-provider"),
            "--stack",
            "test",
            "--policy-pack",
            pack,
            "--format",
            "json",
        ]);
        const report = parseReport(r);
        const urn = (s: string) => `urn:pulumi:test::fixture-explicit-provider::${s}`;
        const providerOf = (name: string) =>
            report.resources.find((x) => x.urn === urn(`aws:ec2/vpc:Vpc::${name}`))!.provider;
        assert.strictEqual(
            providerOf("eu-vpc"),
            `${urn("pulumi:providers:aws::eu")}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
        );
        assert.strictEqual(
            providerOf("us-vpc"),
            `${urn("pulumi:providers:aws::default_7_48_0")}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
        );
        assert.deepStrictEqual(
            report.violations.map((v) => [v.policy, v.urn, v.message.split("\n").pop()]),
            [["fixture-region", urn("aws:ec2/vpc:Vpc::us-vpc"), "provider region us-east-1 is not in the EU"]],
        );
        assert.strictEqual(r.code, 1);
    });

    it("a stack policy violation is reported on the resource the pack names", async () => {
        const r = await runCli([
            "--program",
            BROKEN_PROGRAM,
            "--stack",
            "elasticache-dedicated-security-group",
            "--policy-pack",
            pack,
            "--format",
            "json",
        ]);
        const report = parseReport(r);
        assert.strictEqual(r.code, 1, r.stderr);
        assert.deepStrictEqual(
            report.violations.filter((v) => v.policy === "fixture-dedicated-sg").map((v) => v.urn),
            [`urn:pulumi:elasticache-dedicated-security-group::fixture-broken::${CACHE}`],
        );
    });

    it("refuses a policy config with an unknown policy or a bad value (exit 2, naming policy, key and allowed values)", async () => {
        const config = path.join(tmp, "bad.json");
        fs.writeFileSync(
            config,
            JSON.stringify({ "fixture-retension": "advisory", "fixture-retention": { minDays: 99, mode: "loose" } }),
        );
        const r = await runCli([
            "--program",
            path.join(FIXTURES, "compliant"),
            "--stack",
            "test",
            "--policy-pack",
            pack,
            "--policy-config",
            config,
        ]);
        assert.strictEqual(r.code, 2);
        assert.strictEqual(r.stdout, "");
        assert.match(
            r.stderr,
            /fixture-retension: no such policy in the pack \(policies: fixture-cache-at-rest, fixture-retention,/,
        );
        assert.match(r.stderr, /fixture-retention: minDays: must be >= 1 and <= 35, got 99/);
        assert.match(r.stderr, /fixture-retention: mode: must be one of "strict", "lenient", got "loose"/);
    });
});

describe("redis-stack-check CLI: errors exit 2 with a clear message", function () {
    this.timeout(120_000);
    const pack = ["--policy-pack", path.join(FIXTURES, "policy-pack")];

    const fails = (args: string[], ...patterns: RegExp[]) => failsWith({}, args, ...patterns);
    async function failsWith(env: NodeJS.ProcessEnv, args: string[], ...patterns: RegExp[]): Promise<string> {
        const r = await runCli(args, env);
        assert.strictEqual(r.code, 2, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
        assert.strictEqual(r.stdout, "");
        for (const p of patterns) {
            assert.match(r.stderr, p);
        }
        assert.doesNotMatch(r.stderr, /internal error|promises were still active/);
        return r.stderr;
    }

    it("bad usage names the flag and the allowed values (more cases in cli-args.test.ts)", async () => {
        await fails(
            ["--format", "xml"],
            /--format 'xml' is not supported \(allowed: text, json, markdown, sarif\)/,
            /Usage: redis-stack-check/,
        );
    });

    it("missing Pulumi.yaml and unknown stack", async () => {
        await fails(["--program", path.join(FIXTURES, "lib")], /no Pulumi\.yaml in .*test\/fixtures\/lib/);
        await fails(
            ["--program", path.join(FIXTURES, "error-config"), "--stack", "qa"],
            /unknown stack 'qa'.*stacks found: badtype, missing, secure/,
        );
    });

    it("config the CLI would refuse: wrong type, encrypted value, missing required key", async () => {
        const dir = path.join(FIXTURES, "error-config");
        await fails(
            ["--program", dir, "--stack", "badtype"],
            /Stack 'badtype' with configuration key 'port' must be of type 'integer'/,
        );
        await fails(
            ["--program", dir, "--stack", "secure"],
            /'fixture-error-config:token' is encrypted \(secure:\) and cannot be decrypted offline/,
        );
        await fails(["--program", dir, "--stack", "missing"], /Stack 'missing' is missing configuration value 'name'/);
    });

    it("a program exception shows the program's message and where, not a stack trace; the pack is stopped", async () => {
        const packDir = path.join(FIXTURES, "policy-pack");
        // The run's own TMPDIR tells its pack from the packs other test files run in the same directory meanwhile.
        const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "check-cli-throws-"));
        try {
            const err = await failsWith(
                { TMPDIR: tmpdir },
                ["--program", path.join(FIXTURES, "error-program-throws"), "--stack", "test", ...pack],
                /failed for stack 'test': redis-stack:snapshotRetentionDays must be between 0 and 35, got 40 \(.*index\.ts:7:\d+\)/,
            );
            assert.doesNotMatch(err, /node_modules/);
            assert.deepStrictEqual(processesIn(packDir, tmpdir), [], "the policy pack outlived the check");
        } finally {
            fs.rmSync(tmpdir, { recursive: true, force: true });
        }
    });

    it("an invoke the mocks do not know names the token and the known ones", async () => {
        await fails(
            ["--program", path.join(FIXTURES, "error-unknown-invoke"), "--stack", "test", ...pack],
            /no mock for invoke 'aws:ec2\/getAmi:getAmi'; known invokes: aws:index\/getAvailabilityZones:getAvailabilityZones/,
        );
    });

    it("a pack that fails to start, or is not a pack", async () => {
        const compliant = ["--program", path.join(FIXTURES, "compliant"), "--stack", "test"];
        await fails(
            [...compliant, "--policy-pack", path.join(FIXTURES, "broken-pack")],
            // Node's error line, not the source line it prints above it (`throw new Error(...)`).
            /policy pack in .*broken-pack failed to start \(exit 1\): Error: broken-fixture-pack: cannot load policies\n/,
        );
        await fails(
            [...compliant, "--policy-pack", path.join(FIXTURES, "lib")],
            /policy pack failed to start: no PulumiPolicy\.yaml in .*fixtures\/lib/,
        );
        await fails(
            [...compliant, ...pack, "--policy-config", path.join(FIXTURES, "nope.json")],
            /--policy-config: no such file .*nope\.json/,
        );
    });
});
