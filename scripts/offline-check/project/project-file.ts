// Loads and validates Pulumi.yaml as the Pulumi CLI does (pulumi/pulumi sdk/go/common/workspace/project.go
// Validate and ValidateConfigValue, loaders.go RewriteShorthandConfigValues): the project, its config schema
// and the program entry the nodejs language host would run.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { OfflineCheckError } from "../offline-check-error";

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

const TYPE_NAMES: readonly ConfigTypeName[] = ["string", "integer", "boolean", "array", "object"];

export function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseYamlFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new OfflineCheckError(`cannot read ${file}: ${(e as Error).message}`);
    }
    let doc: unknown;
    try {
        doc = yaml.load(text, { filename: file });
    } catch (e) {
        throw new OfflineCheckError(`${file} is not valid YAML: ${yamlProblem(e)}`);
    }
    if (expandedValues(doc, MAX_YAML_VALUES) > MAX_YAML_VALUES) {
        throw new OfflineCheckError(
            `${file} expands to more than ${MAX_YAML_VALUES.toLocaleString("en-US")} values (nested YAML aliases?); a Pulumi project or stack file needs far fewer`,
        );
    }
    return doc;
}

/**
 * A YAML error without js-yaml's snippet: the snippet quotes the lines around the error, and a stack file's line
 * may hold a token in plain text. The reason and the position say what to change.
 */
function yamlProblem(e: unknown): string {
    if (e instanceof yaml.YAMLException) {
        return `${e.reason}${e.mark ? ` (line ${e.mark.line + 1}, column ${e.mark.column + 1})` : ""}`;
    }
    return (e as Error).message.split("\n")[0];
}

/**
 * js-yaml resolves an alias to the same object, so a few hundred bytes of nested aliases load at once but expand
 * to billions of values in everything that walks the document afterwards (a 437-byte file took 37 s and 2 GB).
 * Stack and project files are small: refuse one whose expanded form is larger than any real one could be.
 */
export const MAX_YAML_VALUES = 100_000;

/** The number of values in `doc` as a walk would see them (aliases counted each time), stopping past `limit`. */
export function expandedValues(doc: unknown, limit: number): number {
    let count = 0;
    const pending: unknown[] = [doc];
    while (pending.length > 0 && count <= limit) {
        const v = pending.pop();
        count++;
        if (typeof v === "object" && v !== null) {
            pending.push(...(Array.isArray(v) ? v : Object.values(v)));
        }
    }
    return count;
}

function parseItemsType(key: string, raw: unknown): ConfigItemsType {
    if (!isRecord(raw) || typeof raw.type !== "string" || !TYPE_NAMES.includes(raw.type as ConfigTypeName)) {
        throw new OfflineCheckError(`Pulumi.yaml: config '${key}': items.type must be one of ${TYPE_NAMES.join(", ")}`);
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

export function configKeyIsNamespacedByProject(projectName: string, key: string): boolean {
    return !key.includes(":") || key.startsWith(projectName + ":");
}

/** Parses and validates the contents of a Pulumi.yaml (already YAML-decoded). */
export function parseProject(raw: unknown, dir: string): Project {
    if (!isRecord(raw)) {
        throw new OfflineCheckError(`${path.join(dir, "Pulumi.yaml")} must be a YAML mapping`);
    }
    if (typeof raw.name !== "string" || raw.name === "") {
        throw new OfflineCheckError("Pulumi.yaml: project is missing a 'name' attribute");
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
        throw new OfflineCheckError("Pulumi.yaml: project is missing a 'runtime' attribute");
    }
    if (runtime !== "nodejs") {
        throw new OfflineCheckError(
            `Pulumi.yaml: runtime '${runtime}' is not supported by redis-stack-check (allowed: nodejs)`,
        );
    }
    if (raw.main !== undefined && typeof raw.main !== "string") {
        throw new OfflineCheckError("Pulumi.yaml: 'main' must be a string path");
    }

    const config: Record<string, ProjectConfigType> = {};
    if (raw.config !== undefined && raw.config !== null) {
        if (!isRecord(raw.config)) {
            throw new OfflineCheckError("Pulumi.yaml: 'config' must be a mapping of keys to types or values");
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
            throw new OfflineCheckError(
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
        throw new OfflineCheckError(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
    }
    if (namespaced) {
        if (t.type === "array" && t.items === undefined) {
            throw new OfflineCheckError(
                `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
            );
        }
        if (t.type !== undefined && t.default !== undefined && !validateConfigValue(t.type, t.items, t.default)) {
            throw new OfflineCheckError(
                `The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(t.type, t.items)}'`,
            );
        }
    } else {
        if (t.type !== undefined) {
            throw new OfflineCheckError(
                `Configuration key '${key}' is not namespaced by the project and should not define a type`,
            );
        }
        if (t.default !== undefined) {
            throw new OfflineCheckError(
                `Configuration key '${key}' is not namespaced by the project and should not define a default value. ` +
                    "Did you mean to use the 'value' attribute instead of 'default'?",
            );
        }
        if (t.value === undefined) {
            throw new OfflineCheckError(
                `Configuration key '${key}' is namespaced and must provide an attribute 'value'`,
            );
        }
    }
    return t;
}

/** Loads `<dir>/Pulumi.yaml` (or `Pulumi.yml`). */
export function loadProject(dir: string): Project {
    const candidates = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f));
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) {
        throw new OfflineCheckError(`no Pulumi.yaml in ${dir}: --program must be a Pulumi project directory`);
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

/** The program entry the nodejs language host would require: `main:` or the project directory. */
export function programEntry(project: Project): string {
    return path.resolve(project.dir, project.main ?? ".");
}

/** The file a SARIF result points at: the program's main source file. */
export function mainSourceFile(project: Project): string {
    const entry = programEntry(project);
    if (fs.existsSync(entry) && fs.statSync(entry).isDirectory()) {
        for (const f of ["index.ts", "index.js"]) {
            if (fs.existsSync(path.join(entry, f))) {
                return path.join(entry, f);
            }
        }
    }
    return entry;
}
