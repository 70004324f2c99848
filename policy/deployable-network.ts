// Deployability of the network, compute and key resources: what the EC2, KMS and IAM APIs refuse at
// `pulumi up` although the provider's Check (and so a real preview) lets it through. Mandatory.

import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { keyPolicyLocksOut } from "./shared/iam-policy";
import { PARTITION_NAMES, partitionOfRegion } from "./shared/partitions";
import { SECURITY_GROUP_RULE_DESCRIPTION } from "./shared/names";
import { type PolicyConfigSchema } from "./shared/policy-config";
import { NO_CONFIG, T, configHint, forTypes, isUnknown, knownValue, label, policyConfig, rawProps } from "./lib/util";

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

// --- kms-key-policy-keeps-admins ---

export const KMS_ADMIN_POLICY = "kms-key-policy-keeps-admins";

/**
 * Source: CreateKey/PutKeyPolicy refuse a policy that would lock out key administration
 * ("The new key policy will not allow you to update the key policy in the future",
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key)
 * unless BypassPolicyLockoutSafetyCheck is set.
 */
export const kmsKeyPolicyKeepsAdmins: ResourceValidationPolicy = {
    name: KMS_ADMIN_POLICY,
    description:
        "A KMS key policy must let someone administer the key (an Allow matching kms:PutKeyPolicy, e.g. kms:Put*, kms:* or *, or a NotAction Allow that leaves it in), or KMS refuses it.",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateResource: forTypes(["aws:kms/key:Key"], (args, report) => {
        const text = knownValue<string>(args.props, "policy");
        if (text === undefined || knownValue<boolean>(args.props, "bypassPolicyLockoutSafetyCheck") === true) {
            return; // no policy: AWS's default key policy gives the account root full access.
        }
        // Not JSON: the provider's Check refuses it first.
        const administers = keyPolicyLocksOut(text) !== true;
        if (!administers) {
            report(
                `${label(args.type, args.name)}: the key policy allows nobody kms:PutKeyPolicy; KMS refuses a policy that locks out the account's administrators. ` +
                    `Fix: add a statement allowing arn:<partition>:iam::<account>:root kms:*.`,
            );
        }
    }),
};

// --- instance-root-volume-fits-ami ---

export const ROOT_VOLUME_POLICY = "instance-root-volume-fits-ami";
export interface RootVolumeConfig {
    minRootVolumeGiB: number;
}
export const rootVolumeSchema: PolicyConfigSchema = {
    properties: {
        minRootVolumeGiB: {
            type: "integer",
            minimum: 1,
            maximum: 16384,
            default: 8,
            description:
                "Size of the AMI's root snapshot in GiB (the AL2023 AMI the bastion uses: 8); a smaller root volume cannot be created.",
        },
    },
};

/** Source: RunInstances, "the volume size must be equal or larger than the snapshot size" (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EbsBlockDevice.html). */
export const instanceRootVolumeFitsAmi: ResourceValidationPolicy = {
    name: ROOT_VOLUME_POLICY,
    description: "An instance's root volume may not be smaller than its AMI's root snapshot.",
    enforcementLevel: "mandatory",
    configSchema: rootVolumeSchema,
    validateResource: forTypes([T.instance], (args, report) => {
        const root = knownValue<Record<string, unknown>>(args.props, "rootBlockDevice");
        const size = root && !isUnknown(root.volumeSize) ? (root.volumeSize as number | undefined) : undefined;
        if (size === undefined) {
            return;
        }
        const { minRootVolumeGiB } = policyConfig<RootVolumeConfig>(args, ROOT_VOLUME_POLICY, rootVolumeSchema);
        if (size < minRootVolumeGiB) {
            report(
                `${label(args.type, args.name)}: rootBlockDevice.volumeSize ${size} GiB is smaller than the AMI's ${minRootVolumeGiB} GiB snapshot; EC2 refuses it. ` +
                    `Fix: use at least ${minRootVolumeGiB}, or lower ${configHint(ROOT_VOLUME_POLICY, "minRootVolumeGiB")} for a smaller AMI.`,
            );
        }
    }),
};

// --- arns-in-stack-partition ---

export { partitionOfRegion };

export const PARTITION_POLICY = "arns-in-stack-partition";
export interface PartitionConfig {
    partition: string;
}
export const partitionSchema: PolicyConfigSchema = {
    properties: {
        partition: {
            type: "string",
            enum: ["", ...PARTITION_NAMES],
            default: "",
            description:
                "The stack's AWS partition; empty derives it from the aws provider's region (cn-* aws-cn, us-gov-* aws-us-gov, us-iso-* aws-iso, us-isob-* aws-iso-b, eu-isoe-* aws-iso-e, us-isof-* aws-iso-f, eusc-* aws-eusc, else aws).",
        },
    },
};

/** Every ARN partition written in a value, JSON policy strings included. */
function arnPartitions(v: unknown, out: Set<string>): void {
    if (typeof v === "string") {
        for (const m of v.matchAll(/\barn:(aws[a-z-]*):/g)) {
            out.add(m[1]);
        }
    } else if (Array.isArray(v)) {
        v.forEach((x) => arnPartitions(x, out));
    } else if (typeof v === "object" && v !== null) {
        Object.values(v).forEach((x) => arnPartitions(x, out));
    }
}

/** A hard-coded `arn:aws:` fails in aws-cn and aws-us-gov (e.g. aws.iam.ManagedPolicy constants). */
export const arnsInStackPartition: StackValidationPolicy = {
    name: PARTITION_POLICY,
    description: "ARNs must be built for the stack's partition (aws-cn, aws-us-gov, ...), not hard-coded arn:aws:.",
    enforcementLevel: "mandatory",
    configSchema: partitionSchema,
    validateStack: (args, report) => {
        const configured = policyConfig<PartitionConfig>(args, PARTITION_POLICY, partitionSchema).partition;
        const provider = args.resources.find((r) => r.type === "pulumi:providers:aws");
        const region = provider ? knownValue<string>(provider.props, "region") : undefined;
        const partition = configured || (region ? partitionOfRegion(region) : "aws");
        for (const r of args.resources.filter((x) => x.type.startsWith("aws:"))) {
            const found = new Set<string>();
            arnPartitions(rawProps(r.props), found);
            const wrong = [...found].filter((p) => p !== partition);
            if (wrong.length > 0) {
                report(
                    `${label(r.type, r.name)}: ARN in partition ${wrong.join(", ")} in a stack in ${partition}. Fix: build it with aws.getPartitionOutput().partition.`,
                    r.urn,
                );
            }
        }
    },
};
