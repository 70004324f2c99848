// Component APIs documented where editors show them (issue #8.7): every arg and output of Network, Bastion,
// RedisCluster and Alarms carries JSDoc with `@example`, optional args and every config-derived arg (nested
// config interfaces such as AlarmThresholds included) carry `@default`, and that `@default` is what
// Pulumi.yaml's defaults validate to (as the README's config table is tested against it).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { formatIpv4Cidr } from "../../infra/cidr";
import { parseConfig } from "../../infra/config";
import { projectDefaults } from "../infra/stack-config";

const ROOT = path.resolve(__dirname, "../..");
const FILES = [
    "infra/config/index.ts",
    "infra/config/network.ts",
    "infra/config/bastion.ts",
    "infra/config/cache.ts",
    "infra/config/bastion-image.ts",
    "infra/config/data-protection.ts",
    "infra/config/alarms.ts",
    "infra/config/auth.ts",
    "infra/network.ts",
    "infra/bastion/index.ts",
    "infra/redis.ts",
    "infra/alarm-plan.ts",
    "infra/alarms.ts",
];

interface Member {
    name: string;
    optional: boolean;
    /** The config interface it comes from, if any. */
    from?: string;
    /** The named type it is declared with (`AlarmThresholds`), if any. */
    typeName?: string;
    tags: Map<string, string>;
}

const sources = FILES.map((file) =>
    ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.ES2022, true),
);
const declarations = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration>();
for (const source of sources) {
    source.forEachChild((node) => {
        if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isClassDeclaration(node)) {
            declarations.set(node.name!.text, node);
        }
    });
}

function tagsOf(node: ts.Node): Map<string, string> {
    return new Map(ts.getJSDocTags(node).map((tag) => [tag.tagName.text, ts.getTextOfJSDocComment(tag.comment) ?? ""]));
}

const defaults = parseConfig(projectDefaults());

/** Each config interface, with what Pulumi.yaml's defaults validate to for it. */
const CONFIG_DEFAULTS = new Map<string, object>([
    ["NetworkConfig", defaults.network],
    ["BastionConfig", defaults.bastion],
    ["BastionImageConfig", defaults.bastion],
    ["CacheConfig", defaults.cache],
    ["DataProtectionConfig", defaults.cache],
    ["AlarmsConfig", defaults.alarms],
    ["AlarmThresholds", defaults.alarms.thresholds],
]);

/** The string literal keys of `"a" | "b"`. */
function keysOf(node: ts.TypeNode): Set<string> {
    return new Set(
        node
            .getText()
            .replace(/"/g, "")
            .split("|")
            .map((k) => k.trim()),
    );
}

/** The members of a named type, `Omit<X, "k">` (leaves `k` out) or `Pick<X, "k">` (keeps only `k`). */
function membersOfReference(typeName: string, typeArguments: readonly ts.TypeNode[] | undefined): Member[] {
    if (typeName !== "Omit" && typeName !== "Pick") {
        return membersOf(typeName);
    }
    const [target, keys] = typeArguments ?? [];
    const named = keysOf(keys);
    return membersOf(target.getText()).filter((m) => named.has(m.name) === (typeName === "Pick"));
}

/** The members of an interface, with those of the interfaces it extends. */
function membersOf(name: string): Member[] {
    const decl = declarations.get(name);
    assert.ok(decl, `no declaration of ${name}`);
    if (ts.isTypeAliasDeclaration(decl)) {
        assert.ok(ts.isTypeReferenceNode(decl.type), `${name} aliases a named type`);
        return membersOfReference(decl.type.typeName.getText(), decl.type.typeArguments);
    }
    assert.ok(ts.isInterfaceDeclaration(decl));
    const own: Member[] = decl.members.filter(ts.isPropertySignature).map((m) => ({
        name: m.name.getText(),
        optional: m.questionToken !== undefined,
        from: CONFIG_DEFAULTS.has(name) ? name : undefined,
        typeName: m.type && ts.isTypeReferenceNode(m.type) ? m.type.typeName.getText() : undefined,
        tags: tagsOf(m),
    }));
    const inherited = (decl.heritageClauses ?? []).flatMap((clause) =>
        clause.types.flatMap((base) => membersOfReference(base.expression.getText(), base.typeArguments)),
    );
    return [...own, ...inherited];
}

/**
 * Every arg has `@example`; optional and config-derived ones `@default`, config-derived ones matching
 * Pulumi.yaml. Members typed with a config interface (`thresholds: AlarmThresholds`) have theirs checked too.
 */
function assertDocumented(label: string, members: Member[]): void {
    for (const m of members) {
        assert.ok(m.tags.has("example"), `${label}.${m.name} has no @example`);
        if (m.from !== undefined || m.optional) {
            assert.ok(m.tags.has("default"), `${label}.${m.name} has no @default`);
        }
        if (m.from !== undefined) {
            const values = CONFIG_DEFAULTS.get(m.from) as Record<string, unknown>;
            assert.strictEqual(
                m.tags.get("default")!.split(/\s/)[0],
                formatDefault(values[m.name]),
                `${label}.${m.name} (from ${m.from}): @default is not what Pulumi.yaml's default validates to`,
            );
        }
        if (m.typeName !== undefined && CONFIG_DEFAULTS.has(m.typeName)) {
            assertDocumented(`${label}.${m.name}`, membersOf(m.typeName));
        }
    }
}

/** The public readonly properties a component class exposes. */
function outputsOf(className: string): { name: string; tags: Map<string, string> }[] {
    const decl = declarations.get(className);
    assert.ok(decl && ts.isClassDeclaration(decl), `no class ${className}`);
    return decl.members
        .filter(ts.isPropertyDeclaration)
        .filter((m) => !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)))
        .map((m) => ({ name: m.name.getText(), tags: tagsOf(m) }));
}

/** A default as JSDoc writes it: JSON, `undefined`, and a CIDR in its text form. */
function formatDefault(value: unknown): string {
    if (value === undefined) {
        return "undefined";
    }
    if (typeof value === "object" && value !== null && "prefixLength" in value && "address" in value) {
        return JSON.stringify(formatIpv4Cidr(value as { address: number; prefixLength: number }));
    }
    return JSON.stringify(value);
}

describe("component APIs are documented where editors show them, true to Pulumi.yaml", () => {
    // `inherits`: members that only reach the args through `extends` (the walk must find them).
    const components = [
        { component: "Network", args: "NetworkArgs", outputs: 4, inherits: ["vpcCidr"] },
        { component: "Bastion", args: "BastionArgs", outputs: 6, inherits: ["instanceType", "amiId"] },
        {
            component: "RedisCluster",
            args: "RedisClusterArgs",
            outputs: 12,
            inherits: ["nodeType", "protect", "finalSnapshot", "applyImmediately"],
        },
        {
            component: "Alarms",
            args: "AlarmsArgs",
            outputs: 2,
            inherits: ["email", "thresholds", "clusterMode", "shards", "replicasPerShard", "nodeType"],
        },
    ];

    for (const { component, args, outputs: outputCount, inherits } of components) {
        it(`${args}: every arg has @example; optional and config-derived ones @default, matching Pulumi.yaml`, () => {
            const members = membersOf(args);
            const names = members.map((m) => m.name);
            for (const name of inherits) {
                assert.ok(names.includes(name), `${args}: ${name} not found among ${names.join(", ")}`);
            }
            assertDocumented(args, members);
        });

        it(`${component}: every output has @example, and is readonly`, () => {
            const outputs = outputsOf(component);
            assert.ok(outputs.length >= outputCount, `${component} has ${outputs.length} outputs`);
            for (const o of outputs) {
                assert.ok(o.tags.has("example"), `${component}.${o.name} has no @example`);
            }
            const decl = declarations.get(component) as ts.ClassDeclaration;
            for (const m of decl.members.filter(ts.isPropertyDeclaration)) {
                assert.ok(
                    ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Readonly,
                    `${component}.${m.name.getText()} is not readonly`,
                );
            }
        });
    }

    it("sees a wrong @default (the check can fail)", () => {
        assert.notStrictEqual(formatDefault(defaults.cache.port + 1), formatDefault(defaults.cache.port));
        assert.strictEqual(formatDefault(defaults.network.vpcCidr), '"10.42.0.0/16"');
        assert.strictEqual(formatDefault(defaults.cache.authToken), "undefined");
    });

    it("reads Pick and Omit as TypeScript does, and follows config-typed members", () => {
        const topology = membersOf("CacheTopology").map((m) => m.name);
        assert.deepStrictEqual(topology.sort(), ["clusterMode", "nodeType", "replicasPerShard", "shards"]);
        assert.ok(membersOf("CacheTopology").every((m) => m.from === "CacheConfig"));
        const cache = membersOf("RedisClusterArgs").map((m) => m.name);
        assert.ok(!cache.includes("clientSecurityGroupIds"), "Omit left clientSecurityGroupIds in");
        const thresholds = membersOf("AlarmsConfig").find((m) => m.name === "thresholds");
        assert.strictEqual(thresholds?.typeName, "AlarmThresholds");
    });
});
