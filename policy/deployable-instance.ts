// Deployability of EC2 instances: a root volume RunInstances refuses at `pulumi up` although the provider's
// Check (and so a real preview) lets it through. Mandatory.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type PolicyConfigSchema } from "./shared/policy-config";
import { T, configHint, forTypes, isUnknown, knownValue, label, policyConfig } from "./lib/util";

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
