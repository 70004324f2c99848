// Merges Pulumi.yaml's config with Pulumi.<stack>.yaml exactly as the Pulumi CLI does before it starts a program
// (pulumi/pulumi pkg/workspace/config.go mergeConfig, ValidateStackConfigAndApplyProjectConfig), so the offline
// check runs the program with the same PULUMI_CONFIG a real `pulumi preview` would hand it.
import * as fs from "fs";
import * as path from "path";
import { OfflineCheckError } from "../offline-check-error";
import {
    type Project,
    configKeyIsNamespacedByProject,
    fullTypeName,
    isRecord,
    listStacks,
    parseYamlFile,
    validateConfigValue,
} from "./project-file";

/** Config as the CLI hands it to a program: fully namespaced keys, every value a string (objects as JSON). */
export interface StackConfigValues {
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
    /** The Pulumi.<stack>.yaml file the values came from (for error locations). */
    stackFile: string;
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
export function mergeStackConfig(
    project: Project,
    stack: string,
    rawStack: unknown,
    stackFile: string,
): StackConfigValues {
    const values = new Map<string, StackValue>();
    const secureKeys: string[] = [];
    if (rawStack !== null && rawStack !== undefined && !isRecord(rawStack)) {
        throw new OfflineCheckError(`${stackFile} must be a YAML mapping`);
    }
    const rawConfig = isRecord(rawStack) ? rawStack.config : undefined;
    if (rawConfig !== undefined && rawConfig !== null) {
        if (!isRecord(rawConfig)) {
            throw new OfflineCheckError(`${stackFile}: 'config' must be a mapping`);
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
        throw new OfflineCheckError(
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
        throw new OfflineCheckError(
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
            throw new OfflineCheckError(
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
export function loadStackConfigValues(project: Project, stack: string): StackConfigValues {
    const candidates = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`].map((f) => path.join(project.dir, f));
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) {
        const stacks = listStacks(project.dir);
        throw new OfflineCheckError(
            `unknown stack '${stack}': no Pulumi.${stack}.yaml in ${project.dir}` +
                (stacks.length > 0 ? `; stacks found: ${stacks.join(", ")}` : "; no Pulumi.<stack>.yaml files found"),
        );
    }
    return mergeStackConfig(project, stack, parseYamlFile(file), file);
}
