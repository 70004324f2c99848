// Policy pack config as `pulumi preview --policy-pack-config FILE` handles it (pulumi/pulumi
// pkg/resource/analyzer/config.go): parse the file (a policy name maps to an enforcement level string or to an
// object of properties with an optional enforcementLevel; "all" sets every policy's level), start from the
// defaults of each policy's configSchema, apply the file, then validate each policy's properties against its
// schema. The pack server itself validates nothing (pulumi-policy server.ts `configure` stores what it gets).
// Two deliberate differences from the CLI, both turning a silent typo into an error: an unknown policy name
// and a property the schema does not declare are refused.
import { CheckError } from "./errors";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export type JsonSchema = Record<string, unknown>;

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    policyType: "resource" | "stack" | "unknown";
    severity: string;
    configSchema?: { properties: Record<string, JsonSchema>; required: string[] };
}

export interface PolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

/** Parses a policy config file's text like the CLI's parsePolicyPackConfig. */
export function parsePolicyConfig(text: string, file: string): Record<string, PolicyConfig> {
    if (text.trim() === "") {
        return {};
    }
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (e) {
        throw new CheckError(`policy config ${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (!isRecord(raw)) {
        throw new CheckError(`policy config ${file} must be a JSON object mapping policy names to settings`);
    }
    const levels = ENFORCEMENT_LEVELS.join(", ");
    const result: Record<string, PolicyConfig> = {};
    for (const [name, value] of Object.entries(raw)) {
        if (name === "environments") {
            // ESC environments are resolved by the Pulumi service; nothing offline can do with them.
            throw new CheckError(`policy config ${file}: "environments" (Pulumi ESC) is not supported by the offline check`);
        }
        if (typeof value === "string") {
            if (!isLevel(value)) {
                throw new CheckError(`policy config ${file}: ${name}: "${value}" is not a valid enforcement level (allowed: ${levels})`);
            }
            result[name] = { enforcementLevel: value };
        } else if (isRecord(value)) {
            const { enforcementLevel, ...properties } = value;
            const c: PolicyConfig = {};
            if (enforcementLevel !== undefined) {
                if (!isLevel(enforcementLevel)) {
                    throw new CheckError(
                        `policy config ${file}: ${name}: enforcementLevel ${JSON.stringify(enforcementLevel)} is not valid (allowed: ${levels})`,
                    );
                }
                c.enforcementLevel = enforcementLevel;
            }
            if (Object.keys(properties).length > 0) {
                c.properties = properties;
            }
            if (c.enforcementLevel !== undefined || c.properties !== undefined) {
                result[name] = c;
            }
        } else {
            throw new CheckError(`policy config ${file}: ${name}: ${JSON.stringify(value)} is not valid; must be an enforcement level string or an object`);
        }
    }
    return result;
}

/**
 * The CLI's ReconcilePolicyPackConfig: schema defaults and the pack's levels, then the pack's programmatic
 * initial config, then `config` (the file) on top; returns the config to send with Configure, or throws one
 * CheckError listing every problem.
 */
export function reconcilePolicyConfig(
    policies: PolicyInfo[],
    config: Record<string, PolicyConfig>,
    source: string,
    initialConfig: Record<string, PolicyConfig> = {},
): Record<string, Required<PolicyConfig>> {
    const result: Record<string, Required<PolicyConfig>> = {};
    for (const p of policies) {
        const props: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if ("default" in schema) {
                props[k] = schema.default;
            }
        }
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties: props };
    }
    const errors: string[] = [];
    applyConfig(result, initialConfig, policies, errors);
    applyConfig(result, config, policies, errors);
    for (const p of policies) {
        const schemaProps = p.configSchema?.properties ?? {};
        const props = result[p.name].properties;
        for (const key of Object.keys(props)) {
            const schema = schemaProps[key];
            if (!schema) {
                const known = Object.keys(schemaProps);
                errors.push(
                    `${p.name}: ${key}: the policy has no such setting` + (known.length > 0 ? ` (settings: ${known.join(", ")})` : " (it takes no settings)"),
                );
                continue;
            }
            for (const problem of validateJsonSchema(schema, props[key])) {
                errors.push(`${p.name}: ${key}${problem}`);
            }
        }
        for (const key of p.configSchema?.required ?? []) {
            if (!(key in props)) {
                errors.push(`${p.name}: ${key}: is required`);
            }
        }
    }
    if (errors.length > 0) {
        throw new CheckError(`invalid policy config (${source}):\n  ${errors.join("\n  ")}`);
    }
    return result;
}

/** The CLI's applyConfig: "all" sets every level, then each policy's level and properties are merged in. */
function applyConfig(
    result: Record<string, Required<PolicyConfig>>,
    config: Record<string, PolicyConfig>,
    policies: PolicyInfo[],
    errors: string[],
): void {
    const all = config.all;
    if (all?.enforcementLevel) {
        for (const r of Object.values(result)) {
            r.enforcementLevel = all.enforcementLevel;
        }
    }
    for (const [name, c] of Object.entries(config)) {
        if (name === "all") {
            if (c.properties) {
                errors.push(`all: only an enforcementLevel can be set for all policies, got properties ${Object.keys(c.properties).join(", ")}`);
            }
            continue;
        }
        const target = result[name];
        if (!target) {
            errors.push(`${name}: no such policy in the pack (policies: ${policies.map((p) => p.name).join(", ")})`);
            continue;
        }
        if (c.enforcementLevel) {
            target.enforcementLevel = c.enforcementLevel;
        }
        Object.assign(target.properties, c.properties ?? {});
    }
}

function typeOf(v: unknown): string {
    if (v === null) {
        return "null";
    }
    if (Array.isArray(v)) {
        return "array";
    }
    if (typeof v === "number") {
        return Number.isInteger(v) ? "integer" : "number";
    }
    return typeof v;
}

function typeMatches(expected: string, v: unknown): boolean {
    const actual = typeOf(v);
    return expected === actual || (expected === "number" && actual === "integer");
}

/**
 * Validates a value against the JSON-schema keywords policy config schemas use (type, enum, const, minimum,
 * maximum, exclusive bounds, multipleOf, minLength, maxLength, pattern, items, minItems, maxItems, uniqueItems,
 * properties, required, additionalProperties). Each problem names what is allowed. Paths start with "" or
 * "[i]"/".key" for nested values.
 */
export function validateJsonSchema(schema: JsonSchema, value: unknown, at = ""): string[] {
    const got = JSON.stringify(value);
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (types.length > 0 && !types.some((t) => typeMatches(t, value))) {
        return [`${at}: must be ${types.map((t) => (t === "integer" || t === "array" || t === "object" ? `an ${t}` : `a ${t}`)).join(" or ")}, got ${got}`];
    }
    const problems: string[] = [];
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === got)) {
        problems.push(`${at}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${got}`);
    }
    if ("const" in schema && JSON.stringify(schema.const) !== got) {
        problems.push(`${at}: must be ${JSON.stringify(schema.const)}, got ${got}`);
    }
    if (typeof value === "number") {
        const min = schema.minimum as number | undefined;
        const max = schema.maximum as number | undefined;
        const xmin = schema.exclusiveMinimum as number | undefined;
        const xmax = schema.exclusiveMaximum as number | undefined;
        const outOfRange =
            (min !== undefined && value < min) ||
            (max !== undefined && value > max) ||
            (xmin !== undefined && value <= xmin) ||
            (xmax !== undefined && value >= xmax);
        if (outOfRange) {
            const lo = min !== undefined ? `>= ${min}` : xmin !== undefined ? `> ${xmin}` : undefined;
            const hi = max !== undefined ? `<= ${max}` : xmax !== undefined ? `< ${xmax}` : undefined;
            problems.push(`${at}: must be ${[lo, hi].filter((x) => x).join(" and ")}, got ${got}`);
        }
        if (typeof schema.multipleOf === "number" && value % schema.multipleOf !== 0) {
            problems.push(`${at}: must be a multiple of ${schema.multipleOf}, got ${got}`);
        }
    }
    if (typeof value === "string") {
        if (typeof schema.minLength === "number" && value.length < schema.minLength) {
            problems.push(`${at}: must be at least ${schema.minLength} characters long, got ${got}`);
        }
        if (typeof schema.maxLength === "number" && value.length > schema.maxLength) {
            problems.push(`${at}: must be at most ${schema.maxLength} characters long, got ${got}`);
        }
        if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
            problems.push(`${at}: must match /${schema.pattern}/, got ${got}`);
        }
    }
    if (Array.isArray(value)) {
        if (typeof schema.minItems === "number" && value.length < schema.minItems) {
            problems.push(`${at}: must have at least ${schema.minItems} items, got ${value.length}`);
        }
        if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
            problems.push(`${at}: must have at most ${schema.maxItems} items, got ${value.length}`);
        }
        if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
            problems.push(`${at}: items must be unique, got ${got}`);
        }
        if (isRecord(schema.items)) {
            value.forEach((v, i) => problems.push(...validateJsonSchema(schema.items as JsonSchema, v, `${at}[${i}]`)));
        }
    }
    if (isRecord(value)) {
        const props = isRecord(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
        for (const [k, v] of Object.entries(value)) {
            if (props[k]) {
                problems.push(...validateJsonSchema(props[k], v, `${at}.${k}`));
            } else if (schema.additionalProperties === false) {
                problems.push(`${at}.${k}: is not allowed (allowed: ${Object.keys(props).join(", ")})`);
            } else if (isRecord(schema.additionalProperties)) {
                problems.push(...validateJsonSchema(schema.additionalProperties as JsonSchema, v, `${at}.${k}`));
            }
        }
        for (const k of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
            if (!(k in value)) {
                problems.push(`${at}.${k}: is required`);
            }
        }
    }
    return problems;
}
