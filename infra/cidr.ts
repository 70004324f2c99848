/**
 * The subnet plan of the VPC we create, over IPv4 CIDRs as plain numbers. Pure: no Pulumi, no AWS. Parsing is
 * the pack's shared CIDR rule (policy/shared/cidr.ts), so that the program and the pack read CIDRs alike.
 */
import { parseCidr } from "../policy/shared";

export interface Ipv4Cidr {
    /** The network address as an unsigned 32-bit integer. */
    readonly address: number;
    readonly prefixLength: number;
}

/** Parses `a.b.c.d/n`; returns undefined when it is not a well-formed IPv4 CIDR. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
    const cidr = parseCidr(text);
    return cidr?.family === "IPv4" ? { address: Number(cidr.address), prefixLength: cidr.prefixLength } : undefined;
}

/** True when the address has no bits set past the prefix (AWS rejects `10.0.0.1/16` for a VPC). */
export function isCanonicalIpv4(cidr: Ipv4Cidr): boolean {
    const hostBits = 32 - cidr.prefixLength;
    return cidr.address % 2 ** hostBits === 0;
}

export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.address / 2 ** shift) % 256);
    return `${octets.join(".")}/${cidr.prefixLength}`;
}

export interface SubnetPlan {
    /** The bastion's subnet, routed to the internet gateway. */
    readonly publicCidr: string;
    /** One per availability zone, for the cache; no route to the internet. */
    readonly privateCidrs: string[];
}

/**
 * Splits the VPC into 16 equal blocks: block 0 is public, blocks 8.. are private, one per AZ. Keeping the
 * private blocks at a fixed offset means adding an AZ later never renumbers an existing subnet.
 */
export function planSubnets(vpc: Ipv4Cidr, availabilityZoneCount: number): SubnetPlan {
    const blockPrefix = vpc.prefixLength + 4;
    if (blockPrefix > 28) {
        throw new Error(
            `a /${vpc.prefixLength} VPC is too small to split into /${blockPrefix} subnets (AWS's smallest is /28)`,
        );
    }
    if (availabilityZoneCount < 1 || availabilityZoneCount > 8) {
        throw new Error(`cannot plan ${availabilityZoneCount} private subnets: 1 to 8 fit beside the public one`);
    }
    const blockSize = 2 ** (32 - blockPrefix);
    const block = (index: number): string =>
        formatIpv4Cidr({ address: vpc.address + index * blockSize, prefixLength: blockPrefix });
    return {
        publicCidr: block(0),
        privateCidrs: Array.from({ length: availabilityZoneCount }, (_, i) => block(8 + i)),
    };
}
