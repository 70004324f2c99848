import * as assert from "assert";
import { partitionInfo } from "../../policy/shared";
import {
    GENERIC_INVOKES,
    invokeContext,
    answerInvoke,
    createMocks,
    previewResource,
    zoneIdPrefix,
} from "../../scripts/offline-check/recorder/mocks";

describe("offline-check/mocks: generic invoke answers", () => {
    const ctx = invokeContext("eu-west-1");

    it("answers the invokes the program needs with fixed data for the configured region", () => {
        const azOnly = [{ name: "zone-type", values: ["availability-zone"] }];
        const azs = answerInvoke(
            "aws:index/getAvailabilityZones:getAvailabilityZones",
            { state: "available", filters: azOnly },
            ctx,
        );
        assert.deepStrictEqual(azs.names, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        assert.deepStrictEqual(azs.zoneIds, ["euw1-az1", "euw1-az2", "euw1-az3"]);
        assert.deepStrictEqual(azs.groupNames, ["eu-west-1"]);
        assert.strictEqual(azs.state, "available");
        const excluded = answerInvoke(
            "aws:index/getAvailabilityZones:getAvailabilityZones",
            { excludeNames: ["eu-west-1b"], filters: azOnly },
            ctx,
        );
        assert.deepStrictEqual(excluded.names, ["eu-west-1a", "eu-west-1c"]);

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

    it("getAvailabilityZones: opted-in Local and Wavelength Zones too unless filtered, as EC2 answers", () => {
        const zones = (inputs: Record<string, unknown>) =>
            answerInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", inputs, ctx);
        const all = zones({ state: "available" });
        // Sorted by name, as EC2 returns them: the Local Zone sorts before the real AZs.
        assert.deepStrictEqual(all.names, [
            "eu-west-1-bos-1a",
            "eu-west-1-wl1-bos-wlz-1",
            "eu-west-1a",
            "eu-west-1b",
            "eu-west-1c",
        ]);
        assert.deepStrictEqual(all.groupNames, ["eu-west-1", "eu-west-1-bos-1", "eu-west-1-wl1"]);
        const byType = (t: string) => zones({ filters: [{ name: "zone-type", values: [t] }] }).names;
        assert.deepStrictEqual(byType("local-zone"), ["eu-west-1-bos-1a"]);
        assert.deepStrictEqual(byType("wavelength-zone"), ["eu-west-1-wl1-bos-wlz-1"]);
        // Filters combine with AND, values with OR, and take EC2's wildcards.
        assert.deepStrictEqual(
            zones({
                filters: [
                    { name: "zone-type", values: ["availability-zone", "local-zone"] },
                    { name: "zone-name", values: ["*-bos-?a", "eu-west-1z"] },
                ],
            }).names,
            ["eu-west-1-bos-1a"],
        );
        assert.deepStrictEqual(
            zones({ filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }).zoneIds,
            ["euw1-az1", "euw1-az2", "euw1-az3"],
        );
        assert.deepStrictEqual(zones({ state: "unavailable" }).names, []);
        assert.throws(
            () => zones({ filters: [{ name: "zone_type", values: ["availability-zone"] }] }),
            /the filter name 'zone_type' is not one DescribeAvailabilityZones accepts \(group-long-name, .*zone-type\)/,
        );
    });

    it("refuses unknown invokes, naming the token and the known ones", () => {
        assert.throws(
            () => answerInvoke("aws:ec2/getAmi:getAmi", {}, ctx),
            (e: Error) => {
                assert.match(e.message, /no mock for invoke 'aws:ec2\/getAmi:getAmi'; known invokes: /);
                for (const token of Object.keys(GENERIC_INVOKES)) {
                    assert.ok(e.message.includes(token));
                }
                return true;
            },
        );
    });

    it("needs aws:region for region-bound invokes", () => {
        assert.throws(
            () => answerInvoke("aws:index/getRegion:getRegion", {}, invokeContext(undefined)),
            /'aws:region' is not set/,
        );
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
        assert.strictEqual(partitionInfo("cn-north-1").partition, "aws-cn");
        assert.strictEqual(partitionInfo("us-gov-west-1").partition, "aws-us-gov");
        assert.deepStrictEqual(partitionInfo("us-iso-east-1"), {
            partition: "aws-iso",
            dnsSuffix: "c2s.ic.gov",
            reverseDnsPrefix: "gov.ic.c2s",
        });
        assert.strictEqual(partitionInfo("eu-west-1").dnsSuffix, "amazonaws.com");
    });
});
