import * as assert from "assert";
import {
    defaultProviderInputs,
    defaultProviderName,
    engineUrn,
    isSecret,
    providerRefUrn,
} from "../../scripts/offline-check/recorder/recording";

describe("offline-check/recording", () => {
    const stackUrn = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";

    it("builds URNs like the engine: the root stack is not part of a child's type", () => {
        assert.strictEqual(engineUrn("dev", "proj", "", "pulumi:pulumi:Stack", "proj-dev"), stackUrn);
        assert.strictEqual(
            engineUrn("dev", "proj", stackUrn, "aws:ec2/vpc:Vpc", "vpc"),
            "urn:pulumi:dev::proj::aws:ec2/vpc:Vpc::vpc",
        );
        const comp = "urn:pulumi:dev::proj::my:index:Net::net";
        assert.strictEqual(
            engineUrn("dev", "proj", comp, "aws:ec2/vpc:Vpc", "vpc"),
            "urn:pulumi:dev::proj::my:index:Net$aws:ec2/vpc:Vpc::vpc",
        );
        const nested = engineUrn(
            "dev",
            "proj",
            "urn:pulumi:dev::proj::my:index:Net$aws:ec2/vpc:Vpc::vpc",
            "aws:ec2/subnet:Subnet",
            "s",
        );
        assert.strictEqual(nested, "urn:pulumi:dev::proj::my:index:Net$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet::s");
    });

    it("names and configures default providers like the engine", () => {
        assert.strictEqual(defaultProviderName("7.48.0"), "default_7_48_0");
        assert.strictEqual(defaultProviderName("1.2.3-alpha.1+build"), "default_1_2_3_alpha_1_build");
        assert.strictEqual(defaultProviderName(""), "default");
        assert.deepStrictEqual(
            defaultProviderInputs(
                "aws",
                { "aws:region": "eu-west-1", "aws:defaultTags": '{"tags":{"a":"b"}}', "proj:x": "1" },
                "7.48.0",
            ),
            {
                region: "eu-west-1",
                defaultTags: { tags: { a: "b" } },
                version: "7.48.0",
            },
        );
    });

    it("reads provider references and secrets in wire form", () => {
        assert.strictEqual(
            providerRefUrn("urn:pulumi:dev::proj::pulumi:providers:aws::eu::04da6b54-80e4-46f7-96ec-b56ff0331ba9"),
            "urn:pulumi:dev::proj::pulumi:providers:aws::eu",
        );
        assert.ok(isSecret({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" }));
        assert.ok(!isSecret({ value: "x" }));
    });
});
