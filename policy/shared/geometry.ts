// VPC geometry EC2 refuses at `pulumi up` (no provider validator sees more than one resource). Pure; the pack
// judges it on the whole stack. Sources:
// - subnet size /16 to /28, inside the VPC's CIDR blocks, no overlap with another subnet of the VPC:
//   https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html and CreateSubnet's errors
//   InvalidSubnet.Range ("The CIDR '<cidr>' is invalid.") and InvalidSubnet.Conflict
//   (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html);
// - the five reserved addresses (the network address, +1 the VPC router, +2 DNS, +3 future use, and the last,
//   broadcast): https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html#subnet-sizing-ipv4 ; a private
//   IP outside the subnet or among them fails RunInstances/CreateNetworkInterface (InvalidParameterValue).

import { type CidrRange, parseCidr } from "./cidr";

/** Subnet sizes EC2 creates (IPv4). */
export const SUBNET_PREFIX_RANGE = { min: 16, max: 28 } as const;

function contains(outer: CidrRange, inner: CidrRange): boolean {
    return outer.family === inner.family && inner.first >= outer.first && inner.last <= outer.last;
}

function overlaps(a: CidrRange, b: CidrRange): boolean {
    return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export interface SubnetShape {
    readonly id: string;
    readonly cidr: string;
}

/**
 * Why EC2 refuses each subnet of one VPC (by id): a size outside /16-/28, a block outside every CIDR of the VPC
 * (`vpcCidrs` undefined when some are not known: not judged), or an overlap with an earlier subnet.
 */
export function subnetGeometryProblems(
    vpcCidrs: readonly string[] | undefined,
    subnets: readonly SubnetShape[],
): { id: string; message: string }[] {
    const vpcRanges = vpcCidrs?.map(parseCidr).filter((r): r is CidrRange => r !== undefined);
    const problems: { id: string; message: string }[] = [];
    const placed: { id: string; cidr: string; range: CidrRange }[] = [];
    for (const subnet of subnets) {
        const range = parseCidr(subnet.cidr);
        if (!range || range.family !== "IPv4") {
            continue; // not an IPv4 CIDR: the provider's Check refuses it first.
        }
        if (range.prefixLength < SUBNET_PREFIX_RANGE.min || range.prefixLength > SUBNET_PREFIX_RANGE.max) {
            problems.push({
                id: subnet.id,
                message: `InvalidSubnet.Range: The CIDR '${subnet.cidr}' is invalid (a subnet is /${SUBNET_PREFIX_RANGE.min} to /${SUBNET_PREFIX_RANGE.max})`,
            });
            continue;
        }
        if (vpcRanges && !vpcRanges.some((v) => contains(v, range))) {
            problems.push({
                id: subnet.id,
                message: `InvalidSubnet.Range: The CIDR '${subnet.cidr}' is invalid (outside the VPC's ${vpcCidrs?.join(", ")})`,
            });
            continue;
        }
        const clash = placed.find((p) => overlaps(p.range, range));
        if (clash) {
            problems.push({
                id: subnet.id,
                message: `InvalidSubnet.Conflict: The CIDR '${subnet.cidr}' conflicts with another subnet (${clash.id}: ${clash.cidr})`,
            });
            continue;
        }
        placed.push({ id: subnet.id, cidr: subnet.cidr, range });
    }
    return problems;
}

/** Why EC2 refuses a private IPv4 address in a subnet: outside it, or one of its five reserved addresses. */
export function privateIpProblem(subnetCidr: string, ip: string): string | undefined {
    const subnet = parseCidr(subnetCidr);
    const address = parseCidr(`${ip}/32`);
    if (!subnet || subnet.family !== "IPv4" || !address) {
        return undefined;
    }
    if (!contains(subnet, address)) {
        return `InvalidParameterValue: Address ${ip} does not fall within the subnet's address range (${subnetCidr})`;
    }
    const offset = address.first - subnet.first;
    if (offset <= 3n || address.first === subnet.last) {
        return `InvalidParameterValue: Address ${ip} is in subnet's reserved address range (${subnetCidr}: the first four and the last address are AWS's)`;
    }
    return undefined;
}
