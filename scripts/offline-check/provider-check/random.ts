// pulumi-random's Check for RandomPassword, from hashicorp/terraform-provider-random
// internal/provider/resource_password.go (passwordSchemaV3: length int64validator.AtLeast(1) and
// AtLeastSumOf(min_upper, min_lower, min_numeric, min_special); min_* AtLeast(0)).

import { frameworkIntAtLeast } from "./rules";
import { type CheckFailure, type Inputs, knownNumber } from "./values";

const MINIMUMS = ["minUpper", "minLower", "minNumeric", "minSpecial"] as const;

const password = (inputs: Inputs): CheckFailure[] => {
    const length = knownNumber(inputs, "length");
    const failures: CheckFailure[] = [
        ...frameworkIntAtLeast("length", length, 1),
        ...MINIMUMS.flatMap((key) => frameworkIntAtLeast(key, knownNumber(inputs, key), 0)),
    ];
    const minimums = MINIMUMS.map((key) => knownNumber(inputs, key) ?? 0);
    const sum = minimums.reduce((a, b) => a + b, 0);
    if (length !== undefined && length >= 1 && length < sum) {
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
