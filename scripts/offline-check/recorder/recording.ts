// What the offline check records of a program run: each registration as the engine would receive it, in
// Pulumi's wire form (the form the SDK serializes and the engine forwards to analyzers).

/** The key that marks a secret (`{ [SECRET_SIG_KEY]: SECRET_SIG, value }`) in Pulumi's wire form. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The SDK sends every unknown value as this string; the engine marshals it back unchanged to analyzers. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
export const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

export interface CustomTimeouts {
    create: string;
    update: string;
    delete: string;
}

/** The resource options that the Analyzer's AnalyzerResourceOptions carries. */
export interface RecordedOptions {
    protect: boolean;
    ignoreChanges: string[];
    /** Undefined when the program did not set it (the engine sends deleteBeforeReplaceDefined=false). */
    deleteBeforeReplace?: boolean;
    aliases: string[];
    customTimeouts: CustomTimeouts;
    additionalSecretOutputs: string[];
}

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** Parent URN; "" for the root stack and default providers. */
    parent: string;
    custom: boolean;
    /** Provider reference `urn::id` as the engine stores it ("" for component resources and providers). */
    provider: string;
    /** Inputs in wire form: unknowns as UNKNOWN, secrets as `{SIG_KEY: SECRET_SIG, value}`. */
    inputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    options: RecordedOptions;
    /** Outputs registered with registerOutputs (component resources and the stack), wire form. */
    outputs?: Record<string, unknown>;
    /** True for the default provider the engine registers on its own for custom resources without one. */
    defaultProvider?: boolean;
}

export interface Recording {
    project: string;
    stack: string;
    resources: RecordedResource[];
    /** Stack outputs (wire form). */
    outputs: Record<string, unknown>;
}

export function isSecret(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Every string inside a secret of a wire-form value (a secret's whole value, or each string it holds). */
export function secretStrings(v: unknown, inSecret = false): string[] {
    if (isSecret(v)) {
        return secretStrings(v.value, true);
    }
    if (typeof v === "string") {
        return inSecret ? [v] : [];
    }
    if (typeof v === "object" && v !== null) {
        return Object.values(v).flatMap((x) => secretStrings(x, inSecret));
    }
    return inSecret && (typeof v === "number" || typeof v === "boolean") ? [String(v)] : [];
}

/** Splits a provider reference `urn::id` into its URN (URNs themselves contain `::`, ids do not). */
export function providerRefUrn(ref: string): string {
    const i = ref.lastIndexOf("::");
    return i < 0 ? ref : ref.slice(0, i);
}

/**
 * The engine's URN for a registration (pkg/resource/deploy/deployment.go generateURN): the parent's qualified
 * type is prepended, except when the parent is the root stack. (The SDK's MockMonitor also prepends the stack's
 * type, which would give URNs a real preview never shows, so the recorder uses this instead.)
 */
export function engineUrn(stack: string, project: string, parent: string, type: string, name: string): string {
    let qualified = type;
    if (parent) {
        const parentQualified = parent.split("::")[2];
        if (parentQualified !== ROOT_STACK_TYPE) {
            qualified = `${parentQualified}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The name the engine gives the default provider of a package version (providers.ProviderRequest.DefaultName). */
export function defaultProviderName(version: string): string {
    const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(version);
    if (!m) {
        return "default";
    }
    let name = `default_${m[1]}_${m[2]}_${m[3]}`;
    if (m[4]) {
        name += m[4]
            .split(".")
            .map((p) => `_${p}`)
            .join("");
    }
    if (m[5]) {
        name += m[5]
            .split(".")
            .map((p) => `_${p}`)
            .join("");
    }
    return name;
}

/**
 * The inputs of a default provider: the package's config namespace with the prefix dropped, plus `version`
 * (the engine's newRegisterDefaultProviderEvent; its `__internal` key is never sent to analyzers).
 */
export function defaultProviderInputs(
    pkg: string,
    config: Record<string, string>,
    version: string,
): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(config)) {
        if (!key.startsWith(`${pkg}:`)) {
            continue;
        }
        inputs[key.slice(pkg.length + 1)] = structuredConfigValue(text);
    }
    if (version) {
        inputs.version = version;
    }
    return inputs;
}

/** Config text that holds JSON objects or arrays comes back structured, as the CLI's object values do. */
function structuredConfigValue(text: string): unknown {
    if (text.startsWith("{") || text.startsWith("[")) {
        try {
            return JSON.parse(text);
        } catch {
            return text;
        }
    }
    return text;
}
