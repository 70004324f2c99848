// The JSON-schema validator for policy config, shared by the pack (each policy checks what `getConfig()` returns)
// and the offline checker (scripts/offline-check, which validates `--policy-pack-config` as the CLI does), so the two
// cannot disagree. Pure, no imports: `pulumi policy publish` packages only `policy/`.
//
// The Pulumi CLI validates with gojsonschema, which knows every draft-7 keyword; this validator knows the subset
// below, and `assertSupportedSchema` refuses a schema that uses any other, so a schema is never silently weaker
// here than in the CLI. Schemas may also arrive over the wire (the checker reads them from GetAnalyzerInfo), so
// every keyword's value is type-checked before it is used.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

export type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";
export const JSON_TYPES: readonly JsonType[] = ["null", "boolean", "integer", "number", "string", "array", "object"];

export interface JsonSchema {
    type?: JsonType | JsonType[];
    title?: string;
    description?: string;
    default?: JsonValue;
    enum?: JsonValue[];
    const?: JsonValue;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    exclusiveMaximum?: number;
    multipleOf?: number;
    minLength?: number;
    maxLength?: number;
    pattern?: string;
    items?: JsonSchema;
    minItems?: number;
    maxItems?: number;
    uniqueItems?: boolean;
    properties?: Record<string, JsonSchema>;
    required?: string[];
    additionalProperties?: boolean | JsonSchema;
}

/** The keywords `validateJsonSchema` enforces (test/policy/json-schema.test.ts shows each one rejecting a value). */
export const ENFORCED_KEYWORDS = [
    "type",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "required",
    "additionalProperties",
] as const;
export type EnforcedKeyword = (typeof ENFORCED_KEYWORDS)[number];

/** Keywords that constrain nothing, so a schema may use them freely. */
export const ANNOTATION_KEYWORDS = ["title", "description", "default"] as const;

const SUPPORTED = new Set<string>([...ENFORCED_KEYWORDS, ...ANNOTATION_KEYWORDS]);

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Throws if `schema` uses a keyword `validateJsonSchema` does not enforce, a type name it does not know, the
 * tuple form of `items`, or a `pattern` that is not a valid regular expression.
 */
export function assertSupportedSchema(schema: JsonSchema, path = "schema"): void {
    if (!isRecord(schema)) {
        throw new Error(`${path}: a schema must be an object, got ${JSON.stringify(schema)}`);
    }
    for (const k of Object.keys(schema)) {
        if (!SUPPORTED.has(k)) {
            throw new Error(
                `${path}: JSON-schema keyword "${k}" is not supported (supported: ${[...SUPPORTED].join(", ")})`,
            );
        }
    }
    for (const t of schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type]) {
        if (!JSON_TYPES.includes(t)) {
            throw new Error(`${path}.type: ${JSON.stringify(t)} is not a JSON type (types: ${JSON_TYPES.join(", ")})`);
        }
    }
    const pattern: unknown = schema.pattern;
    if (pattern !== undefined) {
        if (typeof pattern !== "string") {
            throw new Error(`${path}.pattern: must be a string, got ${JSON.stringify(pattern)}`);
        }
        try {
            new RegExp(pattern, "u");
        } catch (e) {
            throw new Error(
                `${path}.pattern: ${JSON.stringify(pattern)} is not a valid regular expression: ${(e as Error).message}`,
            );
        }
    }
    if (schema.items !== undefined) {
        if (!isRecord(schema.items)) {
            throw new Error(
                `${path}.items: must be one schema (the tuple form is not supported), got ${JSON.stringify(schema.items)}`,
            );
        }
        assertSupportedSchema(schema.items, `${path}.items`);
    }
    for (const [k, s] of Object.entries(schema.properties ?? {})) {
        assertSupportedSchema(s, `${path}.properties.${k}`);
    }
    if (isRecord(schema.additionalProperties)) {
        assertSupportedSchema(schema.additionalProperties, `${path}.additionalProperties`);
    } else if (schema.additionalProperties !== undefined && typeof schema.additionalProperties !== "boolean") {
        throw new Error(
            `${path}.additionalProperties: must be a boolean or a schema, got ${JSON.stringify(schema.additionalProperties)}`,
        );
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

function article(t: string): string {
    return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** Of an inclusive and an exclusive bound on one side, the one a value must meet (exclusive wins a tie). */
function tighterBound(
    incl: number | undefined,
    inclOp: string,
    excl: number | undefined,
    exclOp: string,
    tighter: (a: number, b: number) => boolean,
): string | undefined {
    if (excl !== undefined && (incl === undefined || !tighter(incl, excl))) {
        return `${exclOp} ${excl}`;
    }
    return incl === undefined ? undefined : `${inclOp} ${incl}`;
}

/** Whether value / step is a whole number, allowing for binary fractions (0.3 is a multiple of 0.1). */
function isMultiple(value: number, step: number): boolean {
    const q = value / step;
    return Math.abs(q - Math.round(q)) <= 1e-9 * Math.max(1, Math.abs(q));
}

/**
 * Keys that name an object's prototype machinery, not data: JSON.parse makes `"__proto__"` an own key, which a
 * later `obj[key] = value` or a schema lookup (`props[key]` finds Object.prototype, `Object`) turns into a
 * prototype change or a silently ignored setting. Refused wherever a config is read.
 */
export const PROTOTYPE_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/** The path (`a.b[0].__proto__`) of the first prototype key in a parsed JSON value, if any. */
export function prototypeKeyPath(value: unknown, at = ""): string | undefined {
    if (typeof value !== "object" || value === null) {
        return undefined;
    }
    for (const [k, v] of Object.entries(value)) {
        const path = Array.isArray(value) ? `${at}[${k}]` : at === "" ? k : `${at}.${k}`;
        if (!Array.isArray(value) && PROTOTYPE_KEYS.includes(k)) {
            return path;
        }
        const found = prototypeKeyPath(v, path);
        if (found !== undefined) {
            return found;
        }
    }
    return undefined;
}

/**
 * Validates `value` against `schema` (the keywords in ENFORCED_KEYWORDS). Returns one message per problem, each
 * "<at><path>: must ..., got <value>", naming what is allowed; `at` prefixes the path, nested values add
 * "[i]" or ".key". Empty when valid.
 */
export function validateJsonSchema(schema: JsonSchema, value: unknown, at = ""): string[] {
    const got = JSON.stringify(value);
    const types: unknown[] = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.length > 0 && !types.some((t) => typeMatches(String(t), value))) {
        return [`${at}: must be ${types.map((t) => article(String(t))).join(" or ")}, got ${got}`];
    }
    const problems: string[] = [];
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === got)) {
        problems.push(`${at}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${got}`);
    }
    if ("const" in schema && JSON.stringify(schema.const) !== got) {
        problems.push(`${at}: must be ${JSON.stringify(schema.const)}, got ${got}`);
    }
    if (typeof value === "number") {
        const num = (k: keyof JsonSchema): number | undefined =>
            typeof schema[k] === "number" ? schema[k] : undefined;
        const [min, max, xmin, xmax] = [
            num("minimum"),
            num("maximum"),
            num("exclusiveMinimum"),
            num("exclusiveMaximum"),
        ];
        const outOfRange =
            (min !== undefined && value < min) ||
            (max !== undefined && value > max) ||
            (xmin !== undefined && value <= xmin) ||
            (xmax !== undefined && value >= xmax);
        if (outOfRange) {
            const lo = tighterBound(min, ">=", xmin, ">", (a, b) => a > b);
            const hi = tighterBound(max, "<=", xmax, "<", (a, b) => a < b);
            problems.push(`${at}: must be ${[lo, hi].filter((x) => x).join(" and ")}, got ${got}`);
        }
        const step = num("multipleOf");
        if (step !== undefined && step > 0 && !isMultiple(value, step)) {
            problems.push(`${at}: must be a multiple of ${step}, got ${got}`);
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
            problems.push(`${at}: must have at least ${schema.minItems} items, got ${value.length}: ${got}`);
        }
        if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
            problems.push(`${at}: must have at most ${schema.maxItems} items, got ${value.length}: ${got}`);
        }
        if (schema.uniqueItems === true) {
            const seen = new Set<string>();
            const repeated = new Set<string>();
            for (const v of value) {
                const k = JSON.stringify(v);
                (seen.has(k) ? repeated : seen).add(k);
            }
            if (repeated.size > 0) {
                problems.push(`${at}: items must be unique, got ${got} (repeated: ${[...repeated].join(", ")})`);
            }
        }
        if (isRecord(schema.items)) {
            const items = schema.items as JsonSchema;
            value.forEach((v, i) => problems.push(...validateJsonSchema(items, v, `${at}[${i}]`)));
        }
    }
    if (isRecord(value)) {
        const props = isRecord(schema.properties) ? schema.properties : {};
        for (const [k, v] of Object.entries(value)) {
            if (PROTOTYPE_KEYS.includes(k)) {
                problems.push(`${at}.${k}: is not allowed (it names an object's prototype, not a setting)`);
            } else if (Object.prototype.hasOwnProperty.call(props, k)) {
                problems.push(...validateJsonSchema(props[k], v, `${at}.${k}`));
            } else if (schema.additionalProperties === false) {
                problems.push(
                    `${at}.${k}: is not allowed (allowed: ${Object.keys(props).join(", ")}), got ${JSON.stringify(v)}`,
                );
            } else if (isRecord(schema.additionalProperties)) {
                problems.push(...validateJsonSchema(schema.additionalProperties, v, `${at}.${k}`));
            }
        }
        for (const k of Array.isArray(schema.required) ? schema.required : []) {
            if (!Object.prototype.hasOwnProperty.call(value, k)) {
                problems.push(`${at}.${k}: is required`);
            }
        }
    }
    return problems;
}
