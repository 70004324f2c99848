// Reads a Pulumi provider SDK's own declarations (the generated `<module>/<resource>.d.ts` of @pulumi/aws,
// @pulumi/random...) and says, per resource type token, which output properties are required-or-computed:
// declared `pulumi.Output<T>` (the provider always has a value after create, so in a preview of a create the
// engine sees it unknown unless the program set it) rather than `pulumi.Output<T | undefined>` (plain optional:
// absent unless set). The token comes from the compiled class (`static __pulumiType = '<token>'`), which the
// declarations omit (it is @internal).
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** One resource class of an SDK: its token and its output properties split by kind. */
export interface DeclaredResource {
    token: string;
    /** `Output<T>` with no `undefined` in T: required inputs and provider-computed outputs. */
    requiredOrComputed: string[];
    /** `Output<T | undefined>`: plain optional. */
    optional: string[];
}

const TOKEN = /__pulumiType\s*=\s*['"]([^'"]+)['"]/;

/** The type token of a compiled SDK class file, or undefined for a file that declares no resource. */
export function resourceToken(js: string): string | undefined {
    return TOKEN.exec(js)?.[1];
}

function isPulumiOutput(type: ts.TypeNode): type is ts.TypeReferenceNode {
    if (!ts.isTypeReferenceNode(type)) {
        return false;
    }
    const name = type.typeName;
    return ts.isQualifiedName(name) && name.right.text === "Output" && (type.typeArguments?.length ?? 0) === 1;
}

function allowsUndefined(type: ts.TypeNode): boolean {
    if (ts.isParenthesizedTypeNode(type)) {
        return allowsUndefined(type.type);
    }
    if (type.kind === ts.SyntaxKind.UndefinedKeyword) {
        return true;
    }
    return ts.isUnionTypeNode(type) && type.types.some(allowsUndefined);
}

/**
 * The output properties of the exported `CustomResource` class in one declaration file (syntax only: the SDK's
 * declarations are generated in one shape), or undefined when it declares none.
 */
export function declaredOutputs(fileName: string, dts: string): Omit<DeclaredResource, "token"> | undefined {
    const source = ts.createSourceFile(fileName, dts, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    for (const stmt of source.statements) {
        if (!ts.isClassDeclaration(stmt) || !stmt.heritageClauses) {
            continue;
        }
        const base = stmt.heritageClauses.flatMap((h) => h.types.map((t) => t.expression.getText(source)));
        if (!base.includes("pulumi.CustomResource")) {
            continue;
        }
        const requiredOrComputed: string[] = [];
        const optional: string[] = [];
        for (const m of stmt.members) {
            if (!ts.isPropertyDeclaration(m) || !m.type || !isPulumiOutput(m.type)) {
                continue;
            }
            if (ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) {
                continue;
            }
            const name = m.name.getText(source);
            (allowsUndefined(m.type.typeArguments![0]) ? optional : requiredOrComputed).push(name);
        }
        return { requiredOrComputed, optional };
    }
    return undefined;
}

/** Every resource of an installed SDK package directory (`.d.ts` beside its `.js`), sorted by token. */
export function sdkResources(packageDir: string): DeclaredResource[] {
    const out: DeclaredResource[] = [];
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                if (entry.name !== "node_modules" && entry.name !== "types") {
                    walk(file);
                }
                continue;
            }
            if (!entry.name.endsWith(".d.ts")) {
                continue;
            }
            const jsFile = file.slice(0, -".d.ts".length) + ".js";
            if (!fs.existsSync(jsFile)) {
                continue;
            }
            const token = resourceToken(fs.readFileSync(jsFile, "utf8"));
            if (!token) {
                continue;
            }
            const outputs = declaredOutputs(file, fs.readFileSync(file, "utf8"));
            if (outputs) {
                out.push({ token, ...outputs });
            }
        }
    };
    walk(packageDir);
    return out.sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
}

/** The generated table: dated, pinned to the SDK versions it was read from. */
export interface ComputedOutputsTable {
    /** How it was made, for readers of the JSON. */
    comment: string;
    generated: string;
    /** Package name -> version read. */
    sdks: Record<string, string>;
    /** Type token -> its required-or-computed output names, space-separated (one line per type in the file). */
    types: Record<string, string>;
}

export function computedOutputsTable(packageDirs: string[], date: string): ComputedOutputsTable {
    const sdks: Record<string, string> = {};
    const types: Record<string, string> = {};
    for (const dir of packageDirs) {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
            name: string;
            version: string;
        };
        sdks[pkg.name] = pkg.version;
        for (const r of sdkResources(dir)) {
            types[r.token] = r.requiredOrComputed.join(" ");
        }
    }
    return {
        comment:
            "Generated by `npm run sdk-outputs:refresh` (scripts/sdk-outputs) from the installed SDKs' declarations: " +
            "per resource type, the outputs typed pulumi.Output<T> (required or provider-computed), which a preview " +
            "of a create leaves unknown unless the program sets them. Do not edit.",
        generated: date,
        sdks,
        types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    };
}

/** The table as written: JSON with one line per type (names space-separated), so a refresh diffs per type. */
export function renderComputedOutputs(table: ComputedOutputsTable): string {
    return `${JSON.stringify(table, null, 2)}\n`;
}
