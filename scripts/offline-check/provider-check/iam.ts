// The AWS provider's Check for IAM, from terraform-provider-aws internal/service/iam/: role.go (name,
// name_prefix, path, max_session_duration, assume_role_policy), instance_profile.go, role_policy.go
// (validRolePolicyName), role_policy_attachment.go and policy.go, with internal/verify/validate.go
// (ValidIAMPolicyJSON, ValidARN).

import { conflictsWith, intBetween, stringLenBetween, stringMatch, validArn, validIamPolicyJson } from "./rules";
import { type CheckFailure, type Inputs, knownNumber, knownString } from "./values";

type Check = (inputs: Inputs) => CheckFailure[];

/** IAM names: letters, digits and +=,.@_- (role.go, instance_profile.go, role_policy.go, policy.go). */
const IAM_NAME = /^[\w+=,.@-]*$/;

function nameFailures(inputs: Inputs, max: number, prefixMax: number): CheckFailure[] {
    const name = knownString(inputs, "name");
    return [
        ...stringLenBetween("name", name, 1, max),
        ...stringMatch("name", name, IAM_NAME, "must match [\\w+=,.@-]"),
        ...stringLenBetween("namePrefix", knownString(inputs, "namePrefix"), 1, prefixMax),
        ...conflictsWith(inputs, "name", ["namePrefix"]),
    ];
}

const role: Check = (inputs) => [
    ...nameFailures(inputs, 64, 38),
    ...stringLenBetween("path", knownString(inputs, "path"), 0, 512),
    ...stringLenBetween("description", knownString(inputs, "description"), 0, 1000),
    ...intBetween("maxSessionDuration", knownNumber(inputs, "maxSessionDuration"), 3600, 43200),
    ...validIamPolicyJson("assumeRolePolicy", knownString(inputs, "assumeRolePolicy")),
];

// Prefix limits: the name's maximum less id.UniqueIDSuffixLength (26), e.g. instance_profile.go
// instanceProfileNamePrefixMaxLen = 128 - 26 = 102; role.go roleNamePrefixMaxLen = 64 - 26 = 38.
const instanceProfile: Check = (inputs) => [
    ...nameFailures(inputs, 128, 102),
    ...stringLenBetween("path", knownString(inputs, "path"), 0, 512),
];

const rolePolicy: Check = (inputs) => [
    ...nameFailures(inputs, 128, 102),
    ...validIamPolicyJson("policy", knownString(inputs, "policy")),
];

const policy: Check = (inputs) => [
    ...nameFailures(inputs, 128, 102),
    ...stringLenBetween("path", knownString(inputs, "path"), 0, 512),
    ...stringLenBetween("description", knownString(inputs, "description"), 0, 1000),
    ...validIamPolicyJson("policy", knownString(inputs, "policy")),
];

const rolePolicyAttachment: Check = (inputs) => validArn("policyArn", knownString(inputs, "policyArn"));

export const IAM_CHECKS: Readonly<Record<string, Check>> = {
    "aws:iam/role:Role": role,
    "aws:iam/instanceProfile:InstanceProfile": instanceProfile,
    "aws:iam/rolePolicy:RolePolicy": rolePolicy,
    "aws:iam/policy:Policy": policy,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": rolePolicyAttachment,
};
