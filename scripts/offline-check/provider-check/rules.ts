// The validators Terraform providers declare in their schemas, with the texts they fail with. Each helper takes
// the Pulumi property name and reports in the provider's words (Terraform attribute names, as the bridge
// passes them through). Sources:
// - SDKv2 helpers: github.com/hashicorp/terraform-plugin-sdk/v2 helper/validation/{strings,int}.go and
//   helper/schema/schema.go (ConflictsWith, ExactlyOneOf, AtLeastOneOf)
// - Plugin Framework validators: github.com/hashicorp/terraform-plugin-framework-validators
//   (int64validator.Between / AtLeast, resourcevalidator.ExactlyOneOf)
// - terraform-provider-aws internal/verify/validate.go (ValidARN, ValidIAMPolicyJSON) and
//   internal/types/cidr.go (ValidateCIDRBlock, ValidateIPv4CIDRBlock)

import { type CheckFailure, type Inputs, hasUnknown, isSet, tfName } from "./values";
import { cidrNetwork } from "./cidr";
import { isSecret, UNKNOWN } from "./wire";

type Failures = CheckFailure[];
const fail = (property: string, reason: string): Failures => [{ property, reason }];
/** A failure whose verdict is structural (CheckFailure.structural). */
const structural = (failures: Failures): Failures => failures.map((f) => ({ ...f, structural: true }));

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

/** The value itself is unknown (hcl2shim.UnknownVariableValue), not merely a list or object holding one. */
function wholeUnknown(v: unknown): boolean {
    return v === UNKNOWN || (isSecret(v) && v.value === UNKNOWN);
}

/** Set in the config with a wholly known value (terraform-plugin-sdk helper/schema isWhollyKnown). */
function isKnownSet(inputs: Inputs, key: string): boolean {
    return isSet(inputs, key) && !hasUnknown(inputs[key]);
}

/**
 * schema.Schema ConflictsWith: reported on `property` for each conflicting key that is also set. The SDK checks it
 * only when the property's value is wholly known and skips conflicting keys whose value is unknown
 * (helper/schema/schema.go validate / validateConflictingAttributes).
 */
export function conflictsWith(inputs: Inputs, property: string, others: readonly string[]): Failures {
    if (!isKnownSet(inputs, property)) {
        return [];
    }
    return structural(
        others
            .filter((other) => isKnownSet(inputs, other))
            .map((other) => ({ property, reason: `"${tfName(property)}": conflicts with ${tfName(other)}` })),
    );
}

/**
 * schema.Schema ExactlyOneOf (SDKv2, helper/schema/schema.go validateExactlyOneAttribute): an unknown value is
 * neither counted as specified nor as missing, so "must be specified" needs every key absent, and "only one"
 * needs two known values.
 */
export function exactlyOneOf(inputs: Inputs, keys: readonly string[]): Failures {
    const set = keys.filter((k) => isSet(inputs, k) && !wholeUnknown(inputs[k]));
    const unknown = keys.some((k) => wholeUnknown(inputs[k]));
    const list = keys.map(tfName).join(",");
    if (set.length === 0 && !unknown) {
        return structural(fail(keys[0], `"${tfName(keys[0])}": one of \`${list}\` must be specified`));
    }
    if (set.length > 1) {
        return structural(
            fail(
                set[0],
                `"${tfName(set[0])}": only one of \`${list}\` can be specified, but \`${set.map(tfName).join(",")}\` were specified.`,
            ),
        );
    }
    return [];
}

/**
 * Plugin Framework resourcevalidator.ExactlyOneOf ("Invalid Attribute Combination"); it returns without a verdict
 * when any of the attributes is unknown (terraform-plugin-framework-validators internal/schemavalidator).
 */
export function frameworkExactlyOneOf(inputs: Inputs, keys: readonly string[]): Failures {
    if (keys.some((k) => isSet(inputs, k) && hasUnknown(inputs[k]))) {
        return [];
    }
    const count = keys.filter((k) => isSet(inputs, k)).length;
    const list = `[${keys.map(tfName).join(",")}]`;
    if (count === 1) {
        return [];
    }
    return structural(
        fail(
            "",
            count === 0
                ? `Invalid Attribute Combination: No attribute specified when one (and only one) of ${list} is required`
                : `Invalid Attribute Combination: ${count} attributes specified when one (and only one) of ${list} is required`,
        ),
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

/** validation.IsCIDRNetwork(min, max) (terraform-plugin-sdk helper/validation/network.go): the exact network string. */
export function isCidrNetwork(property: string, v: string | undefined, min: number, max: number): Failures {
    if (v === undefined) {
        return [];
    }
    const k = tfName(property);
    const parsed = cidrNetwork(v);
    if (!parsed) {
        return fail(property, `expected ${k} to contain a valid Value, got: ${v} with err: invalid CIDR address: ${v}`);
    }
    const failures: Failures = [];
    if (parsed.network !== v) {
        failures.push({
            property,
            reason: `expected ${k} to contain a valid network Value, expected ${parsed.network}, got ${v}`,
        });
    }
    const bits = Number(parsed.network.split("/")[1]);
    if (bits < min || bits > max) {
        failures.push({
            property,
            reason: `expected "${k}" to contain a network Value with between ${min} and ${max} significant bits, got: ${bits}`,
        });
    }
    return failures;
}

// internal/verify/validate.go ValidARNCheck's patterns.
const ARN_PARTITION = /^aws(-[a-z]+)*$/;
const ARN_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ARN_ACCOUNT = /^(aws|aws-managed|third-party|\d{12}|cw.{10})$/;

/**
 * verify.ValidARN: aws-sdk-go arn.Parse (prefix `arn:`, six `:`-separated sections), then a partition matching
 * `^aws(-[a-z]+)*$`, an empty or well-formed region and account ID, and a resource.
 */
export function validArn(property: string, v: string | undefined): Failures {
    if (v === undefined || v === "") {
        return [];
    }
    const k = `"${tfName(property)}"`;
    if (!v.startsWith("arn:")) {
        return fail(property, `${k} (${v}) is an invalid ARN: arn: invalid prefix`);
    }
    const sections = v.split(":");
    if (sections.length < 6) {
        return fail(property, `${k} (${v}) is an invalid ARN: arn: not enough sections`);
    }
    const [, partition, , region, account] = sections;
    const resource = sections.slice(5).join(":");
    const failures: Failures = [];
    if (partition === "") {
        failures.push({ property, reason: `${k} (${v}) is an invalid ARN: missing partition value` });
    } else if (!ARN_PARTITION.test(partition)) {
        failures.push({
            property,
            reason: `${k} (${v}) is an invalid ARN: invalid partition value (expecting to match regular expression: ${ARN_PARTITION.source})`,
        });
    }
    if (region !== "" && !ARN_REGION.test(region)) {
        failures.push({
            property,
            reason: `${k} (${v}) is an invalid ARN: invalid region value (expecting to match regular expression: ${ARN_REGION.source})`,
        });
    }
    if (account !== "" && !ARN_ACCOUNT.test(account)) {
        failures.push({
            property,
            reason: `${k} (${v}) is an invalid ARN: invalid account ID value (expecting to match regular expression: ${ARN_ACCOUNT.source})`,
        });
    }
    if (resource === "") {
        failures.push({ property, reason: `${k} (${v}) is an invalid ARN: missing resource value` });
    }
    return failures;
}

/**
 * verify.ValidIAMPolicyJSON: not empty, starting with `{` (a leading space, a JSON string or array each have
 * their own message), valid JSON, and no duplicate keys at any depth (aws-sdk-go-base validation
 * JSONNoDuplicateKeys, `duplicate key "Statement.0.Effect"`).
 */
export function validIamPolicyJson(property: string, v: string | undefined): Failures {
    return structural(iamPolicyJsonFailures(property, v));
}

function iamPolicyJsonFailures(property: string, v: string | undefined): Failures {
    if (v === undefined) {
        return [];
    }
    const k = `"${tfName(property)}"`;
    if (v.length < 1) {
        return fail(property, `${k} is an empty string, which is not a valid JSON value`);
    }
    const first = v[0];
    if (first !== "{") {
        const why =
            first === " " || first === "\t" || first === "\r" || first === "\n"
                ? "leading space characters are not allowed"
                : first === '"'
                  ? "contains a JSON-encoded string, not a JSON-encoded object"
                  : first === "["
                    ? "contains a JSON array, not a JSON object"
                    : "not a JSON object";
        return fail(property, `${k} contains an invalid JSON policy: ${why}`);
    }
    try {
        JSON.parse(v);
    } catch (error) {
        return fail(property, `${k} contains an invalid JSON policy: ${(error as Error).message}`);
    }
    const duplicates = duplicateJsonKeys(v);
    return duplicates.length > 0
        ? fail(
              property,
              `${k} contains duplicate JSON keys: ${duplicates.map((d) => `duplicate key "${d}"`).join("\n")}`,
          )
        : [];
}

/** The dotted paths of keys repeated within one object of a valid JSON text (array items by index). */
export function duplicateJsonKeys(text: string): string[] {
    let i = 0;
    const found: string[] = [];
    const ws = () => {
        while (i < text.length && " \t\r\n".includes(text[i])) i++;
    };
    const str = (): string => {
        const start = i;
        i++;
        while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
        i++;
        return JSON.parse(text.slice(start, i)) as string;
    };
    const value = (path: string[]): void => {
        ws();
        if (text[i] === "{") {
            i++;
            const keys = new Set<string>();
            ws();
            while (text[i] !== "}") {
                ws();
                const key = str();
                if (keys.has(key)) found.push([...path, key].join("."));
                keys.add(key);
                ws();
                i++; // ':'
                value([...path, key]);
                ws();
                if (text[i] === ",") i++;
                ws();
            }
            i++;
        } else if (text[i] === "[") {
            i++;
            let index = 0;
            ws();
            while (text[i] !== "]") {
                value([...path, String(index++)]);
                ws();
                if (text[i] === ",") i++;
                ws();
            }
            i++;
        } else if (text[i] === '"') {
            str();
        } else {
            while (i < text.length && !",}] \t\r\n".includes(text[i])) i++;
        }
    };
    value([]);
    return found;
}

/** Prefixes each failure's property with a nested path (`ingress[0].`). */
export function nested(prefix: string, failures: Failures): Failures {
    return failures.map((f) => ({ property: f.property ? `${prefix}.${f.property}` : prefix, reason: f.reason }));
}

/** A known, plain nested object of a list input, or undefined. */
export function knownObject(v: unknown): Inputs | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Inputs) : undefined;
}
