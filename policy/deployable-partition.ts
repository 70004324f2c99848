// Deployability across AWS partitions: ARNs written for another partition than the stack's, which the APIs of
// aws-cn, aws-us-gov, ... refuse at `pulumi up` although the provider's Check lets them through. Mandatory.

import type { StackValidationPolicy } from "@pulumi/policy";
import { PARTITION_NAMES, partitionOfRegion } from "./shared/partitions";
import { type PolicyConfigSchema } from "./shared/policy-config";
import { knownValue, label, policyConfig, rawProps } from "./lib/util";

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
                "The stack's AWS partition; empty derives it from the aws provider's region (cn-* aws-cn, us-gov-* aws-us-gov, us-iso-* aws-iso, us-isob-* aws-iso-b, eu-isoe-* aws-iso-e, us-isof-* aws-iso-f, eusc-* aws-eusc, else aws: shared/partitions.ts).",
        },
    },
};

export { partitionOfRegion };

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
