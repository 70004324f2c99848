// The validators Terraform providers declare in their schemas, with the texts they fail with. Each helper takes
// the Pulumi property name and reports in the provider's words (Terraform attribute names, as the bridge
// passes them through). Sources:
// - SDKv2 helpers: github.com/hashicorp/terraform-plugin-sdk/v2 helper/validation/{strings,int}.go and
//   helper/schema/schema.go (ConflictsWith, ExactlyOneOf, AtLeastOneOf)
// - Plugin Framework validators: github.com/hashicorp/terraform-plugin-framework-validators
//   (int64validator.Between / AtLeast, resourcevalidator.ExactlyOneOf)
// - terraform-provider-aws internal/verify/validate.go (ValidARN, ValidIAMPolicyJSON) and
//   internal/types/cidr.go (ValidateCIDRBlock, ValidateIPv4CIDRBlock)

import { type CheckFailure, type Inputs, isSet, tfName } from "./values";
import { cidrNetwork } from "./cidr";

type Failures = CheckFailure[];
const fail = (property: string, reason: string): Failures => [{ property, reason }];

/** Go's %q of a []string: ["a" "b"]. */
const goQuotedList = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(" ")}]`;

export function stringLenBetween(property: string, v: string | undefined, min: number, max: number): Failures {
    if (v === undefined || (v.length >= min && v.length <= max)) {
        return [];
    }
    return fail(property, `expected length of ${tfName(property)} to be in the range (${min} - ${max}), got ${v}`);
}

export function stringIsNotEmpty(property: string, v: string | undefined): Failures {
    return v === "" ? fail(property, `expected "${tfName(property)}" to not be an empty string, got `) : [];
}

/** validation.StringInSlice (and enum.Validate, which wraps it). */
export function stringInSlice(
    property: string,
    v: string | undefined,
    allowed: readonly string[],
    ignoreCase = false,
): Failures {
    if (v === undefined) {
        return [];
    }
    const ok = ignoreCase ? allowed.some((a) => a.toLowerCase() === v.toLowerCase()) : allowed.includes(v);
    return ok ? [] : fail(property, `expected ${tfName(property)} to be one of ${goQuotedList(allowed)}, got ${v}`);
}

/** validation.StringMatch with a message (the provider's own wording in parentheses). */
export function stringMatch(property: string, v: string | undefined, pattern: RegExp, message: string): Failures {
    return v === undefined || pattern.test(v)
        ? []
        : fail(property, `invalid value for ${tfName(property)} (${message})`);
}

export function stringDoesNotMatch(
    property: string,
    v: string | undefined,
    pattern: RegExp,
    message: string,
): Failures {
    return v !== undefined && pattern.test(v)
        ? fail(property, `invalid value for ${tfName(property)} (${message})`)
        : [];
}

export function stringDoesNotContainAny(property: string, v: string | undefined, chars: string): Failures {
    if (v === undefined || ![...chars].some((c) => v.includes(c))) {
        return [];
    }
    return fail(
        property,
        `expected value of ${tfName(property)} to not contain any of ${JSON.stringify(chars)}, got ${v}`,
    );
}

export function intBetween(property: string, v: number | undefined, min: number, max: number): Failures {
    return v === undefined || (v >= min && v <= max)
        ? []
        : fail(property, `expected ${tfName(property)} to be in the range (${min} - ${max}), got ${v}`);
}

export function intAtLeast(property: string, v: number | undefined, min: number): Failures {
    return v === undefined || v >= min
        ? []
        : fail(property, `expected ${tfName(property)} to be at least (${min}), got ${v}`);
}

export function intAtMost(property: string, v: number | undefined, max: number): Failures {
    return v === undefined || v <= max
        ? []
        : fail(property, `expected ${tfName(property)} to be at most (${max}), got ${v}`);
}

export function intInSlice(property: string, v: number | undefined, allowed: readonly number[]): Failures {
    return v === undefined || allowed.includes(v)
        ? []
        : fail(property, `expected ${tfName(property)} to be one of [${allowed.join(" ")}], got ${v}`);
}

/** Plugin Framework int64validator.Between. */
export function frameworkIntBetween(property: string, v: number | undefined, min: number, max: number): Failures {
    return v === undefined || (v >= min && v <= max)
        ? []
        : fail(property, `Attribute ${tfName(property)} value must be between ${min} and ${max}, got: ${v}`);
}

/** Plugin Framework int64validator.AtLeast. */
export function frameworkIntAtLeast(property: string, v: number | undefined, min: number): Failures {
    return v === undefined || v >= min
        ? []
        : fail(property, `Attribute ${tfName(property)} value must be at least ${min}, got: ${v}`);
}

/** schema.Schema ConflictsWith: reported on `property` for each conflicting key that is also set. */
export function conflictsWith(inputs: Inputs, property: string, others: readonly string[]): Failures {
    if (!isSet(inputs, property)) {
        return [];
    }
    return others
        .filter((other) => isSet(inputs, other))
        .map((other) => ({ property, reason: `"${tfName(property)}": conflicts with ${tfName(other)}` }));
}

/** schema.Schema ExactlyOneOf (SDKv2). */
export function exactlyOneOf(inputs: Inputs, keys: readonly string[]): Failures {
    const set = keys.filter((k) => isSet(inputs, k));
    const list = keys.map(tfName).join(",");
    if (set.length === 0) {
        return fail(keys[0], `"${tfName(keys[0])}": one of \`${list}\` must be specified`);
    }
    if (set.length > 1) {
        return fail(
            set[0],
            `"${tfName(set[0])}": only one of \`${list}\` can be specified, but \`${set.map(tfName).join(",")}\` were specified.`,
        );
    }
    return [];
}

/** Plugin Framework resourcevalidator.ExactlyOneOf ("Invalid Attribute Combination"). */
export function frameworkExactlyOneOf(inputs: Inputs, keys: readonly string[]): Failures {
    const count = keys.filter((k) => isSet(inputs, k)).length;
    const list = `[${keys.map(tfName).join(",")}]`;
    if (count === 1) {
        return [];
    }
    return fail(
        "",
        count === 0
            ? `Invalid Attribute Combination: No attribute specified when one (and only one) of ${list} is required`
            : `Invalid Attribute Combination: ${count} attributes specified when one (and only one) of ${list} is required`,
    );
}

/** internal/types/cidr.go ValidateCIDRBlock / ValidateIPv4CIDRBlock (verify.ValidCIDRNetworkAddress & co.). */
export function cidrNetworkAddress(property: string, v: string | undefined, family: "any" | "ipv4" | "ipv6"): Failures {
    if (v === undefined) {
        return [];
    }
    const parsed = cidrNetwork(v);
    if (!parsed) {
        return fail(property, `"${v}" is not a valid CIDR block: invalid CIDR address: ${v}`);
    }
    if (family !== "any" && parsed.family !== family) {
        return fail(property, `"${v}" is not a valid ${family === "ipv4" ? "IPv4" : "IPv6"} CIDR block`);
    }
    return parsed.canonical
        ? []
        : fail(property, `"${v}" is not a valid CIDR block; did you mean "${parsed.network}"?`);
}

/** verify.ValidARN: arn.Parse's structure (arn:partition:service:region:account:resource). */
export function validArn(property: string, v: string | undefined): Failures {
    if (v === undefined || v === "") {
        return [];
    }
    if (!v.startsWith("arn:")) {
        return fail(property, `"${tfName(property)}" (${v}) is an invalid ARN: arn: invalid prefix`);
    }
    if (v.split(":").length < 6) {
        return fail(property, `"${tfName(property)}" (${v}) is an invalid ARN: arn: not enough sections`);
    }
    return [];
}

/** verify.ValidIAMPolicyJSON: a JSON object. */
export function validIamPolicyJson(property: string, v: string | undefined): Failures {
    if (v === undefined) {
        return [];
    }
    const name = tfName(property);
    if (v.trim() === "") {
        return fail(property, `"${name}" contains an invalid JSON policy: policy is empty`);
    }
    if (!v.trim().startsWith("{")) {
        return fail(property, `"${name}" contains an invalid JSON policy: not a JSON object`);
    }
    try {
        JSON.parse(v);
    } catch (error) {
        return fail(property, `"${name}" contains an invalid JSON policy: ${(error as Error).message}`);
    }
    return [];
}

/** Prefixes each failure's property with a nested path (`ingress[0].`). */
export function nested(prefix: string, failures: Failures): Failures {
    return failures.map((f) => ({ property: f.property ? `${prefix}.${f.property}` : prefix, reason: f.reason }));
}

/** A known, plain nested object of a list input, or undefined. */
export function knownObject(v: unknown): Inputs | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Inputs) : undefined;
}
