// Component APIs documented where editors show them (issue #8.7): every arg and output of Network, Bastion and
// RedisCluster carries JSDoc with `@example`, optional args and every config-derived arg carry `@default`, and
// that `@default` is what Pulumi.yaml's defaults validate to (as the README's config table is tested against it).
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
    "infra/network.ts",
    "infra/bastion.ts",
    "infra/redis.ts",
];

interface Member {
    name: string;
    optional: boolean;
    /** The config interface it comes from, if any. */
    from?: string;
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

const CONFIG_INTERFACES = new Set(["NetworkConfig", "BastionConfig", "CacheConfig"]);

/** The members of an interface, with those of the interfaces it extends (`Omit<X, "k">` leaves `k` out). */
function membersOf(name: string): Member[] {
    const decl = declarations.get(name);
    assert.ok(decl, `no declaration of ${name}`);
    if (ts.isTypeAliasDeclaration(decl)) {
        assert.ok(ts.isTypeReferenceNode(decl.type), `${name} aliases a named type`);
        return membersOf(decl.type.typeName.getText());
    }
    assert.ok(ts.isInterfaceDeclaration(decl));
    const own: Member[] = decl.members.filter(ts.isPropertySignature).map((m) => ({
        name: m.name.getText(),
        optional: m.questionToken !== undefined,
        from: CONFIG_INTERFACES.has(name) ? name : undefined,
        tags: tagsOf(m),
    }));
    const inherited = (decl.heritageClauses ?? []).flatMap((clause) =>
        clause.types.flatMap((base) => {
            const baseName = base.expression.getText();
            if (baseName !== "Omit") {
                return membersOf(baseName);
            }
            const [target, omitted] = base.typeArguments ?? [];
            const left = new Set(
                omitted
                    .getText()
                    .replace(/"/g, "")
                    .split("|")
                    .map((k) => k.trim()),
            );
            return membersOf(target.getText()).filter((m) => !left.has(m.name));
        }),
    );
    return [...own, ...inherited];
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
    const defaults = parseConfig(projectDefaults());
    const components = [
        { component: "Network", args: "NetworkArgs", config: defaults.network },
        { component: "Bastion", args: "BastionArgs", config: defaults.bastion },
        { component: "RedisCluster", args: "RedisClusterArgs", config: defaults.cache },
    ];

    for (const { component, args, config } of components) {
        it(`${args}: every arg has @example; optional and config-derived ones @default, matching Pulumi.yaml`, () => {
            const members = membersOf(args);
            assert.ok(members.length >= 3, `${args} has ${members.length} members`);
            const values = config as unknown as Record<string, unknown>;
            for (const m of members) {
                assert.ok(m.tags.has("example"), `${args}.${m.name} has no @example`);
                if (m.from !== undefined || m.optional) {
                    assert.ok(m.tags.has("default"), `${args}.${m.name} has no @default`);
                }
                if (m.from !== undefined) {
                    assert.strictEqual(
                        m.tags.get("default")!.split(/\s/)[0],
                        formatDefault(values[m.name]),
                        `${args}.${m.name} (from ${m.from}): @default is not what Pulumi.yaml's default validates to`,
                    );
                }
            }
        });

        it(`${component}: every output has @example, and is readonly`, () => {
            const outputs = outputsOf(component);
            assert.ok(outputs.length >= 4, `${component} has ${outputs.length} outputs`);
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
});
