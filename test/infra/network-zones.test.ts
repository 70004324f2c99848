/**
 * The Network component in this process under Pulumi's mock runtime, against an account that opted in to a
 * Local Zone and a Wavelength Zone: AWS lists them with `state: available`, and their names sort before the
 * real AZs (us-east-1-bos-1a < us-east-1a). The mock honours the zone-type filter as EC2's
 * DescribeAvailabilityZones does, so an unfiltered lookup would put a subnet in a Local Zone.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { parseIpv4Cidr } from "../../infra/cidr";

const ZONES = [
    { name: "us-east-1-bos-1a", type: "local-zone" },
    { name: "us-east-1-wl1-bos-wlz-1", type: "wavelength-zone" },
    { name: "us-east-1a", type: "availability-zone" },
    { name: "us-east-1b", type: "availability-zone" },
    { name: "us-east-1c", type: "availability-zone" },
];

describe("Network picks real availability zones only", function () {
    const subnetZones = new Map<string, unknown>();

    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (args: MockResourceArgs) => {
                    if (args.type === "aws:ec2/subnet:Subnet") subnetZones.set(args.name, args.inputs.availabilityZone);
                    return { id: `${args.name}-id`, state: args.inputs };
                },
                call: (args: MockCallArgs) => {
                    assert.strictEqual(args.token, "aws:index/getAvailabilityZones:getAvailabilityZones");
                    const filters = (args.inputs.filters ?? []) as { name: string; values: string[] }[];
                    const types = filters.find((f) => f.name === "zone-type")?.values;
                    const names = ZONES.filter((z) => !types || types.includes(z.type)).map((z) => z.name);
                    return { id: "us-east-1", names, zoneIds: names, groupNames: names };
                },
            },
            "redis-stack",
            "test",
            false,
        );
        // Imported after setMocks, as the SDK requires for resources created at module load.
        const { Network } = await import("../../infra/network");
        const network = new Network("zones-net", {
            vpcCidr: parseIpv4Cidr("10.42.0.0/16")!,
            availabilityZoneCount: 3,
        });
        await new Promise<void>((resolve) => network.cacheSubnetGroupName.apply(() => resolve()));
    });

    it("puts the public and every private subnet in an availability zone, never a Local or Wavelength Zone", () => {
        assert.deepStrictEqual(Object.fromEntries(subnetZones), {
            "zones-net-public": "us-east-1a",
            "zones-net-private-1": "us-east-1a",
            "zones-net-private-2": "us-east-1b",
            "zones-net-private-3": "us-east-1c",
        });
    });
});
