// What AWS's API accepts for each Pulumi property, as constraints generated from AWS's own API models (botocore's
// service-2.json: min, max, pattern, enum, required per API member; constraints.generated.ts, refreshed by
// `npm run aws-models:refresh`). AWS judges these when `pulumi up` calls the API, after any preview, so a value
// that breaks one would fail the deploy. One source for the offline check, the pack and the program's config.
// Unknown values (outputs of other resources in a preview) are never judged.

/** Where in a Pulumi property the API member's value sits. */
export type ConstraintTarget = "value" | "items" | "keys" | "values";

/** One API member's constraints, on the Pulumi property it is sent from. */
export interface ApiConstraint {
    /** Pulumi property (top-level input). */
    readonly property: string;
    /** The value itself, each item of a list, or each key / value of a map (tags, dimensions). */
    readonly target: ConstraintTarget;
    /** `<service> <Operation>.<Member path>`, e.g. `iam CreateRole.Path`, as AWS names it in its errors. */
    readonly member: string;
    /** Lengths of strings, item counts of lists and maps. */
    readonly minLength?: number;
    readonly maxLength?: number;
    /** Numeric range. */
    readonly min?: number;
    readonly max?: number;
    /** The model's pattern (Java regex), matched against the whole value, as AWS matches it. */
    readonly pattern?: string;
    /** The pattern as an ECMAScript source for `new RegExp(source, "u")`, anchored. */
    readonly jsPattern?: string;
    readonly enum?: readonly string[];
    readonly required?: boolean;
}

export interface Failure {
    readonly property: string;
    readonly reason: string;
}

/** Judging values: `isUnknown(v)` says whether a value (or a part of it) is still unknown in a preview. */
export type IsUnknown = (v: unknown) => boolean;

const compiled = new Map<string, RegExp>();
function regex(source: string): RegExp {
    let r = compiled.get(source);
    if (r === undefined) {
        r = new RegExp(source, "u");
        compiled.set(source, r);
    }
    return r;
}

/** The member's path as AWS's ValidationException names it ('roleName', 'userIds.member'; without list indexes). */
function awsMemberName(member: string): string {
    return member
        .split(" ")[1]
        .split(".")
        .slice(1)
        .map((step) => step.charAt(0).toLowerCase() + step.slice(1))
        .join(".");
}

/**
 * AWS's own wording (its ValidationException: "Value at '<member>' failed to satisfy constraint: Member must
 * ...") without the value, so that secrets are never printed.
 */
function refusal(c: ApiConstraint, constraint: string): string {
    return `AWS's ${c.member.split(".")[0]} would refuse it at \`pulumi up\`: Value at '${awsMemberName(c.member)}' failed to satisfy constraint: Member must ${constraint}`;
}

function judgeScalar(c: ApiConstraint, v: unknown): string | undefined {
    if (typeof v === "string") {
        if (c.minLength !== undefined && v.length < c.minLength) {
            return refusal(c, `have length greater than or equal to ${c.minLength}`);
        }
        if (c.maxLength !== undefined && v.length > c.maxLength) {
            return refusal(c, `have length less than or equal to ${c.maxLength}`);
        }
        if (c.enum !== undefined && !c.enum.includes(v)) {
            return refusal(c, `satisfy enum value set: [${c.enum.join(", ")}]`);
        }
        if (c.jsPattern !== undefined && !regex(c.jsPattern).test(v)) {
            return refusal(c, `satisfy regular expression pattern: ${c.pattern}`);
        }
        return undefined;
    }
    if (typeof v === "number") {
        if (c.min !== undefined && v < c.min) {
            return refusal(c, `have value greater than or equal to ${c.min}`);
        }
        if (c.max !== undefined && v > c.max) {
            return refusal(c, `have value less than or equal to ${c.max}`);
        }
    }
    return undefined;
}

function judgeCount(c: ApiConstraint, count: number): string | undefined {
    // The provider sends no empty list or map (it omits them), so only a non-empty one can break a minimum.
    if (c.minLength !== undefined && count > 0 && count < c.minLength) {
        return refusal(c, `have length greater than or equal to ${c.minLength}`);
    }
    if (c.maxLength !== undefined && count > c.maxLength) {
        return refusal(c, `have length less than or equal to ${c.maxLength}`);
    }
    return undefined;
}

/** The failures of one constraint on plain (secret-free) inputs. */
export function constraintFailures(
    c: ApiConstraint,
    inputs: Readonly<Record<string, unknown>>,
    isUnknown: IsUnknown,
): Failure[] {
    const v = inputs[c.property];
    if (v === undefined || v === null) {
        return c.required ? [{ property: c.property, reason: refusal(c, "not be null") }] : [];
    }
    if (c.target === "value") {
        // A list's or map's size is known even while some of its items are not.
        const reason = Array.isArray(v)
            ? judgeCount(c, v.length)
            : typeof v === "object"
              ? judgeCount(c, Object.keys(v).length)
              : isUnknown(v)
                ? undefined
                : judgeScalar(c, v);
        return reason ? [{ property: c.property, reason }] : [];
    }
    if (c.target === "items") {
        if (!Array.isArray(v)) {
            return [];
        }
        return v.flatMap((item, i) => {
            const reason = isUnknown(item) ? undefined : judgeScalar(c, item);
            return reason ? [{ property: `${c.property}[${i}]`, reason }] : [];
        });
    }
    // A map with some unknown entries: the known ones are judged (the unknown sentinel itself is a string).
    if (typeof v !== "object" || Array.isArray(v)) {
        return [];
    }
    return Object.entries(v as Record<string, unknown>).flatMap(([key, value]) => {
        const judged = c.target === "keys" ? key : value;
        const reason = isUnknown(judged) ? undefined : judgeScalar(c, judged);
        return reason ? [{ property: `${c.property}.${key}`, reason }] : [];
    });
}

/** Every failure of a type's constraints (an empty list for a type without any). */
export function apiConstraintFailures(
    constraints: readonly ApiConstraint[] | undefined,
    inputs: Readonly<Record<string, unknown>>,
    isUnknown: IsUnknown,
): Failure[] {
    return (constraints ?? []).flatMap((c) => constraintFailures(c, inputs, isUnknown));
}
