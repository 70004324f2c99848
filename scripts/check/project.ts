// Loads Pulumi.yaml and Pulumi.<stack>.yaml and merges their config exactly as the Pulumi CLI does before it
// starts a program (pulumi/pulumi pkg/workspace/config.go mergeConfig, sdk/go/common/workspace/project.go
// Validate and ValidateConfigValue, loaders.go RewriteShorthandConfigValues), so the offline check runs the
// program with the same PULUMI_CONFIG a real `pulumi preview` would hand it.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { CheckError } from "./errors";

export type ConfigTypeName = "string" | "integer" | "boolean" | "array" | "object";

export interface ConfigItemsType {
    type: ConfigTypeName;
    items?: ConfigItemsType;
}

/** One entry of the `config:` block of Pulumi.yaml, after the CLI's shorthand rewrite. */
export interface ProjectConfigType {
    type?: ConfigTypeName;
    items?: ConfigItemsType;
    description?: string;
    default?: unknown;
    value?: unknown;
    secret?: boolean;
}

export interface Project {
    name: string;
    description?: string;
    runtime: string;
    /** Program entry relative to the project directory (`main:`), or undefined for package.json/index. */
    main?: string;
    /** Whether the nodejs runtime treats the program as TypeScript (runtime option `typescript`, default true). */
    typescript: boolean;
    config: Record<string, ProjectConfigType>;
    dir: string;
}

/** Config as the CLI hands it to a program: fully namespaced keys, every value a string (objects as JSON). */
export interface StackConfig {
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
    /** The Pulumi.<stack>.yaml file the values came from (for error locations). */
    stackFile: string;
}

const TYPE_NAMES: readonly ConfigTypeName[] = ["string", "integer", "boolean", "array", "object"];

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseYamlFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new CheckError(`cannot read ${file}: ${(e as Error).message}`);
    }
    try {
        return yaml.load(text, { filename: file });
    } catch (e) {
        throw new CheckError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
}

function parseItemsType(key: string, raw: unknown): ConfigItemsType {
    if (!isRecord(raw) || typeof raw.type !== "string" || !TYPE_NAMES.includes(raw.type as ConfigTypeName)) {
        throw new CheckError(`Pulumi.yaml: config '${key}': items.type must be one of ${TYPE_NAMES.join(", ")}`);
    }
    const items: ConfigItemsType = { type: raw.type as ConfigTypeName };
    if (raw.items !== undefined) {
        items.items = parseItemsType(key, raw.items);
    }
    return items;
}

/** The CLI's InferFullTypeName: `array<string>` for typed arrays. */
export function fullTypeName(type: ConfigTypeName, items?: ConfigItemsType): string {
    return items ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

/**
 * The CLI's ValidateConfigValue. Stack values arrive as strings (the CLI stores `port: 6379` as "6379"), so
 * integers and booleans are accepted as text that parses; YAML defaults arrive typed.
 */
export function validateConfigValue(type: ConfigTypeName, items: ConfigItemsType | undefined, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            if (typeof value === "number") {
                return Number.isInteger(value);
            }
            // Go's strconv.Atoi: optional sign, decimal digits, fits in 64 bits.
            return typeof value === "string" && /^[+-]?[0-9]+$/.test(value) && Number.isSafeInteger(Number(value));
        case "boolean":
            return value === true || value === false || value === "true" || value === "false";
        case "object":
            return isRecord(value);
        case "array":
            return (
                Array.isArray(value) &&
                items !== undefined &&
                value.every((v) => validateConfigValue(items.type, items.items, v))
            );
    }
}

function configKeyIsNamespacedByProject(projectName: string, key: string): boolean {
    return !key.includes(":") || key.startsWith(projectName + ":");
}

/** Parses and validates the contents of a Pulumi.yaml (already YAML-decoded). */
export function parseProject(raw: unknown, dir: string): Project {
    if (!isRecord(raw)) {
        throw new CheckError(`${path.join(dir, "Pulumi.yaml")} must be a YAML mapping`);
    }
    if (typeof raw.name !== "string" || raw.name === "") {
        throw new CheckError("Pulumi.yaml: project is missing a 'name' attribute");
    }
    const name = raw.name;
    let runtime: string;
    let typescript = true;
    if (typeof raw.runtime === "string") {
        runtime = raw.runtime;
    } else if (isRecord(raw.runtime) && typeof raw.runtime.name === "string") {
        runtime = raw.runtime.name;
        const options = raw.runtime.options;
        if (isRecord(options) && options.typescript !== undefined) {
            typescript = options.typescript === true || options.typescript === "true";
        }
    } else {
        throw new CheckError("Pulumi.yaml: project is missing a 'runtime' attribute");
    }
    if (runtime !== "nodejs") {
        throw new CheckError(
            `Pulumi.yaml: runtime '${runtime}' is not supported by redis-stack-check (allowed: nodejs)`,
        );
    }
    if (raw.main !== undefined && typeof raw.main !== "string") {
        throw new CheckError("Pulumi.yaml: 'main' must be a string path");
    }

    const config: Record<string, ProjectConfigType> = {};
    if (raw.config !== undefined && raw.config !== null) {
        if (!isRecord(raw.config)) {
            throw new CheckError("Pulumi.yaml: 'config' must be a mapping of keys to types or values");
        }
        for (const [key, entry] of Object.entries(raw.config)) {
            config[key] = parseConfigEntry(name, key, entry);
        }
    }
    return {
        name,
        description: typeof raw.description === "string" ? raw.description : undefined,
        runtime,
        main: raw.main,
        typescript,
        config,
        dir,
    };
}

function parseConfigEntry(projectName: string, key: string, entry: unknown): ProjectConfigType {
    const namespaced = configKeyIsNamespacedByProject(projectName, key);
    // RewriteShorthandConfigValues: a bare value is a default for project keys and a value for other namespaces.
    if (!isRecord(entry)) {
        return namespaced ? { default: entry } : { value: entry };
    }
    const t: ProjectConfigType = {};
    if (entry.type !== undefined) {
        if (typeof entry.type !== "string" || !TYPE_NAMES.includes(entry.type as ConfigTypeName)) {
            throw new CheckError(
                `Pulumi.yaml: config '${key}': type ${JSON.stringify(entry.type)} is not one of ${TYPE_NAMES.join(", ")}`,
            );
        }
        t.type = entry.type as ConfigTypeName;
    }
    if (entry.items !== undefined) {
        t.items = parseItemsType(key, entry.items);
    }
    if (typeof entry.description === "string") {
        t.description = entry.description;
    }
    if (entry.secret !== undefined) {
        t.secret = entry.secret === true;
    }
    if ("default" in entry) {
        t.default = entry.default;
    }
    if ("value" in entry) {
        t.value = entry.value;
    }
    // The checks and messages of the CLI's Project.Validate.
    if (t.default !== undefined && t.value !== undefined) {
        throw new CheckError(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
    }
    if (namespaced) {
        if (t.type === "array" && t.items === undefined) {
            throw new CheckError(
                `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
            );
        }
        if (t.type !== undefined && t.default !== undefined && !validateConfigValue(t.type, t.items, t.default)) {
            throw new CheckError(
                `The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(t.type, t.items)}'`,
            );
        }
    } else {
        if (t.type !== undefined) {
            throw new CheckError(
                `Configuration key '${key}' is not namespaced by the project and should not define a type`,
            );
        }
        if (t.default !== undefined) {
            throw new CheckError(
                `Configuration key '${key}' is not namespaced by the project and should not define a default value. ` +
                    "Did you mean to use the 'value' attribute instead of 'default'?",
            );
        }
        if (t.value === undefined) {
            throw new CheckError(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
        }
    }
    return t;
}

/** Loads `<dir>/Pulumi.yaml` (or `Pulumi.yml`). */
export function loadProject(dir: string): Project {
    const candidates = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f));
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) {
        throw new CheckError(`no Pulumi.yaml in ${dir}: --program must be a Pulumi project directory`);
    }
    return parseProject(parseYamlFile(file), dir);
}

/** Stacks that have a Pulumi.<stack>.yaml next to Pulumi.yaml, sorted. */
export function listStacks(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => m[1])
        .sort();
}

/** A fully qualified config key: `port` -> `<project>:port`; `aws:region` stays. */
export function namespacedKey(projectName: string, key: string): string {
    return key.includes(":") ? key : `${projectName}:${key}`;
}

/** The CLI's createConfigValue: primitives as their text, everything else as JSON. */
export function configValueText(value: unknown): string {
    if (typeof value === "string") {
        return value;
    }
    if (typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value))) {
        return String(value);
    }
    return JSON.stringify(value);
}

interface StackValue {
    text: string;
    /** The value before stringification, for type checks of objects and arrays (the CLI's Object() values). */
    structured: unknown;
}

/**
 * Merges a decoded Pulumi.<stack>.yaml onto the project config like the CLI's
 * ValidateStackConfigAndApplyProjectConfig: stack values win, project defaults/values fill the gaps, required
 * project keys must be set, and typed project keys are checked against the stack's values.
 */
export function mergeStackConfig(project: Project, stack: string, rawStack: unknown, stackFile: string): StackConfig {
    const values = new Map<string, StackValue>();
    const secureKeys: string[] = [];
    if (rawStack !== null && rawStack !== undefined && !isRecord(rawStack)) {
        throw new CheckError(`${stackFile} must be a YAML mapping`);
    }
    const rawConfig = isRecord(rawStack) ? rawStack.config : undefined;
    if (rawConfig !== undefined && rawConfig !== null) {
        if (!isRecord(rawConfig)) {
            throw new CheckError(`${stackFile}: 'config' must be a mapping`);
        }
        for (const [rawKey, value] of Object.entries(rawConfig)) {
            const key = namespacedKey(project.name, rawKey);
            if (containsSecure(value)) {
                secureKeys.push(key);
                continue;
            }
            values.set(key, { text: value === null ? "" : configValueText(value), structured: value });
        }
    }
    if (secureKeys.length > 0) {
        throw new CheckError(
            `${stackFile}: ${secureKeys.map((k) => `'${k}'`).join(", ")} ${secureKeys.length === 1 ? "is" : "are"} ` +
                "encrypted (secure:) and cannot be decrypted offline; for the offline check use a non-secret value in a " +
                "stack of its own, or leave it unset so the program's default applies, and set the real secret with " +
                "`pulumi config set --secret` for real deployments",
        );
    }

    const missing: string[] = [];
    for (const key of Object.keys(project.config).sort()) {
        const t = project.config[key];
        const full = namespacedKey(project.name, key);
        if (values.has(full)) {
            continue;
        }
        const fallback = t.value !== undefined ? t.value : t.default;
        if (fallback === undefined) {
            if (configKeyIsNamespacedByProject(project.name, key)) {
                missing.push(key);
            }
            continue;
        }
        values.set(full, { text: configValueText(fallback), structured: fallback });
    }
    if (missing.length > 0) {
        throw new CheckError(
            `Stack '${stack}' is missing configuration ${missing.length > 1 ? "values" : "value"} ${formatMissingKeys(missing)}`,
        );
    }

    const secretKeys: string[] = [];
    for (const key of Object.keys(project.config).sort()) {
        const t = project.config[key];
        const full = namespacedKey(project.name, key);
        const v = values.get(full);
        if (t.type === undefined || v === undefined) {
            continue;
        }
        if (t.secret) {
            // The CLI demands an encrypted stack value for a secret key; offline we can only take a default.
            secretKeys.push(full);
        }
        // The CLI type-checks the stored text, except for structured (object/array) stack values.
        const structured = typeof v.structured === "object" && v.structured !== null;
        const ok = validateConfigValue(t.type, t.items, structured ? v.structured : v.text);
        if (!ok) {
            throw new CheckError(
                `Stack '${stack}' with configuration key '${key}' must be of type '${fullTypeName(t.type, t.items)}'`,
            );
        }
    }

    const config: Record<string, string> = {};
    for (const key of [...values.keys()].sort()) {
        config[key] = values.get(key)!.text;
    }
    return { stack, config, secretKeys, stackFile };
}

function containsSecure(value: unknown): boolean {
    if (isRecord(value)) {
        if (Object.keys(value).length === 1 && typeof value.secure === "string") {
            return true;
        }
        return Object.values(value).some(containsSecure);
    }
    return Array.isArray(value) && value.some(containsSecure);
}

function formatMissingKeys(keys: string[]): string {
    if (keys.length === 1) {
        return `'${keys[0]}'`;
    }
    return keys
        .map((k, i) => (i === keys.length - 1 ? `and '${k}'` : i === keys.length - 2 ? `'${k}'` : `'${k}',`))
        .join(" ");
}

/** Loads the project and the named stack's config; an unknown stack lists the ones that exist. */
export function loadStackConfig(project: Project, stack: string): StackConfig {
    const candidates = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`].map((f) => path.join(project.dir, f));
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) {
        const stacks = listStacks(project.dir);
        throw new CheckError(
            `unknown stack '${stack}': no Pulumi.${stack}.yaml in ${project.dir}` +
                (stacks.length > 0 ? `; stacks found: ${stacks.join(", ")}` : "; no Pulumi.<stack>.yaml files found"),
        );
    }
    return mergeStackConfig(project, stack, parseYamlFile(file), file);
}

/** The program entry the nodejs language host would require: `main:` or the project directory. */
export function programEntry(project: Project): string {
    return path.resolve(project.dir, project.main ?? ".");
}
