// Network guardrails: a cache behind its own security group, no world ingress to SSH or Redis.

import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { type PolicyConfigSchema } from "./shared/policy-config";
import { worldCoverage } from "./shared/cidr";
import { type PortRule, coveredPorts, describeRule, ruleCoversTcpPort } from "./lib/ingress";
import {
    CACHE_TYPES,
    T,
    configHint,
    dependenciesOf,
    fmtList,
    isComputedUnset,
    isReplicationGroupMemberInStack,
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
                "TCP ports no security group may open to the whole internet (0.0.0.0/0, ::/0, or ranges that cover it together): SSH and the cache port (set it to the stack's redisPort).",
        },
    },
};

/** One ingress rule as this policy reads it: where it is, its ports, and its sources. */
interface IngressSource {
    /** The resource that declares the rule (a security group for inline rules). */
    resource: PolicyResource;
    /** `ingress[0]` for an inline rule, else `rule <label>`. */
    where: string;
    rule: PortRule;
    /** Known CIDRs (IPv4 and IPv6). */
    cidrs: string[];
    /** Whether a port field or a CIDR is unknown (preview), so that the sources may be incomplete. */
    unknown: boolean;
    /** Reads the rule through the proxy, which throws the engine's "can't run during preview" on an unknown. */
    readThroughProxy: () => void;
}

const ruleFields = (r: Record<string, unknown>, protocol: string): unknown[] => [r[protocol], r.fromPort, r.toPort];

function known(values: unknown[]): string[] {
    return values.filter((v): v is string => typeof v === "string" && !isUnknown(v));
}

function anyUnknown(values: unknown[]): boolean {
    return values.some((v) => isUnknown(v) || (Array.isArray(v) && v.some(isUnknown)));
}

function portRule(r: Record<string, unknown>, protocol: string): PortRule {
    return { protocol: r[protocol] as string, fromPort: r.fromPort as number, toPort: r.toPort as number };
}

/**
 * Inline rules of a security group (raw values: unknowns are seen, not read). Left unset, `ingress` is computed
 * (unknown in a preview): a new group has no inbound rule (a default security group's are removed when adopted:
 * terraform-provider-aws aws_default_security_group), and what it shows after apply is the rule resources'
 * rules, which are judged themselves.
 */
function inlineSources(sg: PolicyResource): IngressSource[] {
    const ingress = rawProps(sg.props).ingress;
    if (isComputedUnset(sg, "ingress")) {
        return [];
    }
    if (!Array.isArray(ingress)) {
        return isUnknown(ingress)
            ? [unknownSource(sg, "ingress", () => void (sg.props as { ingress: unknown[] }).ingress.length)]
            : [];
    }
    return ingress.map((raw: Record<string, unknown>, i) => {
        const sources = [raw.cidrBlocks, raw.ipv6CidrBlocks];
        return {
            resource: sg,
            where: `ingress[${i}]`,
            rule: portRule(raw, "protocol"),
            cidrs: known(sources.flat()),
            unknown: anyUnknown([...ruleFields(raw, "protocol"), ...sources]),
            readThroughProxy: () => {
                const r = (sg.props as { ingress: InlineIngress[] }).ingress[i];
                void [r.protocol, r.fromPort, r.toPort, ...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])];
            },
        };
    });
}

function unknownSource(resource: PolicyResource, where: string, readThroughProxy: () => void): IngressSource {
    return { resource, where, rule: { protocol: "-1" }, cidrs: [], unknown: true, readThroughProxy };
}

/** A rule resource: aws.ec2.SecurityGroupRule of type ingress (legacy), or aws.vpc.SecurityGroupIngressRule. */
function ruleSource(r: PolicyResource): IngressSource | undefined {
    const raw = rawProps(r.props);
    const where = `rule ${label(r.type, r.name)}`;
    if (r.type === T.securityGroupRule) {
        if (raw.type !== "ingress") {
            return isUnknown(raw.type) ? unknownSource(r, where, () => void r.props.type) : undefined;
        }
        const sources = [raw.cidrBlocks, raw.ipv6CidrBlocks];
        return {
            resource: r,
            where,
            rule: portRule(raw, "protocol"),
            cidrs: known(sources.flat()),
            unknown: anyUnknown([...ruleFields(raw, "protocol"), ...sources]),
            readThroughProxy: () => {
                const p = r.props as unknown as SgRuleProps;
                void [p.protocol, p.fromPort, p.toPort, ...(p.cidrBlocks ?? []), ...(p.ipv6CidrBlocks ?? [])];
            },
        };
    }
    return {
        resource: r,
        where,
        rule: portRule(raw, "ipProtocol"),
        cidrs: known([raw.cidrIpv4, raw.cidrIpv6]),
        unknown: anyUnknown([...ruleFields(raw, "ipProtocol"), raw.cidrIpv4, raw.cidrIpv6]),
        readThroughProxy: () => {
            const p = r.props as unknown as VpcIngressProps;
            void [p.ipProtocol, p.fromPort, p.toPort, p.cidrIpv4, p.cidrIpv6];
        },
    };
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

/** The rules of one security group, and how to name it. */
interface GroupRules {
    /** The group's resource when it is in the stack: violations are reported on it. */
    group?: PolicyResource;
    who: string;
    sources: IngressSource[];
}

/**
 * Gathers the rules per security group: a group's inline rules, and the rule resources whose securityGroupId
 * comes from it (propertyDependencies, known even while ids are unknown in preview) or names it by literal id.
 */
function rulesPerGroup(resources: PolicyResource[]): GroupRules[] {
    const groups = new Map<string, GroupRules>();
    const groupOf = (key: string, init: () => GroupRules): GroupRules => {
        let g = groups.get(key);
        if (g === undefined) {
            g = init();
            groups.set(key, g);
        }
        return g;
    };
    for (const r of resources) {
        if (r.type === T.securityGroup || r.type === T.defaultSecurityGroup) {
            const g = groupOf(r.urn, () => ({ group: r, who: label(r.type, r.name), sources: [] }));
            g.group = r;
            g.who = label(r.type, r.name);
            g.sources.push(...inlineSources(r));
        }
    }
    for (const r of resources) {
        if (r.type !== T.securityGroupRule && r.type !== T.vpcIngressRule) {
            continue;
        }
        const source = ruleSource(r);
        if (source === undefined) {
            continue;
        }
        const dep = dependenciesOf(r, "securityGroupId").find(
            (d) => d.type === T.securityGroup || d.type === T.defaultSecurityGroup,
        );
        const id = rawProps(r.props).securityGroupId;
        if (dep !== undefined) {
            groupOf(dep.urn, () => ({ group: dep, who: label(dep.type, dep.name), sources: [] })).sources.push(source);
        } else if (typeof id === "string" && !isUnknown(id)) {
            groupOf(`id:${id}`, () => ({ who: `security group "${id}"`, sources: [] })).sources.push(source);
        } else {
            groupOf(r.urn, () => ({ who: label(r.type, r.name), sources: [] })).sources.push(source);
        }
    }
    return [...groups.values()];
}

interface WorldFinding {
    family: string;
    /** The rules that admit the family's whole space together, each with its CIDRs of that family. */
    parts: { source: IngressSource; cidrs: string[] }[];
    ports: number[];
}

/** Per guarded port, the families whose whole space the rules reaching it admit together; merged over ports. */
function worldFindings(sources: IngressSource[], ports: number[]): WorldFinding[] {
    const findings = new Map<string, WorldFinding>();
    for (const port of ports) {
        const reaching = sources.filter((s) => !isUnknownRule(s) && ruleCoversTcpPort(s.rule, port));
        for (const world of worldCoverage(reaching.flatMap((s) => s.cidrs))) {
            const parts = reaching
                .map((source) => ({ source, cidrs: source.cidrs.filter((c) => world.cidrs.includes(c)) }))
                .filter((p) => p.cidrs.length > 0);
            const key = `${world.family}|${parts.map((p) => p.source.where).join("|")}`;
            const found = findings.get(key);
            if (found) {
                found.ports.push(port);
            } else {
                findings.set(key, { family: world.family, parts, ports: [port] });
            }
        }
    }
    return [...findings.values()];
}

function describeFinding(f: WorldFinding): string {
    const parts = f.parts.map(
        (p) => `${p.source.where} (${describeRule(p.source.rule)}) admits ${p.cidrs.join(" and ")}`,
    );
    const single = f.parts.length === 1 && f.parts[0].cidrs.length === 1;
    return single
        ? `${parts[0]} to port(s) ${f.ports.join(", ")}`
        : `${parts.join(", and ")}: together the whole ${f.family} internet, to port(s) ${f.ports.join(", ")}`;
}

export const noWorldIngressToSshOrRedis: StackValidationPolicy = {
    name: WORLD_INGRESS_POLICY,
    description:
        "No security group may admit the whole internet (0.0.0.0/0 or ::/0, or ranges that cover it together) to SSH (22) or the cache port.",
    enforcementLevel: "mandatory",
    configSchema: worldIngressSchema,
    validateStack: (args, report) => {
        const groups = rulesPerGroup(args.resources);
        if (groups.length === 0) {
            args.notApplicable("the stack has no security group or ingress rule");
        }
        const { ports } = policyConfig<WorldIngressConfig>(args, WORLD_INGRESS_POLICY, worldIngressSchema);
        const undecided: IngressSource[] = [];
        for (const g of groups) {
            const findings = worldFindings(g.sources, ports);
            for (const f of findings) {
                report(
                    `${g.who}: ${describeFinding(f)}; no world ingress is allowed to ${fmtList(ports)}. Fix: allow only known CIDRs ` +
                        `(e.g. your office /32) or another security group, or use SSM Session Manager instead of SSH. ` +
                        `Guarded ports are set in ${configHint(WORLD_INGRESS_POLICY, "ports")}.`,
                    (g.group ?? f.parts[0].source.resource).urn,
                );
            }
            // Unknown sources can only add addresses: with a finding the verdict stands; without one, an unknown
            // source on a guarded port (or an unknown port) leaves the group undecided until the values are known.
            if (findings.length === 0) {
                undecided.push(
                    ...g.sources.filter(
                        (s) => s.unknown && (isUnknownRule(s) || coveredPorts(s.rule, ports).length > 0),
                    ),
                );
            }
        }
        // The engine's preview semantics: reading an unknown through the proxy yields its advisory.
        undecided[0]?.readThroughProxy();
    },
};

function isUnknownRule(s: IngressSource): boolean {
    return [s.rule.protocol, s.rule.fromPort, s.rule.toPort].some(isUnknown);
}

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
    } else if (v !== null && typeof v === "object") {
        // Arrays too: their values are their elements.
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
    // Left unset, securityGroupIds is computed (unknown in a preview): AWS attaches the VPC's default group.
    const raw = isComputedUnset(cache, "securityGroupIds") ? undefined : rawProps(cache.props).securityGroupIds;
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
    if (deps.length === 0) {
        // Nothing tells which group an unknown id is: read the ids through the proxy, which throws the engine's
        // "can't be known during preview" on an unknown list or element (known ids read as they are).
        void [...(cache.props.securityGroupIds as Iterable<unknown>)];
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
            (r) => CACHE_TYPES.includes(r.type) && !isReplicationGroupMemberInStack(r),
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
                const raw = rawProps(r.props);
                for (const key of Object.keys(raw)) {
                    if (!ATTACH_KEY.test(key)) continue;
                    const found = new Set<string>();
                    knownStrings(raw[key], found);
                    for (const id of found) {
                        if (g.groupIds.has(id)) shared.add(`"${id}" via ${key}`);
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
