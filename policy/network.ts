// Network guardrails: a cache behind its own security group, no world ingress to SSH or Redis.

import type { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { type PolicyConfigSchema } from "./shared/policy-config";
import { type PortRule, coveredPorts, describeRule, isWorldCidr } from "./lib/ingress";
import {
    CACHE_TYPES,
    T,
    configHint,
    dependenciesOf,
    fmtList,
    forTypes,
    isReplicationGroupMember,
    isUnknown,
    label,
    policyConfig,
    rawProps,
} from "./lib/util";

// --- no-world-ingress-to-ssh-or-redis ---

export const WORLD_INGRESS_POLICY = "no-world-ingress-to-ssh-or-redis";
export interface WorldIngressConfig {
    ports: number[];
}
export const worldIngressSchema: PolicyConfigSchema = {
    properties: {
        ports: {
            type: "array",
            items: { type: "integer", minimum: 0, maximum: 65535 },
            minItems: 1,
            uniqueItems: true,
            default: [22, 6379],
            description:
                "TCP ports no rule may open to 0.0.0.0/0 or ::/0: SSH and the cache port (set it to the stack's redisPort).",
        },
    },
};

interface IngressRuleLike extends PortRule {
    cidrs: string[];
    where: string;
}

function worldFindings(rule: IngressRuleLike, ports: number[]): { world: string[]; reached: number[] } | undefined {
    // Ports first: a rule that reaches no guarded port is fine whatever its (possibly unknown) sources.
    const reached = coveredPorts(rule, ports);
    if (reached.length === 0) {
        return undefined;
    }
    const world = rule.cidrs.filter((c) => typeof c === "string" && isWorldCidr(c));
    return world.length > 0 ? { world, reached } : undefined;
}

interface InlineIngress {
    protocol: string;
    fromPort?: number;
    toPort?: number;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
}
interface SgRuleProps extends InlineIngress {
    type: string;
}
interface VpcIngressProps {
    ipProtocol: string;
    fromPort?: number;
    toPort?: number;
    cidrIpv4?: string;
    cidrIpv6?: string;
}

/** Reads a rule's port fields through the proxy; sources are read lazily, only when a guarded port is reached. */
function inlineRule(r: InlineIngress, where: string, ports: number[]): IngressRuleLike {
    const rule: PortRule = { protocol: r.protocol, fromPort: r.fromPort, toPort: r.toPort };
    if (coveredPorts(rule, ports).length === 0) {
        return { ...rule, cidrs: [], where };
    }
    return { ...rule, cidrs: [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])], where };
}

export const noWorldIngressToSshOrRedis: ResourceValidationPolicy = {
    name: WORLD_INGRESS_POLICY,
    description: "No security group rule may admit 0.0.0.0/0 or ::/0 to SSH (22) or the cache port.",
    enforcementLevel: "mandatory",
    configSchema: worldIngressSchema,
    validateResource: forTypes(
        [T.securityGroup, T.defaultSecurityGroup, T.securityGroupRule, T.vpcIngressRule],
        (args, report) => {
            const { ports } = policyConfig<WorldIngressConfig>(args, WORLD_INGRESS_POLICY, worldIngressSchema);
            const rules: IngressRuleLike[] = [];
            if (args.type === T.securityGroup || args.type === T.defaultSecurityGroup) {
                const ingress = (args.props as { ingress?: InlineIngress[] }).ingress ?? [];
                ingress.forEach((r, i) => rules.push(inlineRule(r, `ingress[${i}]`, ports)));
            } else if (args.type === T.securityGroupRule) {
                const p = args.props as SgRuleProps;
                if (p.type !== "ingress") {
                    return;
                }
                rules.push(inlineRule(p, "rule", ports));
            } else {
                const p = args.props as VpcIngressProps;
                const rule: PortRule = { protocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort };
                const cidrs =
                    coveredPorts(rule, ports).length === 0
                        ? []
                        : [p.cidrIpv4, p.cidrIpv6].filter((c): c is string => !!c);
                rules.push({ ...rule, cidrs, where: "rule" });
            }
            const who = label(args.type, args.name);
            for (const rule of rules) {
                const f = worldFindings(rule, ports);
                if (f) {
                    report(
                        `${who}: ${rule.where} (${describeRule(rule)}) admits ${f.world.join(" and ")} to port(s) ` +
                            `${f.reached.join(", ")}; no world ingress is allowed to ${fmtList(ports)}. Fix: allow only known CIDRs ` +
                            `(e.g. your office /32) or another security group, or use SSM Session Manager instead of SSH. ` +
                            `Guarded ports are set in ${configHint(WORLD_INGRESS_POLICY, "ports")}.`,
                    );
                }
            }
        },
    ),
};

// --- elasticache-dedicated-security-group ---

export const DEDICATED_SG_POLICY = "elasticache-dedicated-security-group";
export interface DedicatedSgConfig {
    ignoredResourceTypes: string[];
}
export const dedicatedSgSchema: PolicyConfigSchema = {
    properties: {
        ignoredResourceTypes: {
            type: "array",
            items: { type: "string", minLength: 1 },
            uniqueItems: true,
            default: [],
            description:
                "Resource types (e.g. aws:ec2/vpcEndpoint:VpcEndpoint) that may share a cache's security group.",
        },
    },
};

/** Types that manage a group's rules or reference it as a traffic source: they don't attach it to anything. */
const RULE_TYPES = new Set<string>([
    T.securityGroup,
    T.defaultSecurityGroup,
    T.securityGroupRule,
    T.vpcIngressRule,
    T.vpcEgressRule,
]);
/** A security group list derived from a VPC resource can only be its defaultSecurityGroupId. */
const DEFAULT_GROUP_SOURCES = new Set<string>([T.defaultSecurityGroup, T.vpc, T.defaultVpc]);
/** Inputs through which AWS resources attach security groups (instances, templates, ENIs, Lambda, ECS, ...). */
const ATTACH_KEY = /securitygroup|vpcconfig|vpcoptions|networkinterface|networkconfiguration/i;

function knownStrings(v: unknown, out: Set<string>): void {
    if (typeof v === "string") {
        if (!isUnknown(v)) out.add(v);
    } else if (Array.isArray(v)) {
        v.forEach((x) => knownStrings(x, out));
    } else if (v !== null && typeof v === "object") {
        Object.values(v).forEach((x) => knownStrings(x, out));
    }
}

interface CacheGroups {
    cache: PolicyResource;
    groupUrns: Set<string>;
    groupIds: Set<string>;
}

/**
 * The groups of one cache, by URN (from propertyDependencies, which the engine knows even while ids
 * are unknown in preview) and by literal id. Reports a missing or default group. Reads an unknown
 * id through the proxy, to get the engine's "can't run during preview", only when no dependency
 * explains it.
 */
function groupsOf(cache: PolicyResource, report: ReportViolation): CacheGroups | undefined {
    const who = label(cache.type, cache.name);
    const raw = rawProps(cache.props).securityGroupIds;
    const deps = dependenciesOf(cache, "securityGroupIds");
    // Whatever produced the ids (a SecurityGroup, or a component wrapping one) identifies the group by URN.
    const defaultDeps = deps.filter((d) => DEFAULT_GROUP_SOURCES.has(d.type));
    const groupDeps = deps.filter((d) => !DEFAULT_GROUP_SOURCES.has(d.type));
    const fix = "Fix: create an aws.ec2.SecurityGroup used only by the cache and pass it in securityGroupIds.";
    if ((raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) && deps.length === 0) {
        report(
            `${who}: securityGroupIds is ${raw === undefined || raw === null ? "not set" : "empty"}, so AWS attaches ` +
                `the VPC's default security group. ${fix}`,
            cache.urn,
        );
        return undefined;
    }
    for (const d of defaultDeps) {
        report(
            `${who}: securityGroupIds uses the VPC's default security group (from ${label(d.type, d.name)}), ` +
                `which every other resource in the VPC may share. ${fix}`,
            cache.urn,
        );
    }
    const ids = new Set<string>();
    knownStrings(raw, ids);
    const unknownElements = Array.isArray(raw) ? raw.filter(isUnknown).length : isUnknown(raw) ? 1 : 0;
    if (unknownElements > 0 && deps.length === 0) {
        // Nothing tells which group this is: let the engine report the unknown value.
        const list = cache.props.securityGroupIds as unknown[];
        list.forEach((x) => void x);
    }
    return { cache, groupUrns: new Set(groupDeps.map((d) => d.urn)), groupIds: ids };
}

export const elasticacheDedicatedSecurityGroup: StackValidationPolicy = {
    name: DEDICATED_SG_POLICY,
    description:
        "Every ElastiCache cache must have its own security group(s): not the VPC's default group, and not " +
        "attached to any other resource (instance, launch template, ENI, another cache, Lambda, ...).",
    enforcementLevel: "mandatory",
    configSchema: dedicatedSgSchema,
    validateStack: (args, report) => {
        const caches = args.resources.filter(
            (r) => CACHE_TYPES.includes(r.type) && !isReplicationGroupMember(r.type, r.props),
        );
        if (caches.length === 0) {
            args.notApplicable("the stack has no ElastiCache cache");
        }
        const { ignoredResourceTypes } = policyConfig<DedicatedSgConfig>(args, DEDICATED_SG_POLICY, dedicatedSgSchema);
        const all = caches.map((c) => groupsOf(c, report)).filter((g): g is CacheGroups => g !== undefined);
        // Only AWS provider resources attach groups; components (whose inputs merely pass ids along) don't.
        const others = args.resources.filter(
            (r) => r.type.startsWith("aws:") && !RULE_TYPES.has(r.type) && !ignoredResourceTypes.includes(r.type),
        );
        for (const g of all) {
            const who = label(g.cache.type, g.cache.name);
            for (const r of others) {
                if (r.urn === g.cache.urn) continue;
                const shared = new Set<string>();
                for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) {
                    if (!ATTACH_KEY.test(key)) continue;
                    for (const d of deps) {
                        if (g.groupUrns.has(d.urn)) shared.add(`${label(d.type, d.name)} via ${key}`);
                    }
                }
                if (g.groupIds.size > 0) {
                    const raw = rawProps(r.props);
                    for (const key of Object.keys(raw)) {
                        if (!ATTACH_KEY.test(key)) continue;
                        const found = new Set<string>();
                        knownStrings(raw[key], found);
                        for (const id of found) {
                            if (g.groupIds.has(id)) shared.add(`"${id}" via ${key}`);
                        }
                    }
                }
                if (shared.size > 0) {
                    report(
                        `${who}: its security group is also attached to ${label(r.type, r.name)} (${[...shared].join(", ")}); ` +
                            `a cache's group must be its own, so that opening it to a client never opens anything else. ` +
                            `Fix: give ${label(r.type, r.name)} its own security group and allow it in the cache group's ingress ` +
                            `(referencedSecurityGroupId), or exempt the type in ${configHint(DEDICATED_SG_POLICY, "ignoredResourceTypes")}.`,
                        g.cache.urn,
                    );
                }
            }
        }
    },
};
