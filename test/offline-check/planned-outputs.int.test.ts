// AnalyzeStack in a preview gets each new resource's planned outputs (pulumi/pulumi step_generator.go; the
// terraform bridge's Create with preview returns the checked inputs plus every computed attribute unknown). This
// rebuilds the dev stack's planned outputs from the installed SDKs' declarations independently of the checker:
// each type token is resolved to its SDK class at runtime (`aws.ec2.Instance.__pulumiType`), and the TypeScript
// type checker (not the generator's syntax walk) says which of the class's properties are `Output<T>` with no
// `undefined` in T. A held-out pack (test/fixtures/planned-outputs-pack) captures what AnalyzeStack received,
// and its stack policies read an output the program left unset (the engine's "can't run during preview") and
// one it set (its value).
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { UNKNOWN } from "../../scripts/offline-check/recorder/recording";
import { FIXTURES, type JsonReport, REPO } from "./run-cli";

const LAUNCHER = path.join(REPO, "scripts", "redis-stack-check.js");

interface Captured {
    urn: string;
    type: string;
    props: Record<string, unknown>;
}

/** The SDK class of a type token and the declaration file it comes from, found at runtime. */
function sdkClass(token: string): { name: string; dts: string } | undefined {
    const [pkg, mod, name] = token.split(":");
    if (pkg !== "aws" && pkg !== "random") {
        return undefined;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const root = require(`@pulumi/${pkg}`) as Record<string, Record<string, unknown>>;
    const first = mod.split("/")[0];
    const cls = (first === "index" ? root : root[first])[name] as { __pulumiType?: string } | undefined;
    assert.ok(cls, `no class for ${token}`);
    assert.equal(cls.__pulumiType, token);
    // The module that defines it (namespaces' index.js files re-export it).
    const loaded = Object.values(require.cache).find(
        (m) =>
            m?.filename.includes(`@pulumi/${pkg}/`) &&
            path.basename(m.filename) !== "index.js" &&
            (m.exports as Record<string, unknown>)[name] === cls,
    );
    assert.ok(loaded, `no module file for ${token}`);
    return { name, dts: loaded.filename.replace(/\.js$/, ".d.ts") };
}

/**
 * T of an `Output<T>` property: `Output<T>` is `OutputInstance<T> & Lifted<T>`, which the checker reduces to
 * `OutputInstance<T>` when `Lifted<T>` is empty (T boolean, number...).
 */
function outputArgument(checker: ts.TypeChecker, t: ts.Type): ts.Type | undefined {
    if (t.aliasSymbol?.name === "Output" && t.aliasTypeArguments?.length === 1) {
        return t.aliasTypeArguments[0];
    }
    const isReference =
        (t.flags & ts.TypeFlags.Object) !== 0 && ((t as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) !== 0;
    if (isReference && t.getSymbol()?.getName() === "OutputInstance") {
        return checker.getTypeArguments(t as ts.TypeReference)[0];
    }
    return undefined;
}

/** Per class file: its class's properties typed Output<T> with no undefined in T, by the type checker (`urn` aside). */
function requiredOrComputed(classes: { name: string; dts: string }[]): Map<string, Set<string>> {
    const program = ts.createProgram(
        classes.map((c) => c.dts),
        {
            strict: true,
            skipLibCheck: true,
            noEmit: true,
            types: [],
            target: ts.ScriptTarget.ES2022,
            module: ts.ModuleKind.CommonJS,
            moduleResolution: ts.ModuleResolutionKind.Node10,
        },
    );
    const checker = program.getTypeChecker();
    const out = new Map<string, Set<string>>();
    for (const c of classes) {
        const sf = program.getSourceFile(c.dts);
        assert.ok(sf, c.dts);
        const sym = checker.getExportsOfModule(checker.getSymbolAtLocation(sf)!).find((s) => s.name === c.name);
        assert.ok(sym && (sym.flags & ts.SymbolFlags.Class) !== 0, `class ${c.name} in ${c.dts}`);
        const names = new Set<string>();
        for (const p of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(sym))) {
            const arg = outputArgument(checker, checker.getTypeOfSymbol(p));
            if (arg === undefined) {
                continue;
            }
            const undef = (x: ts.Type) => (x.flags & ts.TypeFlags.Undefined) !== 0;
            if (!undef(arg) && !(arg.isUnion() && arg.types.some(undef))) {
                names.add(p.name);
            }
        }
        // CustomResource's own `urn` is the engine's, never in a provider's outputs; `id` is (the bridge fills it).
        names.delete("urn");
        out.set(c.dts, names);
    }
    return out;
}

describe("offline-check: AnalyzeStack gets the planned outputs of a preview (dev stack, held-out pack)", function () {
    this.timeout(300_000);
    let tmp: string;
    let report: JsonReport;
    let captured: Captured[];
    let code: number;

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "planned-outputs-"));
        const capture = path.join(tmp, "analyze-stack.json");
        const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
            execFile(
                process.execPath,
                [
                    LAUNCHER,
                    "--stack",
                    "dev",
                    "--policy-pack",
                    path.join(FIXTURES, "planned-outputs-pack"),
                    "--format",
                    "json",
                    // The capture is the preview's AnalyzeStack: the second pass (every output known) would overwrite it.
                    "--preview-only",
                ],
                {
                    cwd: REPO,
                    env: { ...process.env, PLANNED_OUTPUTS_CAPTURE: capture },
                    maxBuffer: 64 * 1024 * 1024,
                    timeout: 240_000,
                },
                (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
            ),
        );
        code = run.code;
        assert.ok(fs.existsSync(capture), run.stderr);
        report = JSON.parse(run.stdout) as JsonReport;
        captured = JSON.parse(fs.readFileSync(capture, "utf8")) as Captured[];
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("sends every custom resource its checked inputs plus id and each required-or-computed output it left unset, unknown", () => {
        const byUrn = new Map(captured.map((c) => [c.urn, c]));
        const custom = report.resources.filter((r) => sdkClass(r.type) !== undefined);
        const classes = new Map(custom.map((r) => [r.type, sdkClass(r.type)!]));
        const outputs = requiredOrComputed([...classes.values()]);
        let unknowns = 0;
        for (const r of custom) {
            const got = byUrn.get(r.urn);
            assert.ok(got, `AnalyzeStack did not get ${r.urn}`);
            const rc = outputs.get(classes.get(r.type)!.dts)!;
            assert.ok(rc.has("id"), r.type);
            const unset = [...rc].filter((k) => r.inputs[k] === undefined || r.inputs[k] === null);
            const set = Object.keys(r.inputs).filter((k) => r.inputs[k] !== null);
            assert.deepEqual(Object.keys(got.props).sort(), [...new Set([...set, ...unset])].sort(), r.urn);
            for (const k of unset) {
                assert.equal(got.props[k], UNKNOWN, `${r.urn} ${k}`);
            }
            for (const k of set) {
                // The JSON report masks secrets; every other input arrives as the program set it (after Check).
                if (r.inputs[k] !== "[secret]") {
                    assert.deepEqual(got.props[k], r.inputs[k], `${r.urn} ${k}`);
                }
            }
            unknowns += unset.length;
        }
        // The dev stack: 37 registrations, 31 of them AWS or random resources, hundreds of planned unknowns.
        assert.ok(custom.length >= 25, `${custom.length} SDK resources`);
        assert.ok(unknowns > 200, `${unknowns} planned unknowns`);
    });

    it("a stack policy reading an output the program left unset gets the engine's answer: can't run during preview", () => {
        const unset = report.violations.filter((v) => v.policy === "reads-unset-computed");
        assert.deepEqual(
            unset.map((v) => [v.enforcementLevel, v.message]),
            [
                [
                    "advisory",
                    "can't run policy 'reads-unset-computed' from policy pack 'planned-outputs-fixture-pack@v0.0.1' " +
                        "during preview: string value at .tenancy can't be known during preview",
                ],
            ],
        );
        assert.equal(code, 0, "an unknown is an advisory, never a mandatory verdict");
    });

    it("one reading a property the program set gets its value", () => {
        const set = report.violations.filter((v) => v.policy === "reads-set");
        assert.equal(set.length, 1);
        assert.match(set[0].message, /instanceType is t2\.micro$/);
    });
});
