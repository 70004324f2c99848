// The provider-check stage as the run feeds it: registrations one at a time, in registration order.
import * as assert from "assert";
import { ProviderCheckStage, seededSuffix } from "../../../scripts/offline-check/provider-check";
import { UNKNOWN, urnOf } from "./helpers";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const VPC = "aws:ec2/vpc:Vpc";
const reg = (type: string, name: string, inputs: Record<string, unknown>, custom = true) => ({
    urn: urnOf(type, name),
    type,
    name,
    custom,
    inputs,
});

describe("provider-check: ProviderCheckStage", () => {
    it("passes custom resources on auto-named, and keeps that copy for the final recording", () => {
        const stage = new ProviderCheckStage(seededSuffix("stage"));
        const group = reg(RG, "cache", { engine: "redis", numCacheClusters: 1 });
        const passed = stage.add(group);
        assert.match(String(passed?.inputs.replicationGroupId), /^cache-[0-9a-f]{7}$/);
        assert.strictEqual(group.inputs.replicationGroupId, undefined, "the recorded registration is not changed");
        assert.deepStrictEqual(stage.passedOn({ ...group }).inputs, passed?.inputs);
        assert.ok(stage.has(group.urn));
        assert.deepStrictEqual(stage.problems, []);
    });

    it("checks no component, and no provider's inputs as a resource's (a component's inputs are not a resource's)", () => {
        const stage = new ProviderCheckStage(seededSuffix("stage"));
        const component = reg(VPC, "looks-like-a-vpc", { cidrBlock: "10.0.0.1/16" }, false);
        assert.strictEqual(stage.add(component), component);
        const provider = reg("pulumi:providers:aws", "default_7_48_0", { region: "us-east-1" });
        assert.strictEqual(stage.add(provider), provider);
        assert.deepStrictEqual(stage.problems, []);
    });

    it("an AWS provider's Configure refuses a region the provider does not know, unless skipRegionValidation", () => {
        const stage = new ProviderCheckStage(seededSuffix("stage"));
        assert.strictEqual(
            stage.add(reg("pulumi:providers:aws", "default_7_48_0", { region: "us-east-7" })),
            undefined,
        );
        assert.deepStrictEqual(stage.problems, [
            "pulumi:providers:aws resource 'default_7_48_0' has a problem: Invalid AWS Region: us-east-7. Examine values at 'default_7_48_0.region'.",
        ]);
        const ok = new ProviderCheckStage(seededSuffix("stage"));
        for (const region of ["eu-isoe-west-1", "us-isof-south-1", "mx-central-1", "ap-east-2", "eusc-de-east-1"]) {
            assert.ok(ok.add(reg("pulumi:providers:aws", region, { region })), region);
        }
        assert.ok(ok.add(reg("pulumi:providers:aws", "skip", { region: "xx-test-1", skipRegionValidation: true })));
        assert.ok(ok.add(reg("pulumi:providers:aws", "unknown", { region: UNKNOWN })));
        assert.deepStrictEqual(ok.problems, []);
    });

    it("a failed Check: nothing passed on, one line per problem naming the resource", () => {
        const stage = new ProviderCheckStage(seededSuffix("stage"));
        assert.strictEqual(stage.add(reg(VPC, "vpc", { cidrBlock: "10.0.0.1/16" })), undefined);
        assert.deepStrictEqual(stage.problems, [
            "aws:ec2/vpc:Vpc resource 'vpc' has a problem: expected cidr_block to contain a valid network Value, expected 10.0.0.0/16, got 10.0.0.1/16. Examine values at 'vpc.cidrBlock'.",
        ]);
    });

    it("a URN registered again: the engine's line once, the second registration not passed on", () => {
        const stage = new ProviderCheckStage(seededSuffix("stage"));
        const rule = reg("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "from-sg-1", {
            referencedSecurityGroupId: "sg-0123456789abcdef0",
        });
        assert.ok(stage.add(rule));
        assert.strictEqual(stage.add(rule), undefined);
        assert.strictEqual(stage.add(rule), undefined);
        assert.deepStrictEqual(stage.problems, [`Duplicate resource URN '${rule.urn}'; try giving it a unique name`]);
    });
});
