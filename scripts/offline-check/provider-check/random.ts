// pulumi-random's Check for RandomPassword, from hashicorp/terraform-provider-random
// internal/provider/resource_password.go (passwordSchemaV3: length int64validator.AtLeast(1) and
// AtLeastSumOf(min_upper, min_lower, min_numeric, min_special); min_* AtLeast(0)).

import { frameworkIntAtLeast } from "./rules";
import { type CheckFailure, type Inputs, isSet, knownNumber } from "./values";

const MINIMUMS = ["minUpper", "minLower", "minNumeric", "minSpecial"] as const;

const password = (inputs: Inputs): CheckFailure[] => {
    const length = knownNumber(inputs, "length");
    const failures: CheckFailure[] = [
        ...frameworkIntAtLeast("length", length, 1),
        ...MINIMUMS.flatMap((key) => frameworkIntAtLeast(key, knownNumber(inputs, key), 0)),
    ];
    // int64validator.AtLeastSumOf returns without a verdict when any summed attribute is unknown.
    const unknownMinimum = MINIMUMS.some((key) => isSet(inputs, key) && knownNumber(inputs, key) === undefined);
    const sum = MINIMUMS.reduce((total, key) => total + (knownNumber(inputs, key) ?? 0), 0);
    if (length !== undefined && length >= 1 && !unknownMinimum && length < sum) {
        failures.push({
            property: "length",
            reason: `Attribute length value must be at least sum of min_upper + min_lower + min_numeric + min_special, got: ${length}`,
        });
    }
    return failures;
};

export const RANDOM_CHECKS: Readonly<Record<string, (inputs: Inputs) => CheckFailure[]>> = {
    "random:index/randomPassword:RandomPassword": password,
};
