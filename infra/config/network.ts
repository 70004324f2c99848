/** The network's keys: the VPC to create, or an existing one to bring. Pure. */
import { type Ipv4Cidr, isCanonicalIpv4, parseIpv4Cidr } from "../cidr";
import type { Reader } from "./reader";

/**
 * The network's settings. Each `@default` is what the Pulumi.yaml defaults validate to
 * (test/unit/component-docs.test.ts checks it).
 */
export interface NetworkConfig {
    /**
     * IPv4 range of the VPC to create (`vpcCidr`), split into a public subnet (the bastion's) and one private
     * subnet per availability zone (the cache's), see `planSubnets`. Ignored when `existing` is set.
     * @default "10.42.0.0/16"
     * @example parseIpv4Cidr("172.16.0.0/20")
     */
    readonly vpcCidr: Ipv4Cidr;
    /**
     * How many AZs get a private subnet for the cache (`availabilityZoneCount`); at least 2 so that Multi-AZ has
     * somewhere to fail over.
     * @default 2
     * @example 3
     */
    readonly availabilityZoneCount: number;
    /**
     * Bring your own VPC (`vpcId`, `privateSubnetIds`, `publicSubnetId`): nothing but the cache subnet group is
     * created.
     * @default undefined
     * @example { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"], publicSubnetId: "subnet-0bbbbbbbbbbbbbbb1" }
     */
    readonly existing?: {
        readonly vpcId: string;
        readonly privateSubnetIds: string[];
        readonly publicSubnetId: string;
    };
}

const PATTERNS = {
    vpcId: /^vpc-[0-9a-f]{8,17}$/,
    subnetId: /^subnet-[0-9a-f]{8,17}$/,
};

export function readNetwork(r: Reader): NetworkConfig {
    const cidrText = r.string("vpcCidr");
    const parsed = parseIpv4Cidr(cidrText);
    let vpcCidr: Ipv4Cidr = { address: 0, prefixLength: 16 };
    if (!parsed || parsed.prefixLength < 16 || parsed.prefixLength > 24 || !isCanonicalIpv4(parsed)) {
        r.fail("vpcCidr", cidrText, "must be an IPv4 network from /16 to /24 with no host bits set, e.g. 10.42.0.0/16");
    } else {
        vpcCidr = parsed;
    }
    const availabilityZoneCount = r.integer("availabilityZoneCount", 2, 6);

    const vpcId = r.optional("vpcId", PATTERNS.vpcId, "must look like vpc-0123456789abcdef0");
    const privateSubnetIds = r.listOf("privateSubnetIds", PATTERNS.subnetId, "must look like subnet-0123456789abcdef0");
    const publicSubnetId = r.optional("publicSubnetId", PATTERNS.subnetId, "must look like subnet-0123456789abcdef0");
    if (vpcId === undefined) {
        if (privateSubnetIds.length > 0 || publicSubnetId !== undefined) {
            r.fail(
                "vpcId",
                "",
                "must be set when privateSubnetIds or publicSubnetId is (they belong to an existing VPC)",
            );
        }
        return { vpcCidr, availabilityZoneCount };
    }
    if (new Set(privateSubnetIds).size < 2) {
        r.fail(
            "privateSubnetIds",
            privateSubnetIds,
            "must list at least 2 distinct subnets (in different AZs) when vpcId is set",
        );
    }
    if (publicSubnetId === undefined) {
        r.fail("publicSubnetId", "", "must name the bastion's public subnet when vpcId is set");
    }
    return {
        vpcCidr,
        availabilityZoneCount,
        existing: { vpcId, privateSubnetIds, publicSubnetId: publicSubnetId ?? "" },
    };
}
