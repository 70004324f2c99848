// Policy pack config as `pulumi preview --policy-pack-config FILE` handles it (pulumi/pulumi
// pkg/resource/analyzer/config.go): parse the file (a policy name maps to an enforcement level string or to an
// object of properties with an optional enforcementLevel; "all" sets every policy's level), start from the
// defaults of each policy's configSchema, apply the file, then validate each policy's properties against its
// schema. The pack server itself validates nothing (pulumi-policy server.ts `configure` stores what it gets).
// Two deliberate differences from the CLI, both turning a silent typo into an error: an unknown policy name
// and a property the schema does not declare are refused. Defaults and validation are the pack's own
// (policy/shared/policy-config.ts, policy/shared/json-schema.ts), which its policies apply again at run time.
import {
    type PolicyConfigSchema,
    policyConfigProblems,
    prototypeKeyPath,
    schemaDefaults,
} from "../../../policy/shared";
import * as fs from "fs";
import { OfflineCheckError } from "../offline-check-error";
import { isRecord } from "../project/project-file";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    policyType: "resource" | "stack" | "unknown";
    severity: string;
    configSchema?: PolicyConfigSchema;
}

export interface PolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

/** The path of the first number JSON.parse turned into Infinity, if any. */
function nonFiniteNumberPath(v: unknown, at: string): string | undefined {
    if (typeof v === "number") {
        return Number.isFinite(v) ? undefined : at;
    }
    if (typeof v === "object" && v !== null) {
        for (const [k, x] of Object.entries(v)) {
            const found = nonFiniteNumberPath(x, at === "" ? k : Array.isArray(v) ? `${at}[${k}]` : `${at}.${k}`);
            if (found !== undefined) {
                return found;
            }
        }
    }
    return undefined;
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
        throw new OfflineCheckError(`policy config ${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (!isRecord(raw)) {
        throw new OfflineCheckError(`policy config ${file} must be a JSON object mapping policy names to settings`);
    }
    const prototypeKey = prototypeKeyPath(raw);
    if (prototypeKey !== undefined) {
        throw new OfflineCheckError(
            `policy config ${file}: ${prototypeKey}: the key is not allowed (it names an object's prototype, not a policy or setting)`,
        );
    }
    const overflow = nonFiniteNumberPath(raw, "");
    if (overflow !== undefined) {
        // JSON.parse reads 1e400 as Infinity, which every later message would print as null.
        throw new OfflineCheckError(
            `policy config ${file}: ${overflow}: the number is out of range (larger than a double can hold)`,
        );
    }
    const levels = ENFORCEMENT_LEVELS.join(", ");
    const result: Record<string, PolicyConfig> = {};
    for (const [name, value] of Object.entries(raw)) {
        if (name === "environments") {
            // ESC environments are resolved by the Pulumi service; nothing offline can do with them.
            throw new OfflineCheckError(
                `policy config ${file}: "environments" (Pulumi ESC) is not supported by the offline check`,
            );
        }
        if (typeof value === "string") {
            if (!isLevel(value)) {
                throw new OfflineCheckError(
                    `policy config ${file}: ${name}: "${value}" is not a valid enforcement level (allowed: ${levels})`,
                );
            }
            result[name] = { enforcementLevel: value };
        } else if (isRecord(value)) {
            const { enforcementLevel, ...properties } = value;
            const c: PolicyConfig = {};
            if (enforcementLevel !== undefined) {
                if (!isLevel(enforcementLevel)) {
                    throw new OfflineCheckError(
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
            throw new OfflineCheckError(
                `policy config ${file}: ${name}: ${JSON.stringify(value)} is not valid; must be an enforcement level string or an object`,
            );
        }
    }
    return result;
}

/**
 * The CLI's ReconcilePolicyPackConfig: schema defaults and the pack's levels, then the pack's programmatic
 * initial config, then `config` (the file) on top; returns the config to send with Configure, or throws one
 * OfflineCheckError listing every problem.
 */
export function reconcilePolicyConfig(
    policies: PolicyInfo[],
    config: Record<string, PolicyConfig>,
    source: string,
    initialConfig: Record<string, PolicyConfig> = {},
): Record<string, Required<PolicyConfig>> {
    const result: Record<string, Required<PolicyConfig>> = {};
    for (const p of policies) {
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties: schemaDefaults(p.configSchema) };
    }
    const errors: string[] = [];
    applyConfig(result, initialConfig, policies, errors);
    applyConfig(result, config, policies, errors);
    for (const p of policies) {
        errors.push(...policyConfigProblems(p.name, p.configSchema, result[p.name].properties));
    }
    if (errors.length > 0) {
        throw new OfflineCheckError(`invalid policy config (${source}):\n  ${errors.join("\n  ")}`);
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
                errors.push(
                    `all: only an enforcementLevel can be set for all policies, got properties ${Object.keys(c.properties).join(", ")}`,
                );
            }
            continue;
        }
        // Own keys only: a policy named "toString" or "constructor" must not find Object.prototype's.
        const target = Object.hasOwn(result, name) ? result[name] : undefined;
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

/** Reads the policy config file if given; a missing explicit file is an error. */
export function loadPolicyConfigFile(file: string | undefined): Record<string, PolicyConfig> {
    if (!file) {
        return {};
    }
    if (!fs.existsSync(file)) {
        throw new OfflineCheckError(`--policy-config: no such file ${file}`);
    }
    return parsePolicyConfig(fs.readFileSync(file, "utf8"), file);
}
