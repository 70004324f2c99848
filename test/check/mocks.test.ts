import * as assert from "assert";
import {
    AL2023_AMI_PARAMETERS,
    INVOKES,
    answerInvoke,
    createMocks,
    partitionOf,
    previewResource,
    zoneIdPrefix,
} from "../../scripts/check/mocks";

describe("check/mocks", () => {
    const ctx = { region: "eu-west-1" };

    it("answers the invokes the program needs with fixed data for the configured region", () => {
        const azs = answerInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", { state: "available" }, ctx);
        assert.deepStrictEqual(azs.names, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        assert.deepStrictEqual(azs.zoneIds, ["euw1-az1", "euw1-az2", "euw1-az3"]);
        assert.strictEqual(azs.state, "available");
        const excluded = answerInvoke(
            "aws:index/getAvailabilityZones:getAvailabilityZones",
            { excludeNames: ["eu-west-1b"] },
            ctx,
        );
        assert.deepStrictEqual(excluded.names, ["eu-west-1a", "eu-west-1c"]);

        const x86 = answerInvoke(
            "aws:ssm/getParameter:getParameter",
            { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
            ctx,
        );
        const arm = answerInvoke(
            "aws:ssm/getParameter:getParameter",
            { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" },
            ctx,
        );
        assert.match(x86.value as string, /^ami-[0-9a-f]{17}$/);
        assert.notStrictEqual(x86.value, arm.value);
        assert.strictEqual(
            x86.arn,
            "arn:aws:ssm:eu-west-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        );

        const region = answerInvoke("aws:index/getRegion:getRegion", {}, ctx);
        assert.strictEqual(region.region, "eu-west-1");
        assert.strictEqual(region.name, "eu-west-1");
        assert.strictEqual(
            answerInvoke("aws:index/getCallerIdentity:getCallerIdentity", {}, ctx).accountId,
            "123456789012",
        );
        assert.deepStrictEqual(answerInvoke("aws:index/getPartition:getPartition", {}, ctx), {
            id: "aws",
            partition: "aws",
            dnsSuffix: "amazonaws.com",
            reverseDnsPrefix: "com.amazonaws",
        });
    });

    it("refuses unknown invokes and parameters, naming the token and the known ones", () => {
        assert.throws(
            () => answerInvoke("aws:ec2/getAmi:getAmi", {}, ctx),
            (e: Error) => {
                assert.match(e.message, /no mock for invoke 'aws:ec2\/getAmi:getAmi'; known invokes: /);
                for (const token of Object.keys(INVOKES)) {
                    assert.ok(e.message.includes(token));
                }
                return true;
            },
        );
        assert.throws(
            () => answerInvoke("aws:ssm/getParameter:getParameter", { name: "/my/secret" }, ctx),
            /knows no SSM parameter "\/my\/secret"; known: .*x86_64/,
        );
        assert.strictEqual(Object.keys(AL2023_AMI_PARAMETERS).length, 2);
    });

    it("needs aws:region for region-bound invokes", () => {
        assert.throws(() => answerInvoke("aws:index/getRegion:getRegion", {}, {}), /'aws:region' is not set/);
    });

    it("hands errors to the SDK with `details`, the field it reads from a failed invoke", () => {
        const mocks = createMocks(ctx);
        assert.throws(
            () => mocks.call({ token: "aws:x:y", inputs: {} }),
            (e: Error & { details?: string }) => {
                assert.strictEqual(e.details, e.message);
                return true;
            },
        );
    });

    it("creates resources like a preview: no id, the inputs as state", () => {
        assert.deepStrictEqual(
            previewResource({ type: "aws:ec2/vpc:Vpc", name: "v", inputs: { cidrBlock: "10.0.0.0/16" } }),
            {
                id: undefined,
                state: { cidrBlock: "10.0.0.0/16" },
            },
        );
        assert.strictEqual(
            previewResource({ type: "aws:ec2/vpc:Vpc", name: "v", inputs: {}, id: "vpc-1" }).id,
            "vpc-1",
        );
    });

    it("derives zone ids and partitions like AWS names them", () => {
        assert.strictEqual(zoneIdPrefix("us-east-1"), "use1");
        assert.strictEqual(zoneIdPrefix("ap-southeast-2"), "apse2");
        assert.strictEqual(zoneIdPrefix("eu-central-1"), "euc1");
        assert.strictEqual(partitionOf("cn-north-1").partition, "aws-cn");
        assert.strictEqual(partitionOf("us-gov-west-1").partition, "aws-us-gov");
    });
});
