// The AWS provider's Check for KMS keys, from terraform-provider-aws internal/service/kms/key.go.

import { intBetween, stringInSlice, stringLenBetween, validIamPolicyJson } from "./rules";
import { type CheckFailure, type Inputs, knownNumber, knownString } from "./values";

const key = (inputs: Inputs): CheckFailure[] => [
    ...intBetween("deletionWindowInDays", knownNumber(inputs, "deletionWindowInDays"), 7, 30),
    ...intBetween("rotationPeriodInDays", knownNumber(inputs, "rotationPeriodInDays"), 90, 2560),
    ...stringLenBetween("description", knownString(inputs, "description"), 0, 8192),
    ...stringInSlice("keyUsage", knownString(inputs, "keyUsage"), [
        "SIGN_VERIFY",
        "ENCRYPT_DECRYPT",
        "GENERATE_VERIFY_MAC",
        "KEY_AGREEMENT",
    ]),
    ...stringInSlice("customerMasterKeySpec", knownString(inputs, "customerMasterKeySpec"), [
        "RSA_2048",
        "RSA_3072",
        "RSA_4096",
        "ECC_NIST_P256",
        "ECC_NIST_P384",
        "ECC_NIST_P521",
        "ECC_SECG_P256K1",
        "ECC_NIST_EDWARDS25519",
        "SYMMETRIC_DEFAULT",
        "HMAC_224",
        "HMAC_256",
        "HMAC_384",
        "HMAC_512",
        "SM2",
        "ML_DSA_44",
        "ML_DSA_65",
        "ML_DSA_87",
    ]),
    ...validIamPolicyJson("policy", knownString(inputs, "policy")),
];

export const KMS_CHECKS: Readonly<Record<string, (inputs: Inputs) => CheckFailure[]>> = {
    "aws:kms/key:Key": key,
};
