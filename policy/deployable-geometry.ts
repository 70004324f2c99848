// Deployability across resources: VPC geometry and the default security group rule quota, which EC2 judges at
// `pulumi up` with every resource in view and no provider validator can see. Mandatory; stack policies. Rules
// and sources: shared/geometry.ts and the VPC quotas page below.

import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { privateIpProblem, subnetGeometryProblems } from "./shared/geometry";
import { type PolicyConfigSchema } from "./shared/policy-config";
import {
    NO_CONFIG,
    T,
    configHint,
    dependenciesOf,
    isUnknown,
    knownValue,
    label,
    policyConfig,
    rawProps,
} from "./lib/util";

const SUBNET = "aws:ec2/subnet:Subnet";
const CIDR_ASSOCIATION = "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation";

/** The resource `r` names through input `key`: by dependency (ids are unknown in preview), else by known id. */
function referenced(r: PolicyResource, key: string, candidates: readonly PolicyResource[]): PolicyResource | undefined {
    const byDependency = dependenciesOf(r, key).find((d) => candidates.some((c) => c.urn === d.urn));
    if (byDependency) {
        return candidates.find((c) => c.urn === byDependency.urn);
    }
    const id = knownValue<string>(r.props, key);
    return id === undefined ? undefined : candidates.find((c) => knownValue<string>(c.props, "id") === id);
}

// --- vpc-subnet-geometry ---

export const SUBNET_GEOMETRY_POLICY = "vpc-subnet-geometry";

/**
 * Subnets /16-/28 inside their VPC's CIDR blocks (primary and associated), not overlapping each other; private
 * IPs of instances and network interfaces inside their subnet and not among its five reserved addresses.
 */
export const vpcSubnetGeometry: StackValidationPolicy = {
    name: SUBNET_GEOMETRY_POLICY,
    description:
        "Subnets are /16 to /28, inside their VPC's CIDR blocks and not overlapping; private IPs fall inside their subnet and outside its five reserved addresses.",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateStack: (args, report) => {
        const vpcs = args.resources.filter((r) => r.type === T.vpc);
        const subnets = args.resources.filter((r) => r.type === SUBNET);
        if (subnets.length === 0) {
            args.notApplicable("the stack has no subnet");
        }
        for (const vpc of vpcs) {
            const mine = subnets.filter((s) => referenced(s, "vpcId", vpcs) === vpc);
            const associations = args.resources.filter(
                (r) => r.type === CIDR_ASSOCIATION && referenced(r, "vpcId", vpcs) === vpc,
            );
            const blocks = [vpc, ...associations].map((r) => knownValue<string>(r.props, "cidrBlock"));
            const cidrs = blocks.every((b): b is string => b !== undefined) ? blocks : undefined;
            const shapes = mine.flatMap((s) => {
                const cidr = knownValue<string>(s.props, "cidrBlock");
                return cidr === undefined ? [] : [{ id: s.urn, cidr }];
            });
            for (const problem of subnetGeometryProblems(cidrs, shapes)) {
                const subnet = mine.find((s) => s.urn === problem.id);
                report(
                    `${label(SUBNET, subnet?.name ?? problem.id)}: ${problem.message}; EC2 refuses it. Fix: pick a /16-/28 block inside the VPC that no other subnet uses.`,
                    problem.id,
                );
            }
        }
        const addressed = args.resources.filter((r) => r.type === T.instance || r.type === T.networkInterface);
        for (const r of addressed) {
            const subnet = referenced(r, "subnetId", subnets);
            const cidr = subnet ? knownValue<string>(subnet.props, "cidrBlock") : undefined;
            if (cidr === undefined) {
                continue;
            }
            const single = knownValue<string>(r.props, "privateIp");
            const many = knownValue<unknown[]>(r.props, "privateIps") ?? [];
            const ips = [single, ...many].filter((ip): ip is string => typeof ip === "string" && !isUnknown(ip));
            for (const ip of new Set(ips)) {
                const problem = privateIpProblem(cidr, ip);
                if (problem) {
                    report(
                        `${label(r.type, r.name)}: ${problem}; EC2 refuses it. Fix: pick an address from the 5th to the second-to-last of ${cidr}.`,
                        r.urn,
                    );
                }
            }
        }
    },
};

// --- security-group-rules-quota ---

export const RULES_QUOTA_POLICY = "security-group-rules-quota";
export interface RulesQuotaConfig {
    maxRulesPerDirection: number;
}
export const rulesQuotaSchema: PolicyConfigSchema = {
    properties: {
        maxRulesPerDirection: {
            type: "integer",
            minimum: 1,
            maximum: 1000,
            default: 60,
            description:
                "The account's 'Inbound or outbound rules per security group' quota (default 60, per direction and per IP family); raise it here when AWS raised it for the account.",
        },
    },
};

type Family = "IPv4" | "IPv6";
type Direction = "inbound" | "outbound";

/** Rules an inline or standalone rule adds per IP family (a group or prefix-list reference counts in both). */
function ruleCounts(
    rule: Record<string, unknown>,
    keys: { v4: string; v6: string; refs: string[] },
): Record<Family, number> {
    const count = (key: string) => {
        const v = rule[key];
        if (Array.isArray(v)) return v.filter((x) => !isUnknown(x)).length;
        return v === undefined || v === null || v === false || isUnknown(v) ? 0 : 1;
    };
    const refs = keys.refs.reduce((n, k) => n + count(k), 0);
    return { IPv4: count(keys.v4) + refs, IPv6: count(keys.v6) + refs };
}

const INLINE_KEYS = { v4: "cidrBlocks", v6: "ipv6CidrBlocks", refs: ["securityGroups", "prefixListIds", "self"] };
const RULE_KEYS = { v4: "cidrIpv4", v6: "cidrIpv6", refs: ["referencedSecurityGroupId", "prefixListId"] };
const LEGACY_RULE_KEYS = {
    v4: "cidrBlocks",
    v6: "ipv6CidrBlocks",
    refs: ["sourceSecurityGroupId", "prefixListIds", "self"],
};

/**
 * Source: Amazon VPC quotas, "Inbound or outbound rules per security group: 60 ... enforced separately for IPv4
 * and IPv6 rules; a rule that references a security group or prefix list counts for both"
 * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups);
 * AuthorizeSecurityGroupIngress/Egress then fail with RulesPerSecurityGroupLimitExceeded. Counts are lower
 * bounds: unknown lists and prefix lists' entries count as what is known.
 */
export const securityGroupRulesQuota: StackValidationPolicy = {
    name: RULES_QUOTA_POLICY,
    description:
        "A security group holds at most the account's quota of rules per direction and IP family (60 by default); EC2 refuses more.",
    enforcementLevel: "mandatory",
    configSchema: rulesQuotaSchema,
    validateStack: (args, report) => {
        const groups = args.resources.filter((r) => r.type === T.securityGroup);
        if (groups.length === 0) {
            args.notApplicable("the stack has no security group");
        }
        const { maxRulesPerDirection } = policyConfig<RulesQuotaConfig>(args, RULES_QUOTA_POLICY, rulesQuotaSchema);
        const totals = new Map<string, Record<Direction, Record<Family, number>>>();
        const add = (group: PolicyResource, direction: Direction, counts: Record<Family, number>) => {
            const t = totals.get(group.urn) ?? { inbound: { IPv4: 0, IPv6: 0 }, outbound: { IPv4: 0, IPv6: 0 } };
            t[direction].IPv4 += counts.IPv4;
            t[direction].IPv6 += counts.IPv6;
            totals.set(group.urn, t);
        };
        for (const group of groups) {
            for (const [key, direction] of [
                ["ingress", "inbound"],
                ["egress", "outbound"],
            ] as const) {
                const rules = knownValue<unknown[]>(group.props, key) ?? [];
                for (const rule of rules) {
                    if (typeof rule === "object" && rule !== null) {
                        add(group, direction, ruleCounts(rule as Record<string, unknown>, INLINE_KEYS));
                    }
                }
            }
        }
        for (const r of args.resources) {
            const direction: Direction | undefined =
                r.type === T.vpcIngressRule
                    ? "inbound"
                    : r.type === T.vpcEgressRule
                      ? "outbound"
                      : r.type === T.securityGroupRule
                        ? knownValue<string>(r.props, "type") === "egress"
                            ? "outbound"
                            : knownValue<string>(r.props, "type") === "ingress"
                              ? "inbound"
                              : undefined
                        : undefined;
            const group = direction ? referenced(r, "securityGroupId", groups) : undefined;
            if (direction && group) {
                add(
                    group,
                    direction,
                    ruleCounts(rawProps(r.props), r.type === T.securityGroupRule ? LEGACY_RULE_KEYS : RULE_KEYS),
                );
            }
        }
        for (const group of groups) {
            const t = totals.get(group.urn);
            for (const direction of ["inbound", "outbound"] as const) {
                for (const family of ["IPv4", "IPv6"] as const) {
                    const n = t?.[direction][family] ?? 0;
                    if (n > maxRulesPerDirection) {
                        report(
                            `${label(group.type, group.name)}: ${n} ${direction} ${family} rules, over the quota of ${maxRulesPerDirection} per security group; EC2 refuses the rest (RulesPerSecurityGroupLimitExceeded). ` +
                                `Fix: merge CIDRs or use a prefix list, or raise the quota with AWS and set ${configHint(RULES_QUOTA_POLICY, "maxRulesPerDirection")}.`,
                            group.urn,
                        );
                    }
                }
            }
        }
    },
};
