// Policy configuration as a policy sees it. Pure: no Pulumi imports.
//
// Who validates what, in the real engine: @pulumi/policy never validates config. The Pulumi CLI
// (pkg/resource/analyzer/config.go, ReconcilePolicyPackConfig) fills every policy's schema defaults, overlays
// the `--policy-pack-config` file, validates each policy's properties against its schema and sends the result
// to the pack's Configure RPC; the offline checker reproduces that in scripts/offline-check/analyzer/policy-config.ts, with
// `schemaDefaults` and `policyConfigProblems` from here. `resolvePolicyConfig` is what each policy runs on
// `getConfig()`: it re-applies defaults (the pack may be served without Configure) and applies the same
// checks, so a value that bypassed the CLI, or a typo, cannot silently fall back to a default.

import { type JsonSchema, type JsonValue, PROTOTYPE_KEYS, validateJsonSchema } from "./json-schema";

export interface PolicyConfigSchema {
    properties: Record<string, JsonSchema>;
    required?: string[];
}

/** The schema defaults of a policy, as the CLI's createConfigWithDefaults computes them. */
export function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, JsonValue> {
    const result: Record<string, JsonValue> = {};
    for (const [k, s] of Object.entries(schema?.properties ?? {})) {
        if (s.default !== undefined) {
            result[k] = structuredClone(s.default);
        }
    }
    return result;
}

/**
 * The problems with a policy's complete properties (defaults already applied), each "<policy>: <key>...: <problem>"
 * naming the value and what is allowed. Stricter than the CLI, which ignores keys the schema does not declare:
 * in a repository such a key can only be a typo or a stale entry.
 */
export function policyConfigProblems(
    policyName: string,
    schema: PolicyConfigSchema | undefined,
    props: Record<string, unknown>,
): string[] {
    const declared = schema?.properties ?? {};
    const problems: string[] = [];
    for (const [key, value] of Object.entries(props)) {
        if (PROTOTYPE_KEYS.includes(key)) {
            problems.push(`${policyName}: ${key}: is not allowed (it names an object's prototype, not a setting)`);
            continue;
        }
        const keySchema = Object.prototype.hasOwnProperty.call(declared, key) ? declared[key] : undefined;
        if (!keySchema) {
            const known = Object.keys(declared);
            problems.push(
                `${policyName}: ${key}: the policy has no such setting` +
                    (known.length > 0 ? ` (settings: ${known.join(", ")})` : " (it takes no settings)"),
            );
            continue;
        }
        for (const problem of validateJsonSchema(keySchema, value)) {
            problems.push(`${policyName}: ${key}${problem}`);
        }
    }
    for (const key of schema?.required ?? []) {
        if (!Object.prototype.hasOwnProperty.call(props, key)) {
            problems.push(`${policyName}: ${key}: is required`);
        }
    }
    problems.push(...rangeProblems(policyName, props));
    return problems;
}

export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

/**
 * What a policy does with `args.getConfig()`: defaults first, then the given values, then the checks of
 * `policyConfigProblems`. Throws PolicyConfigError naming the policy, key, value and the allowed values.
 */
export function resolvePolicyConfig<T>(
    policyName: string,
    schema: PolicyConfigSchema,
    given: Record<string, unknown>,
): T {
    const merged: Record<string, unknown> = { ...schemaDefaults(schema), ...given };
    const problems = policyConfigProblems(policyName, schema, merged);
    if (problems.length > 0) {
        throw new PolicyConfigError(`invalid policy config: ${problems.join("; ")}`);
    }
    return merged as T;
}

/**
 * Settings named `min<X>` and `max<X>` bound one range (minDays/maxDays of the retention policy): an inverted
 * range accepts nothing, so it is a config error naming both keys, not a policy that fails on every resource.
 */
export function rangeProblems(policyName: string, props: Record<string, unknown>): string[] {
    const problems: string[] = [];
    for (const [key, min] of Object.entries(props)) {
        const suffix = /^min([A-Z]\w*)$/.exec(key)?.[1];
        const max = suffix === undefined ? undefined : props[`max${suffix}`];
        if (typeof min === "number" && typeof max === "number" && min > max) {
            problems.push(`${policyName}: ${key} (${min}) is greater than max${suffix} (${max}): no value fits`);
        }
    }
    return problems;
}
