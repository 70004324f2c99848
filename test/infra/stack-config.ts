/**
 * The configuration as the Pulumi CLI hands it to the program: Pulumi.yaml defaults, then a stack file's values,
 * namespaced and stringified. For tests of infra/config.ts without the CLI.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import * as assert from "assert";
import { ConfigError, PROJECT, parseConfig } from "../../infra/config";

const ROOT = path.resolve(__dirname, "../..");

interface ProjectFile {
    config: Record<string, { default?: unknown }>;
}

function stringify(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** Pulumi.yaml defaults, as `redis-stack:<key>` -> string. */
export function projectDefaults(): Record<string, string> {
    const project = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as ProjectFile;
    return Object.fromEntries(
        Object.entries(project.config).map(([key, decl]) => [`${PROJECT}:${key}`, stringify(decl.default)]),
    );
}

/** The merged config of a shipped stack (`dev`, `staging`, `prod`). */
export function stackConfig(stack: string): Record<string, string> {
    const file = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
    };
    const values = Object.fromEntries(Object.entries(file.config).map(([key, value]) => [key, stringify(value)]));
    return { ...projectDefaults(), ...values };
}

/** Defaults with some keys (short names) overridden. */
export function withConfig(overrides: Record<string, unknown>): Record<string, string> {
    const values = Object.fromEntries(
        Object.entries(overrides).map(([key, value]) => [`${PROJECT}:${key}`, stringify(value)]),
    );
    return { ...projectDefaults(), ...values };
}

/** The problems parseConfig reports for `raw` (none when it parses). */
export function configProblems(raw: Record<string, string>): string[] {
    try {
        parseConfig(raw);
    } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.problems;
    }
    return [];
}

/** The problems parseConfig reports for `overrides` on top of the defaults. */
export function problemsWith(overrides: Record<string, unknown>): string[] {
    return configProblems(withConfig(overrides));
}
