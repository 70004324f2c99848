// Generates the table of AWS API constraints per Pulumi property (policy/shared/aws-api/constraints.generated.ts)
// from AWS's API models in botocore's format (data/<service>/<version>/service-2.json: `operations` name each
// input shape, `shapes` carry min, max, pattern, enum and required) and the hand-kept member mapping
// (api-members.ts). Pure: the refresh script (refresh.ts) reads the files; tests feed a fixture.

import { type ApiConstraint } from "../../policy/shared";
import { type MemberMapping, type OperationMapping } from "./api-members";

/** The parts of a botocore shape the generator reads. */
export interface Shape {
    readonly type: string;
    readonly min?: number;
    readonly max?: number;
    readonly pattern?: string;
    readonly enum?: readonly string[];
    readonly required?: readonly string[];
    readonly members?: Readonly<Record<string, { readonly shape: string }>>;
    readonly member?: { readonly shape: string };
    readonly key?: { readonly shape: string };
    readonly value?: { readonly shape: string };
}

export interface ServiceModel {
    readonly metadata: { readonly apiVersion: string; readonly serviceId?: string };
    readonly operations: Readonly<Record<string, { readonly input?: { readonly shape: string } }>>;
    readonly shapes: Readonly<Record<string, Shape>>;
}

/** Why a pattern was not turned into a rule (it is kept in the table's statistics). */
export interface SkippedPattern {
    readonly member: string;
    readonly pattern: string;
    readonly why: string;
}

/** Java regex constructs ECMAScript lacks or reads differently. */
const JAVA_ONLY: readonly [RegExp, string][] = [
    [/\(\?[a-zA-Z]/, "inline flags"],
    [/\\[AZzGQEhHRX]/, "Java-only escape"],
    [/\\p\{(?:java|Is|In|Alpha|Alnum|Punct|Graph|Print|Blank|Cntrl|XDigit|Space|Lower|Upper|ASCII)/, "Java-only class"],
    [/&&/, "class intersection"],
    [/[*+?}]\+/, "possessive quantifier"],
];

/**
 * The pattern as an anchored ECMAScript source for `new RegExp(source, "u")` (AWS matches the whole value), or
 * why it cannot be translated faithfully.
 */
export function translatePattern(pattern: string): { source: string } | { why: string } {
    for (const [construct, why] of JAVA_ONLY) {
        if (construct.test(pattern)) {
            return { why };
        }
    }
    const source = `^(?:${pattern})$`;
    try {
        new RegExp(source, "u");
    } catch (e) {
        return { why: `not an ECMAScript pattern: ${(e as Error).message}` };
    }
    return { source };
}

/** The enum members of `export declare const <name>: { readonly A: "a"; ... }` in an SDK enums .d.ts. */
export function sdkEnumValues(declarations: string, name: string): string[] | undefined {
    const block = new RegExp(`export declare const ${name}: \\{([^}]*)\\}`).exec(declarations);
    if (!block) {
        return undefined;
    }
    return [...block[1].matchAll(/readonly [\w$]+: "((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`));
}

/** The shape a member path leads to, and whether its last step is required in its parent structure. */
export function resolveMember(
    model: ServiceModel,
    operation: string,
    path: string,
): { shapeName: string; shape: Shape; required: boolean } {
    const op = model.operations[operation];
    if (!op?.input) {
        throw new Error(`${operation} is not an operation with an input in this model`);
    }
    let shapeName = op.input.shape;
    let required = false;
    for (const step of path.split(".")) {
        const shape = model.shapes[shapeName];
        const next =
            step === "member"
                ? shape.member
                : step === "key"
                  ? shape.key
                  : step === "value"
                    ? shape.value
                    : shape.members?.[step];
        if (!next) {
            throw new Error(`${operation}.${path}: no step '${step}' in shape ${shapeName}`);
        }
        required = shape.type === "structure" && (shape.required ?? []).includes(step);
        shapeName = next.shape;
    }
    return { shapeName, shape: model.shapes[shapeName], required };
}

export interface Generated {
    readonly constraints: Record<string, ApiConstraint[]>;
    /** Per Pulumi type: the API members mapped, and the members of its operations' input shapes. */
    readonly coverage: Record<string, { readonly mapped: number; readonly members: number; readonly rules: number }>;
    readonly skippedPatterns: SkippedPattern[];
    readonly rules: number;
}

const NUMERIC = new Set(["integer", "long", "double", "float"]);

function constraintOf(
    mapping: MemberMapping,
    memberName: string,
    resolved: { shape: Shape; required: boolean },
    sdkEnums: (module: string, name: string) => string[] | undefined,
    skipped: SkippedPattern[],
): ApiConstraint | undefined {
    const { shape } = resolved;
    const target = mapping.target ?? "value";
    const c: { -readonly [K in keyof ApiConstraint]: ApiConstraint[K] } = {
        property: mapping.property,
        target,
        member: memberName,
    };
    if (NUMERIC.has(shape.type)) {
        if (shape.min !== undefined) c.min = shape.min;
        if (shape.max !== undefined) c.max = shape.max;
    } else if (shape.type === "string" || shape.type === "list" || shape.type === "map") {
        if (shape.min !== undefined && shape.min > 0 && !mapping.skip?.minLength) c.minLength = shape.min;
        if (shape.max !== undefined) c.maxLength = shape.max;
    }
    if (shape.enum && !mapping.skip?.enum) {
        const sdk = mapping.sdkEnum ? (sdkEnums(mapping.sdkEnum.module, mapping.sdkEnum.name) ?? []) : [];
        c.enum = [...new Set([...shape.enum, ...sdk])];
    }
    if (shape.pattern !== undefined && !mapping.skip?.pattern) {
        const translated = translatePattern(shape.pattern);
        if ("source" in translated) {
            c.pattern = shape.pattern;
            c.jsPattern = translated.source;
        } else {
            skipped.push({ member: memberName, pattern: shape.pattern, why: translated.why });
        }
    }
    if (resolved.required && target === "value" && !mapping.filledBy) {
        c.required = true;
    }
    const judged = Object.keys(c).length > 3;
    return judged ? c : undefined;
}

/** One constraint per mapped member that the model constrains (members without any are counted, not kept). */
export function generateConstraints(
    models: Readonly<Record<string, ServiceModel>>,
    mapping: Readonly<Record<string, readonly OperationMapping[]>>,
    sdkEnums: (module: string, name: string) => string[] | undefined,
): Generated {
    const constraints: Record<string, ApiConstraint[]> = {};
    const coverage: Generated["coverage"] = {};
    const skippedPatterns: SkippedPattern[] = [];
    let rules = 0;
    for (const [type, operations] of Object.entries(mapping)) {
        const list: ApiConstraint[] = [];
        let mapped = 0;
        let members = 0;
        for (const op of operations) {
            const model = models[op.service];
            if (!model) {
                throw new Error(`no model for service ${op.service} (needed by ${type})`);
            }
            const input = model.shapes[model.operations[op.operation]?.input?.shape ?? ""];
            members += Object.keys(input?.members ?? {}).length;
            mapped += new Set(op.members.map((m) => m.member.split(".")[0])).size;
            for (const m of op.members) {
                const resolved = resolveMember(model, op.operation, m.member);
                const c = constraintOf(
                    m,
                    `${op.service} ${op.operation}.${m.member}`,
                    resolved,
                    sdkEnums,
                    skippedPatterns,
                );
                if (c) {
                    list.push(c);
                    rules += ["minLength", "maxLength", "min", "max", "jsPattern", "enum", "required"].filter(
                        (k) => k in c,
                    ).length;
                }
            }
        }
        constraints[type] = list;
        coverage[type] = { mapped, members, rules: list.length };
    }
    return { constraints, coverage, skippedPatterns, rules };
}

export interface Provenance {
    readonly botocoreVersion: string;
    readonly generatedOn: string;
    readonly apiVersions: Readonly<Record<string, string>>;
    readonly sdkVersion: string;
}

/** The generated module's text (before prettier). */
export function renderConstraints(generated: Generated, provenance: Provenance): string {
    return [
        "// GENERATED by `npm run aws-models:refresh` (scripts/aws-models/refresh.ts) from AWS's API models in",
        "// botocore's service-2.json and the member mapping in scripts/aws-models/api-members.ts. Do not edit.",
        "",
        'import { type ApiConstraint } from "./constraints";',
        "",
        "/** Where and when the table was generated. */",
        `export const AWS_API_MODELS = ${JSON.stringify(
            {
                source: "botocore service-2.json (Debian python3-botocore)",
                botocoreVersion: provenance.botocoreVersion,
                generatedOn: provenance.generatedOn,
                apiVersions: provenance.apiVersions,
                sdkEnumsFrom: `@pulumi/aws ${provenance.sdkVersion}`,
            },
            null,
            4,
        )} as const;`,
        "",
        "/** Per Pulumi type: the API members mapped, the members of its operations' inputs, the constraints kept. */",
        `export const AWS_API_COVERAGE: Readonly<Record<string, { mapped: number; members: number; rules: number }>> = ${JSON.stringify(generated.coverage, null, 4)};`,
        "",
        "/** Single rules (a length bound, a range bound, a pattern, an enum, a required member) in the table. */",
        `export const AWS_API_RULE_COUNT = ${generated.rules};`,
        "",
        "/** Patterns the model states that have no faithful ECMAScript translation: not judged. */",
        `export const AWS_API_SKIPPED_PATTERNS: readonly { member: string; pattern: string; why: string }[] = ${JSON.stringify(generated.skippedPatterns, null, 4)};`,
        "",
        `export const AWS_API_CONSTRAINTS: Readonly<Record<string, readonly ApiConstraint[]>> = ${JSON.stringify(generated.constraints, null, 4)};`,
        "",
    ].join("\n");
}
