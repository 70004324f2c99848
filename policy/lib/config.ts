// Policy configuration: a JSON-schema subset validator and the Pulumi CLI's reconciliation rules.
// Pure: no Pulumi imports.
//
// Who validates what, in the real engine: @pulumi/policy never validates config. The Pulumi CLI
// (pkg/resource/analyzer/config.go, ReconcilePolicyPackConfig) fills every policy's schema
// defaults, overlays the `--policy-pack-config` file (an "all" level first, then per policy),
// validates each policy's properties with gojsonschema against {type: object, properties, required},
// and sends the result to the pack's Configure RPC. `reconcilePolicyPackConfig` reproduces that for
// callers without a CLI (the offline checker, tests), and `resolvePolicyConfig` is what each policy
// runs on `getConfig()`: it re-applies defaults (the pack may be served without Configure) and
// rejects bad values and unknown keys, so a typo cannot silently fall back to a default.

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** The JSON-schema keywords this pack's schemas may use; others are refused, not ignored. */
export interface JsonSchema {
    type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
    description?: string;
    title?: string;
    default?: JsonValue;
    enum?: JsonValue[];
    minimum?: number;
    maximum?: number;
    minLength?: number;
    maxLength?: number;
    pattern?: string;
    items?: JsonSchema;
    minItems?: number;
    maxItems?: number;
    uniqueItems?: boolean;
    properties?: Record<string, JsonSchema>;
    required?: string[];
    additionalProperties?: boolean;
}

export interface PolicyConfigSchema {
    properties: Record<string, JsonSchema>;
    required?: string[];
}

const KNOWN_KEYWORDS = new Set<string>([
    "type", "description", "title", "default", "enum", "minimum", "maximum", "minLength", "maxLength",
    "pattern", "items", "minItems", "maxItems", "uniqueItems", "properties", "required", "additionalProperties",
]);

/** Throws if a schema uses a keyword this validator would not enforce (so it can't be silently weaker). */
export function assertSupportedSchema(schema: JsonSchema, path = "schema"): void {
    for (const k of Object.keys(schema)) {
        if (!KNOWN_KEYWORDS.has(k)) {
            throw new Error(`${path}: JSON-schema keyword "${k}" is not supported; use ${[...KNOWN_KEYWORDS].join(", ")}`);
        }
    }
    if (schema.items) {
        assertSupportedSchema(schema.items, `${path}.items`);
    }
    for (const [k, s] of Object.entries(schema.properties ?? {})) {
        assertSupportedSchema(s, `${path}.properties.${k}`);
    }
}

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

function show(v: unknown): string {
    return JSON.stringify(v) ?? String(v);
}

/** Validates `value` against `schema`; returns messages "<path>: <problem>", empty when valid. */
export function validateSchema(schema: JsonSchema, value: unknown, path: string): string[] {
    const errors: string[] = [];
    const t = typeOf(value);
    if (schema.type !== undefined) {
        const ok = schema.type === t || (schema.type === "number" && t === "integer");
        if (!ok) {
            return [`${path}: expected ${schema.type}, got ${t} ${show(value)}`];
        }
    }
    if (schema.enum && !schema.enum.some(e => show(e) === show(value))) {
        errors.push(`${path}: ${show(value)} is not one of ${schema.enum.map(show).join(", ")}`);
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) {
            errors.push(`${path}: ${value} is below the minimum ${schema.minimum}`);
        }
        if (schema.maximum !== undefined && value > schema.maximum) {
            errors.push(`${path}: ${value} is above the maximum ${schema.maximum}`);
        }
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength) {
            errors.push(`${path}: ${show(value)} is shorter than ${schema.minLength} characters`);
        }
        if (schema.maxLength !== undefined && value.length > schema.maxLength) {
            errors.push(`${path}: ${show(value)} is longer than ${schema.maxLength} characters`);
        }
        if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
            errors.push(`${path}: ${show(value)} does not match ${schema.pattern}`);
        }
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) {
            errors.push(`${path}: has ${value.length} items, at least ${schema.minItems} required`);
        }
        if (schema.maxItems !== undefined && value.length > schema.maxItems) {
            errors.push(`${path}: has ${value.length} items, at most ${schema.maxItems} allowed`);
        }
        if (schema.uniqueItems) {
            const seen = new Set<string>();
            for (const item of value) {
                const k = show(item);
                if (seen.has(k)) {
                    errors.push(`${path}: ${k} appears more than once`);
                }
                seen.add(k);
            }
        }
        if (schema.items) {
            value.forEach((item, i) => errors.push(...validateSchema(schema.items as JsonSchema, item, `${path}[${i}]`)));
        }
    }
    if (t === "object") {
        const obj = value as Record<string, unknown>;
        for (const r of schema.required ?? []) {
            if (!(r in obj)) {
                errors.push(`${path}: "${r}" is required`);
            }
        }
        for (const [k, v] of Object.entries(obj)) {
            const sub = schema.properties?.[k];
            if (sub) {
                errors.push(...validateSchema(sub, v, `${path}.${k}`));
            } else if (schema.additionalProperties === false) {
                errors.push(`${path}: unknown key "${k}"; allowed keys: ${Object.keys(schema.properties ?? {}).join(", ")}`);
            }
        }
    }
    return errors;
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

export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

/**
 * What a policy does with `args.getConfig()`: defaults first, then the given values, then a strict
 * check (schema plus unknown keys). Throws PolicyConfigError naming the policy, key, value and the
 * allowed values.
 */
export function resolvePolicyConfig<T>(policyName: string, schema: PolicyConfigSchema, given: Record<string, unknown>): T {
    const merged: Record<string, unknown> = { ...schemaDefaults(schema), ...given };
    const strict: JsonSchema = { type: "object", properties: schema.properties, required: schema.required, additionalProperties: false };
    const errors = validateSchema(strict, merged, policyName);
    if (errors.length > 0) {
        throw new PolicyConfigError(`invalid policy config: ${errors.join("; ")}`);
    }
    return merged as T;
}

export interface PolicyMeta {
    name: string;
    enforcementLevel?: EnforcementLevel;
    configSchema?: PolicyConfigSchema;
}

export interface ReconciledPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, JsonValue>;
}

export interface ReconcileResult {
    /** Per policy: level and properties, defaults filled in; empty when `errors` is not. */
    config: Record<string, ReconciledPolicyConfig>;
    /** "<policy>: <problem>", as the CLI reports them; non-empty means the CLI would refuse to run. */
    errors: string[];
}

/**
 * Parses a `--policy-pack-config` file's content (`{ "<policy>": "<level>" | { enforcementLevel?, ...props } }`)
 * and reconciles it with the policies' defaults like the Pulumi CLI. `packLevel` is the pack's
 * default level for policies that set none (@pulumi/policy uses "advisory").
 */
export function reconcilePolicyPackConfig(
    policies: readonly PolicyMeta[],
    file: unknown,
    packLevel: EnforcementLevel = "advisory",
): ReconcileResult {
    const errors: string[] = [];
    const config: Record<string, ReconciledPolicyConfig> = {};
    for (const p of policies) {
        config[p.name] = { enforcementLevel: p.enforcementLevel ?? packLevel, properties: schemaDefaults(p.configSchema) };
    }
    if (file !== undefined && file !== null) {
        if (typeof file !== "object" || Array.isArray(file)) {
            return { config: {}, errors: [`policy pack config must be a JSON object, got ${show(file)}`] };
        }
        const entries = Object.entries(file as Record<string, unknown>);
        // "all" first, whatever its position in the file, as the CLI does.
        entries.sort(([a], [b]) => (a === "all" ? -1 : b === "all" ? 1 : 0));
        for (const [name, value] of entries) {
            let level: unknown;
            let props: Record<string, JsonValue> = {};
            if (typeof value === "string") {
                level = value;
            } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
                const { enforcementLevel, ...rest } = value as Record<string, JsonValue>;
                level = enforcementLevel;
                props = rest;
            } else {
                errors.push(`parsing ${show(name)}: ${show(value)} is not a valid value; must be a string or object`);
                continue;
            }
            if (level !== undefined && !ENFORCEMENT_LEVELS.includes(level as EnforcementLevel)) {
                errors.push(`parsing enforcement level for ${show(name)}: ${show(level)} is not a valid enforcement level; ` +
                    `use one of ${ENFORCEMENT_LEVELS.join(", ")}`);
                continue;
            }
            if (name === "all") {
                if (level !== undefined) {
                    for (const c of Object.values(config)) {
                        c.enforcementLevel = level as EnforcementLevel;
                    }
                }
                continue;
            }
            const target = config[name];
            if (!target) {
                // The CLI keeps config for policies the pack doesn't have; it has no effect. Flag it, since
                // in a repository it can only be a typo or a stale entry.
                errors.push(`${name}: no such policy in the pack; policies: ${policies.map(p => p.name).join(", ")}`);
                continue;
            }
            if (level !== undefined) {
                target.enforcementLevel = level as EnforcementLevel;
            }
            Object.assign(target.properties, props);
        }
    }
    for (const p of policies) {
        if (!p.configSchema) continue;
        // Stricter than the CLI (which allows unknown keys): resolvePolicyConfig refuses them at run time anyway.
        const schema: JsonSchema = {
            type: "object", properties: p.configSchema.properties, required: p.configSchema.required, additionalProperties: false,
        };
        errors.push(...validateSchema(schema, config[p.name].properties, p.name));
    }
    return { config: errors.length > 0 ? {} : config, errors };
}
