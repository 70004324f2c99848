// The AWS provider's Configure, as far as it refuses without calling AWS: the region must be one the provider
// knows, unless `skipRegionValidation` is set. Sources: terraform-provider-aws internal/conns/config.go (region
// validation unless skip_region_validation) with hashicorp/aws-sdk-go-base ValidateRegion ("Invalid AWS Region:
// %s", every region of the provider's partitions). The region list is the installed SDK's `aws.Region` enum
// (@pulumi/aws types/enums), generated from the same provider release, so it is as current as the provider.

import { Region } from "@pulumi/aws/types/enums";
import { type CheckFailure, type Inputs, knownBool, knownString } from "./values";

/** Every region the installed AWS provider knows. */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

const awsProvider = (inputs: Inputs): CheckFailure[] => {
    const region = knownString(inputs, "region");
    if (region === undefined || region === "" || knownBool(inputs, "skipRegionValidation", false) !== false) {
        return [];
    }
    return AWS_REGIONS.includes(region) ? [] : [{ property: "region", reason: `Invalid AWS Region: ${region}` }];
};

/** Configure checks per provider type (`pulumi:providers:<package>`). */
export const CONFIGURE_CHECKS: Readonly<Record<string, (inputs: Inputs) => CheckFailure[]>> = {
    "pulumi:providers:aws": awsProvider,
};
