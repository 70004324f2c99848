// Auto-naming as pulumi-aws does it during Check, so that the checker's policies (and the provider rules after
// it) see the names a real preview shows. Sources:
// - pulumi/pulumi-aws provider/resources.go: per-type overrides, e.g. aws_elasticache_replication_group
//   `replication_group_id: tfbridge.AutoNameTransform("replicationGroupId", 40, strings.ToLower)`,
//   aws_iam_role `name: tfbridge.AutoName("name", 64, "-")`;
// - pulumi/pulumi-aws provider/autonaming.go setAutonaming: every other resource with an input `name` gets
//   `tfbridge.AutoName("name", 255, "-")`;
// - pulumi/pulumi-terraform-bridge pkg/tfbridge/names.go ComputeAutoNameDefault: the URN's name, transformed,
//   plus the separator and 7 random characters (Randlen 7, hex digits by default) from
//   pulumi/pulumi sdk/go/common/resource/names.go NewUniqueName, which fails with
//   "name '<prefix>' plus 7 random chars is longer than maximum length <max>".

import { createHash, randomBytes } from "crypto";
import { type CheckFailure, type Inputs, isSet } from "./values";

export interface AutoNameRule {
    /** The Pulumi property that gets the name. */
    readonly property: string;
    readonly maxLength: number;
    /** Applied to the logical name before the suffix (AutoNameTransform). */
    readonly transform?: (name: string) => string;
}

/** Random characters the bridge appends (AutoNameOptions.Randlen). */
export const AUTO_NAME_RANDOM_LENGTH = 7;

const NAME_255: AutoNameRule = { property: "name", maxLength: 255 };

/** The auto-named property of each type the program declares (types without one are absent). */
export const AUTO_NAMES: Readonly<Record<string, AutoNameRule>> = {
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        property: "replicationGroupId",
        maxLength: 40,
        transform: (name) => name.toLowerCase(),
    },
    "aws:elasticache/cluster:Cluster": {
        property: "clusterId",
        maxLength: 50,
        transform: (name) => name.toLowerCase(),
    },
    "aws:elasticache/parameterGroup:ParameterGroup": NAME_255,
    "aws:elasticache/subnetGroup:SubnetGroup": NAME_255,
    "aws:ec2/securityGroup:SecurityGroup": NAME_255,
    "aws:iam/role:Role": { property: "name", maxLength: 64 },
    "aws:iam/instanceProfile:InstanceProfile": NAME_255,
    "aws:iam/policy:Policy": NAME_255,
    "aws:iam/rolePolicy:RolePolicy": NAME_255,
    "aws:cloudwatch/logGroup:LogGroup": NAME_255,
    "aws:ssm/parameter:Parameter": NAME_255,
    // provider/resources.go aws_cloudwatch_metric_alarm `alarm_name: tfbridge.AutoName("name", 255)`; aws_sns_topic
    // takes setAutonaming's default (no `.fifo` suffix: a FIFO topic needs an explicit name, aws-api/documented.ts).
    "aws:cloudwatch/metricAlarm:MetricAlarm": NAME_255,
    "aws:sns/topic:Topic": NAME_255,
};

/**
 * The random suffix source: the real engine draws from a per-resource random seed; tests pass a fixed seed so
 * that names are reproducible (sha256 of seed and URN, as hex like the bridge's default charset).
 */
export type SuffixSource = (urn: string) => string;

export function randomSuffix(): SuffixSource {
    return () => randomBytes(4).toString("hex").slice(0, AUTO_NAME_RANDOM_LENGTH);
}

export function seededSuffix(seed: string): SuffixSource {
    return (urn) => createHash("sha256").update(`${seed}\0${urn}`).digest("hex").slice(0, AUTO_NAME_RANDOM_LENGTH);
}

/** The logical name of a URN: everything after its type (names may contain "::", as URN.Name() allows). */
export function urnName(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

/**
 * The inputs with the auto-named property filled in (when the program left it unset), or the failure the
 * bridge reports when the logical name is too long for a suffix.
 */
export function autoName(
    type: string,
    urn: string,
    inputs: Inputs,
    suffix: SuffixSource,
): { inputs: Inputs; failures: CheckFailure[] } {
    const rule = AUTO_NAMES[type];
    // The bridge applies no default to a property when one it conflicts with is set: `name` conflicts with
    // `name_prefix` in every schema here that has both.
    if (!rule || isSet(inputs, rule.property) || (rule.property === "name" && isSet(inputs, "namePrefix"))) {
        return { inputs, failures: [] };
    }
    const base = rule.transform ? rule.transform(urnName(urn)) : urnName(urn);
    const prefix = `${base}-`;
    if (prefix.length + AUTO_NAME_RANDOM_LENGTH > rule.maxLength) {
        return {
            inputs,
            failures: [
                {
                    property: "",
                    reason: `could not make instance of '${type}': name '${prefix}' plus ${AUTO_NAME_RANDOM_LENGTH} random chars is longer than maximum length ${rule.maxLength}`,
                },
            ],
        };
    }
    return { inputs: { ...inputs, [rule.property]: prefix + suffix(urn) }, failures: [] };
}
