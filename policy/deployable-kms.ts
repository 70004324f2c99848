// Deployability of KMS keys: a key policy the KMS API refuses at `pulumi up` although the provider's Check
// (and so a real preview) lets it through. Mandatory.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { keyPolicyLocksOut } from "./shared/iam-policy";
import { NO_CONFIG, forTypes, knownValue, label } from "./lib/util";

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
        // Wildcards and NotAction evaluated as IAM does (shared/iam-policy.ts); not JSON: the provider's Check refuses it first.
        const administers = keyPolicyLocksOut(text) !== true;
        if (!administers) {
            report(
                `${label(args.type, args.name)}: the key policy allows nobody kms:PutKeyPolicy; KMS refuses a policy that locks out the account's administrators. ` +
                    `Fix: add a statement allowing arn:<partition>:iam::<account>:root kms:*.`,
            );
        }
    }),
};
