// Auto-naming as pulumi-aws does it during Check, so that the checker's policies (and the provider rules after
// it) see the names a real preview shows. Sources:
// - pulumi/pulumi-aws provider/resources.go: per-type overrides, e.g. aws_elasticache_replication_group
//   `replication_group_id: tfbridge.AutoNameTransform("replicationGroupId", 40, strings.ToLower)`,
//   aws_iam_role `name: tfbridge.AutoName("name", 64, "-")`;
// - pulumi/pulumi-aws provider/autonaming.go setAutonaming: every other resource with an input `name` gets
//   `tfbridge.AutoName("name", 255, "-")`;
// - pulumi/pulumi-terraform-bridge pkg/tfbridge/names.go ComputeAutoNameDefault: the URN's name, transformed,
//   plus the separator and 7 random characters (Randlen 7, hex digits by default) from
//   pulumi/pulumi sdk/go/common/resource/names.go NewUniqueName, which fails with
//   "name '<prefix>' plus 7 random chars is longer than maximum length <max>";
// - the `pulumi:autonaming` stack config: pulumi/pulumi sdk/go/.../autonaming (config.go resolveNamingConfig and
//   ParseAutonamingConfig; autonaming.go: modes default/verbatim/disabled, `pattern` with ${name}, ${hex(n)},
//   ${alphanum(n)}, ${string(n)}, ${num(n)}, ${uuid} and the stack-level ${organization}, ${project}, ${stack},
//   ${config.<key>}, `enforce`, per-provider and per-resource-type overrides), which the engine turns into the
//   CheckRequest's AutonamingOptions (PROPOSE, ENFORCE, DISABLE); the bridge's ComputeAutoNameDefault then uses a
//   proposed name through the type's Transform and maximum length ("calculated name '<n>' exceeds maximum length
//   of <max>") and PostTransform, an enforced one verbatim, and fails when naming is disabled ("automatic naming is
//   disabled but no explicit name was provided").

import { createHash, randomBytes } from "crypto";
import { type CheckFailure, type Inputs, isSet } from "./values";

export interface AutoNameRule {
    /** The Pulumi property that gets the name. */
    readonly property: string;
    readonly maxLength: number;
    /** Applied to the logical name before the suffix (AutoNameTransform). */
    readonly transform?: (name: string) => string;
    /** Applied to the finished name (AutoNameOptions.PostTransform), with the resource's inputs. */
    readonly postTransform?: (name: string, inputs: Inputs) => string;
}

/** Random characters the bridge appends (AutoNameOptions.Randlen). */
export const AUTO_NAME_RANDOM_LENGTH = 7;

const NAME_255: AutoNameRule = { property: "name", maxLength: 255 };

/** The auto-named property of each type the program declares (types without one are absent). */
export const AUTO_NAMES: Readonly<Record<string, AutoNameRule>> = {
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        property: "replicationGroupId",
        maxLength: 40,
        transform: (name) => name.toLowerCase(),
    },
    "aws:elasticache/cluster:Cluster": {
        property: "clusterId",
        maxLength: 50,
        transform: (name) => name.toLowerCase(),
    },
    "aws:elasticache/parameterGroup:ParameterGroup": NAME_255,
    "aws:elasticache/subnetGroup:SubnetGroup": NAME_255,
    "aws:ec2/securityGroup:SecurityGroup": NAME_255,
    "aws:iam/role:Role": { property: "name", maxLength: 64 },
    "aws:iam/instanceProfile:InstanceProfile": NAME_255,
    "aws:iam/policy:Policy": NAME_255,
    "aws:iam/rolePolicy:RolePolicy": NAME_255,
    "aws:cloudwatch/logGroup:LogGroup": NAME_255,
    "aws:ssm/parameter:Parameter": NAME_255,
    // resources.go aws_cloudwatch_metric_alarm: `alarm_name: tfbridge.AutoName("name", 255, "-")`.
    "aws:cloudwatch/metricAlarm:MetricAlarm": NAME_255,
    // resources.go aws_sns_topic: AutoNameWithCustomOptions Maxlen 80, Randlen 7, and a PostTransform that appends
    // `.fifo` to a FIFO topic's name.
    "aws:sns/topic:Topic": {
        property: "name",
        maxLength: 80,
        postTransform: (name, inputs) => (inputs.fifoTopic === true ? `${name}.fifo` : name),
    },
};

/**
 * The random suffix source: the real engine draws from a per-resource random seed; tests pass a fixed seed so
 * that names are reproducible (sha256 of seed and URN, as hex like the bridge's default charset).
 */
export type SuffixSource = (urn: string) => string;

/**
 * A source with a random seed of its own: random from run to run, the same suffix for the same URN from one
 * source, so a stack's preview and second pass name a resource alike (run.ts, up-pass.ts).
 */
export function randomSuffix(): SuffixSource {
    return seededSuffix(randomBytes(16).toString("hex"));
}

export function seededSuffix(seed: string): SuffixSource {
    return (urn) => createHash("sha256").update(`${seed}\0${urn}`).digest("hex").slice(0, AUTO_NAME_RANDOM_LENGTH);
}

/** The logical name of a URN: everything after its type (names may contain "::", as URN.Name() allows). */
export function urnName(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

/**
 * The inputs with the auto-named property filled in (when the program left it unset), or the failure the
 * bridge reports when the logical name is too long for a suffix.
 */
export function autoName(
    type: string,
    urn: string,
    inputs: Inputs,
    suffix: SuffixSource,
    autonaming?: AutonamingConfig,
): { inputs: Inputs; failures: CheckFailure[] } {
    const rule = AUTO_NAMES[type];
    // The bridge applies no default to a property when one it conflicts with is set: `name` conflicts with
    // `name_prefix` in every schema here that has both.
    if (!rule || isSet(inputs, rule.property) || (rule.property === "name" && isSet(inputs, "namePrefix"))) {
        return { inputs, failures: [] };
    }
    const options = autonaming ? autonamingOptions(autonaming, type, urn, suffix) : undefined;
    if (options) {
        return namedByOptions(rule, options, inputs);
    }
    const base = rule.transform ? rule.transform(urnName(urn)) : urnName(urn);
    const prefix = `${base}-`;
    if (prefix.length + AUTO_NAME_RANDOM_LENGTH > rule.maxLength) {
        return {
            inputs,
            failures: [
                {
                    property: "",
                    reason: `could not make instance of '${type}': name '${prefix}' plus ${AUTO_NAME_RANDOM_LENGTH} random chars is longer than maximum length ${rule.maxLength}`,
                },
            ],
        };
    }
    const name = prefix + suffix(urn);
    return {
        inputs: { ...inputs, [rule.property]: rule.postTransform ? rule.postTransform(name, inputs) : name },
        failures: [],
    };
}

/** The bridge's ComputeAutoNameDefault with the engine's AutonamingOptions. */
function namedByOptions(
    rule: AutoNameRule,
    options: AutonamingOptions,
    inputs: Inputs,
): { inputs: Inputs; failures: CheckFailure[] } {
    if (options.mode === "disable") {
        return {
            inputs,
            failures: [{ property: "", reason: "automatic naming is disabled but no explicit name was provided" }],
        };
    }
    if (options.mode === "enforce") {
        return { inputs: { ...inputs, [rule.property]: options.proposedName }, failures: [] };
    }
    const name = rule.transform ? rule.transform(options.proposedName) : options.proposedName;
    if (name.length > rule.maxLength) {
        return {
            inputs,
            failures: [
                { property: "", reason: `calculated name '${name}' exceeds maximum length of ${rule.maxLength}` },
            ],
        };
    }
    return {
        inputs: { ...inputs, [rule.property]: rule.postTransform ? rule.postTransform(name, inputs) : name },
        failures: [],
    };
}

/** One naming strategy of the `pulumi:autonaming` config. */
export type NamingStrategy =
    | { readonly kind: "default" }
    | { readonly kind: "verbatim" }
    | { readonly kind: "disabled" }
    | { readonly kind: "pattern"; readonly pattern: string; readonly enforce: boolean };

/** The parsed `pulumi:autonaming` config: a default, then per provider (package) a default and per type. */
export interface AutonamingConfig {
    readonly default: NamingStrategy;
    readonly providers: Readonly<
        Record<
            string,
            { readonly default: NamingStrategy; readonly resources: Readonly<Record<string, NamingStrategy>> }
        >
    >;
}

/** What the engine sends in the CheckRequest (AutonamingOptions), or nothing for the default strategy. */
export interface AutonamingOptions {
    readonly mode: "propose" | "enforce" | "disable";
    readonly proposedName: string;
}

/** The stack-level values a pattern may name. */
export interface AutonamingContext {
    readonly organization: string;
    readonly project: string;
    readonly stack: string;
    /** Fully namespaced stack config (`<project>:key`, `aws:region`), as the program gets it. */
    readonly config: Readonly<Record<string, string>>;
}

interface NamingJson {
    mode?: unknown;
    pattern?: unknown;
    enforce?: unknown;
}

const NAMING_KEYS = ["mode", "pattern", "enforce"];

function unknownField(value: Record<string, unknown>, allowed: readonly string[]): string | undefined {
    return Object.keys(value).find((k) => !allowed.includes(k));
}

function asObject(value: unknown, what: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new Error(`invalid autonaming config structure: ${what} must be an object`);
    }
    return value as Record<string, unknown>;
}

/** config.go resolveNamingConfig: the strategy and whether one was given explicitly. */
function resolveNaming(c: NamingJson, ctx: AutonamingContext): { strategy: NamingStrategy; explicit: boolean } {
    const hasMode = c.mode !== undefined;
    const hasPattern = c.pattern !== undefined;
    const hasEnforce = c.enforce !== undefined;
    if (hasMode && (hasPattern || hasEnforce)) {
        throw new Error("cannot specify both mode and pattern/enforce");
    }
    if (hasPattern) {
        if (typeof c.pattern !== "string" || (hasEnforce && typeof c.enforce !== "boolean")) {
            throw new Error("invalid autonaming config structure: pattern must be a string and enforce a boolean");
        }
        return {
            strategy: {
                kind: "pattern",
                pattern: resolveStackExpressions(c.pattern, ctx),
                enforce: c.enforce === true,
            },
            explicit: true,
        };
    }
    if (hasEnforce) {
        throw new Error("pattern must be specified when enforce is true");
    }
    if (!hasMode) {
        return { strategy: { kind: "default" }, explicit: false };
    }
    if (c.mode === "default" || c.mode === "verbatim" || c.mode === "disabled") {
        return { strategy: { kind: c.mode }, explicit: true };
    }
    throw new Error(`invalid naming mode: ${String(c.mode)}`);
}

/** ${organization}, ${project}, ${stack} and ${config.<key>} (a key without a namespace is the project's). */
function resolveStackExpressions(pattern: string, ctx: AutonamingContext): string {
    const resolved = pattern
        .split("${organization}")
        .join(ctx.organization)
        .split("${project}")
        .join(ctx.project)
        .split("${stack}")
        .join(ctx.stack);
    return resolved.replace(/\$\{config\.([^}]+)\}/g, (_, key: string) => {
        const full = key.includes(":") ? key : `${ctx.project}:${key}`;
        const value = ctx.config[full];
        if (value === undefined) {
            throw new Error(`no value for configuration key "${full}"`);
        }
        return value;
    });
}

/**
 * Parses the `pulumi:autonaming` stack config value (the CLI's text: JSON for an object) as the engine does
 * (ParseAutonamingConfig); undefined when it is not set. Throws the engine's message on a bad config.
 */
export function parseAutonamingConfig(text: string | undefined, ctx: AutonamingContext): AutonamingConfig | undefined {
    if (text === undefined) {
        return undefined;
    }
    try {
        let value: unknown;
        try {
            value = JSON.parse(text);
        } catch {
            throw new Error("invalid autonaming config: not an object");
        }
        const root = asObject(value, "pulumi:autonaming");
        const extra = unknownField(root, [...NAMING_KEYS, "providers"]);
        if (extra !== undefined) {
            throw new Error(`invalid autonaming config structure: json: unknown field "${extra}"`);
        }
        const rootNaming = resolveNaming(root, ctx).strategy;
        const providers: Record<string, { default: NamingStrategy; resources: Record<string, NamingStrategy> }> = {};
        for (const [name, raw] of Object.entries(asObject(root.providers ?? {}, "providers"))) {
            const providerConfig = asObject(raw, `providers.${name}`);
            const extraField = unknownField(providerConfig, [...NAMING_KEYS, "resources"]);
            if (extraField !== undefined) {
                throw new Error(`invalid autonaming config structure: json: unknown field "${extraField}"`);
            }
            const own = resolveNaming(providerConfig, ctx);
            const resources: Record<string, NamingStrategy> = {};
            for (const [token, resourceRaw] of Object.entries(asObject(providerConfig.resources ?? {}, "resources"))) {
                const resourceConfig = asObject(resourceRaw, `resources.${token}`);
                const extraKey = unknownField(resourceConfig, NAMING_KEYS);
                if (extraKey !== undefined) {
                    throw new Error(`invalid autonaming config structure: json: unknown field "${extraKey}"`);
                }
                const naming = resolveNaming(resourceConfig, ctx);
                if (!naming.explicit) {
                    throw new Error(`mode or pattern must be specified for resource "${token}"`);
                }
                resources[token] = naming.strategy;
            }
            providers[name] = { default: own.explicit ? own.strategy : rootNaming, resources };
        }
        return { default: rootNaming, providers };
    } catch (error) {
        throw new Error(`failed to parse autonaming config: ${(error as Error).message}`);
    }
}

/** The bytes a pattern's random expressions draw, derived from the resource's suffix source (seeded in tests). */
function randomStream(suffix: SuffixSource, urn: string): (n: number) => Buffer {
    const seed = `${suffix(urn)}\0${urn}`;
    let counter = 0;
    return (n) => {
        const chunks: Buffer[] = [];
        let have = 0;
        while (have < n) {
            const chunk = createHash("sha256").update(`${seed}\0${counter++}`).digest();
            chunks.push(chunk);
            have += chunk.length;
        }
        return Buffer.concat(chunks).subarray(0, n);
    };
}

function randomChars(bytes: Buffer, chars: string): string {
    return [...bytes].map((b) => chars[b % chars.length]).join("");
}

/** autonaming.go generateName: ${name}, then the random expressions in the engine's order. */
export function generateName(pattern: string, urn: string, random: (n: number) => Buffer): string {
    const count = (m: string) => Number(/\((\d+)\)/.exec(m)?.[1] ?? 0);
    return pattern
        .split("${name}")
        .join(urnName(urn))
        .replace(/\$\{hex\((\d+)\)\}/g, (m) =>
            random(Math.floor(count(m) / 2) + 1)
                .toString("hex")
                .slice(0, count(m)),
        )
        .replace(/\$\{alphanum\((\d+)\)\}/g, (m) =>
            randomChars(random(count(m)), "abcdefghijklmnopqrstuvwxyz0123456789"),
        )
        .replace(/\$\{string\((\d+)\)\}/g, (m) => randomChars(random(count(m)), "abcdefghijklmnopqrstuvwxyz"))
        .replace(/\$\{num\((\d+)\)\}/g, (m) => randomChars(random(count(m)), "0123456789"))
        .replace(/\$\{uuid\}/g, () => {
            const b = random(16);
            b[6] = (b[6] & 0x0f) | 0x40;
            b[8] = (b[8] & 0x3f) | 0x80;
            const h = b.toString("hex");
            return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
        });
}

/**
 * The AutonamingOptions the engine sends for a resource (autonaming.go Global.AutonamingForResource: the type's
 * entry, else its provider's default, else the root), or undefined for the default strategy.
 */
export function autonamingOptions(
    config: AutonamingConfig,
    type: string,
    urn: string,
    suffix: SuffixSource,
): AutonamingOptions | undefined {
    const provider = config.providers[type.split(":")[0]];
    const strategy = provider?.resources[type] ?? provider?.default ?? config.default;
    switch (strategy.kind) {
        case "default":
            return undefined;
        case "verbatim":
            return { mode: "enforce", proposedName: urnName(urn) };
        case "disabled":
            return { mode: "disable", proposedName: "" };
        case "pattern":
            return {
                mode: strategy.enforce ? "enforce" : "propose",
                proposedName: generateName(strategy.pattern, urn, randomStream(suffix, urn)),
            };
    }
}
