// Deployability of security groups and their rules: what the EC2 API refuses at `pulumi up` although the
// provider's Check (and so a real preview) lets it through. Mandatory. KMS keys, instance root volumes and ARN
// partitions have their own modules (deployable-kms.ts, deployable-instance.ts, deployable-partition.ts).

import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { SECURITY_GROUP_RULE_DESCRIPTION } from "./shared/names";
import { NO_CONFIG, T, forTypes, isUnknown, knownValue, label, rawProps } from "./lib/util";

const RULE_TYPES = [T.vpcIngressRule, T.vpcEgressRule, T.securityGroupRule];

/** The protocol of a rule resource: `ipProtocol` (vpc rules) or `protocol` (SecurityGroupRule). */
function protocolOf(r: { type: string; props: Record<string, unknown> }): string | undefined {
    const p = knownValue<string | number>(r.props, r.type === T.securityGroupRule ? "protocol" : "ipProtocol");
    return p === undefined ? undefined : String(p).toLowerCase();
}

// --- security-group-rule-ports ---

export const RULE_PORTS_POLICY = "security-group-rule-ports";

/**
 * Source: AuthorizeSecurityGroupIngress IpPermission (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html):
 * TCP and UDP need both FromPort and ToPort. With IpProtocol -1 (all) EC2 ignores ports, but the provider
 * documents `from_port = 0, to_port = 0` and its aws_security_group_rule refuses anything else ("from_port (%d)
 * and to_port (%d) must both be 0 to use the 'ALL' \"-1\" protocol!", security_group_rule.go expandIPPerm); the
 * vpc rule resources take 0/0 or -1/-1 (or none).
 */
export const securityGroupRulePorts: ResourceValidationPolicy = {
    name: RULE_PORTS_POLICY,
    description: "Security group rules: TCP/UDP rules name both ports; all-protocol (-1) rules name none.",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateResource: forTypes(RULE_TYPES, (args, report) => {
        const protocol = protocolOf(args);
        const raw = rawProps(args.props);
        const from = knownValue<number>(args.props, "fromPort");
        const to = knownValue<number>(args.props, "toPort");
        const who = label(args.type, args.name);
        if (protocol === "tcp" || protocol === "udp" || protocol === "6" || protocol === "17") {
            const missing = ["fromPort", "toPort"].filter((k) => raw[k] === undefined || raw[k] === null);
            if (missing.length > 0) {
                report(
                    `${who}: protocol ${protocol} without ${missing.join(" and ")}; EC2 refuses it. Fix: set both ports.`,
                );
            }
        } else if (protocol === "-1" || protocol === "all") {
            const allowed = args.type === T.securityGroupRule ? [0] : [0, -1];
            const ports = [from, to].filter((p) => p !== undefined);
            if (ports.some((p) => !allowed.includes(p))) {
                report(
                    `${who}: protocol -1 (all) with ports ${ports.join("-")}; all-protocol rules take fromPort/toPort 0 (the provider's documented form). Fix: set both to 0, or name a protocol.`,
                );
            }
        }
    }),
};

// --- security-group-descriptions ---

export const DESCRIPTIONS_POLICY = "security-group-descriptions";

/**
 * Sources: CreateSecurityGroup GroupDescription, for a VPC group (every group now: EC2-Classic is retired)
 * "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*" (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html);
 * rule descriptions from the same set (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html).
 */
export const securityGroupDescriptions: ResourceValidationPolicy = {
    name: DESCRIPTIONS_POLICY,
    description:
        "Security group and rule descriptions use only a-z A-Z 0-9 space ._-:/()#,@[]+=&;{}!$* (EC2's set for VPC groups).",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateResource: forTypes([T.securityGroup, ...RULE_TYPES], (args, report) => {
        const description = knownValue<string>(args.props, "description");
        if (description === undefined) {
            return;
        }
        const who = label(args.type, args.name);
        if (!SECURITY_GROUP_RULE_DESCRIPTION.test(description)) {
            report(
                `${who}: description "${description}" has characters outside a-z A-Z 0-9 space ._-:/()#,@[]+=&;{}!$*; EC2 refuses them. Fix: rephrase it.`,
            );
        }
    }),
};

// --- no-duplicate-security-group-rules ---

export const DUPLICATE_RULES_POLICY = "no-duplicate-security-group-rules";

/** The group a rule belongs to: its id when known, else the URN it depends on (ids are unknown in preview). */
function groupKey(r: PolicyResource): string | undefined {
    const id = knownValue<string>(r.props, "securityGroupId");
    return id ?? r.propertyDependencies?.securityGroupId?.[0]?.urn;
}

function sourceKey(r: PolicyResource): string | undefined {
    for (const key of ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"]) {
        const raw = rawProps(r.props)[key];
        if (raw === undefined || raw === null) {
            continue;
        }
        if (!isUnknown(raw)) {
            return `${key}=${String(raw)}`;
        }
        const dep = r.propertyDependencies?.[key]?.[0]?.urn;
        return dep === undefined ? undefined : `${key}->${dep}`;
    }
    return undefined;
}

/** Source: AuthorizeSecurityGroupIngress/Egress fail with InvalidPermission.Duplicate for an existing rule. */
export const noDuplicateSecurityGroupRules: StackValidationPolicy = {
    name: DUPLICATE_RULES_POLICY,
    description:
        "No two rules of a security group may allow the same protocol, ports and source (EC2: InvalidPermission.Duplicate), e.g. a repeated sshAllowedCidrs entry.",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateStack: (args, report) => {
        const rules = args.resources.filter((r) => r.type === T.vpcIngressRule || r.type === T.vpcEgressRule);
        if (rules.length === 0) {
            args.notApplicable("the stack has no security group rule resources");
        }
        const seen = new Map<string, PolicyResource>();
        for (const r of rules) {
            const group = groupKey(r);
            const source = sourceKey(r);
            const protocol = protocolOf(r);
            if (group === undefined || source === undefined || protocol === undefined) {
                continue;
            }
            const key = [
                r.type,
                group,
                protocol,
                knownValue(r.props, "fromPort"),
                knownValue(r.props, "toPort"),
                source,
            ].join("|");
            const first = seen.get(key);
            if (first) {
                report(
                    `${label(r.type, r.name)} duplicates ${label(first.type, first.name)} (same group, protocol, ports and source); EC2 refuses it. Fix: remove the repeated entry.`,
                    r.urn,
                );
            } else {
                seen.set(key, r);
            }
        }
    },
};
