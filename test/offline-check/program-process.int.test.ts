// The programmatic recorder API (used by the infra tests): what a registration looks like to the engine.
import * as assert from "assert";
import * as path from "path";
import { RecordError, recordProgram } from "../../scripts/offline-check/recorder/program-process";
import { type Recording, SECRET_SIG, SIG_KEY, UNKNOWN } from "../../scripts/offline-check/recorder/recording";
import { FIXTURES } from "./run-cli";

describe("offline-check/recorder: recordProgram", function () {
    this.timeout(60_000);
    let rec: Recording;
    const urn = (suffix: string) => `urn:pulumi:test::fixture-compliant::${suffix}`;
    before(async () => {
        rec = await recordProgram({ programDir: path.join(FIXTURES, "compliant"), stack: "test" });
    });

    it("records the root stack, the default provider and every resource in registration order", () => {
        assert.strictEqual(rec.project, "fixture-compliant");
        assert.strictEqual(rec.stack, "test");
        assert.deepStrictEqual(
            rec.resources.slice(0, 3).map((r) => r.urn),
            [
                urn("pulumi:pulumi:Stack::fixture-compliant-test"),
                urn("pulumi:providers:aws::default_7_48_0"),
                urn("aws:ec2/vpc:Vpc::vpc"),
            ],
        );
        const provider = rec.resources[1];
        assert.strictEqual(provider.defaultProvider, true);
        assert.deepStrictEqual(provider.inputs, { region: "eu-west-1", version: "7.48.0" });
        const vpc = rec.resources[2];
        assert.strictEqual(vpc.parent, urn("pulumi:pulumi:Stack::fixture-compliant-test"));
        assert.strictEqual(vpc.custom, true);
        assert.strictEqual(vpc.provider, `${urn("pulumi:providers:aws::default_7_48_0")}::${UNKNOWN}`);
        assert.deepStrictEqual(new Set(rec.resources.map((r) => r.urn)).size, rec.resources.length);
    });

    it("keeps inputs in wire form: unknowns as the sentinel, secrets wrapped; with dependencies per property", () => {
        const cache = rec.resources.find((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup")!;
        assert.deepStrictEqual(cache.inputs.authToken, {
            [SIG_KEY]: SECRET_SIG,
            value: "fixture-auth-token-0123456789",
        });
        assert.deepStrictEqual(cache.inputs.securityGroupIds, [UNKNOWN]);
        assert.strictEqual(cache.inputs.nodeType, "cache.t3.micro");
        assert.deepStrictEqual(cache.propertyDependencies.securityGroupIds, [
            urn("aws:ec2/securityGroup:SecurityGroup::cache"),
        ]);
        assert.deepStrictEqual(cache.propertyDependencies.subnetGroupName, [
            urn("aws:elasticache/subnetGroup:SubnetGroup::cache"),
        ]);
        assert.ok(cache.dependencies.includes(urn("aws:ec2/securityGroup:SecurityGroup::cache")));
        assert.deepStrictEqual(cache.options, {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { create: "", update: "", delete: "" },
            // @pulumi/aws marks these outputs secret itself; the engine passes the option on to analyzers.
            additionalSecretOutputs: ["authToken", "authTokenWo"],
        });
        const instance = rec.resources.find((r) => r.type === "aws:ec2/instance:Instance")!;
        assert.strictEqual(instance.inputs.ami, "ami-0a3c14e1ddbe7f23c", "invokes run in preview, so the AMI is known");
        assert.deepStrictEqual(rec.outputs, { primaryEndpoint: UNKNOWN, bastionId: UNKNOWN });
    });

    it("throws RecordError with the program's message on a program exception", async () => {
        await assert.rejects(
            recordProgram({ programDir: path.join(FIXTURES, "error-program-throws"), stack: "test" }),
            (e: Error) => {
                assert.ok(e instanceof RecordError);
                assert.match(e.message, /redis-stack:snapshotRetentionDays must be between 0 and 35, got 40/);
                return true;
            },
        );
        await assert.rejects(
            recordProgram({ programDir: path.join(FIXTURES, "compliant"), stack: "nope" }),
            (e: Error) => e instanceof RecordError && /unknown stack 'nope'/.test(e.message),
        );
    });
});
