/**
 * With `main: infra/` the Pulumi CLI compiles the program with `infra/tsconfig.json` (its Node host looks in the
 * program directory; without a file it uses defaults of its own: ES2020, module nodenext, not strict). That file
 * extends the repository's, so the CLI, `npm run typecheck` and the offline check compile with one set of
 * settings; this compiles the program exactly as the CLI would.
 */
import * as assert from "assert";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");

function parse(configFile: string): ts.ParsedCommandLine {
    const host: ts.ParseConfigFileHost = {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    };
    const parsed = ts.getParsedCommandLineOfConfigFile(configFile, undefined, host);
    assert.ok(parsed, configFile);
    return parsed;
}

describe("the program compiles under the Pulumi CLI's settings", function () {
    // A full type-check of the program with @pulumi/aws takes 20-80 s on a shared 2-core machine.
    this.timeout(300000);
    const program = parse(path.join(ROOT, "infra", "tsconfig.json"));

    it("infra/tsconfig.json has the repository's compiler options, strict included", () => {
        const root = parse(path.join(ROOT, "tsconfig.json"));
        const options = (o: ts.CompilerOptions) => {
            const { configFilePath, ...rest } = o;
            void configFilePath;
            return rest;
        };
        assert.deepStrictEqual(options(program.options), options(root.options));
        assert.strictEqual(program.options.strict, true);
        assert.strictEqual(program.options.module, ts.ModuleKind.CommonJS);
    });

    it("type-checks the program from infra/ with no errors (tsc -p infra/tsconfig.json)", () => {
        assert.ok(program.fileNames.includes(path.join(ROOT, "infra", "index.ts")));
        assert.ok(program.fileNames.every((f) => f.startsWith(path.join(ROOT, "infra") + path.sep)));
        const compiled = ts.createProgram(program.fileNames, program.options);
        const errors = ts
            .getPreEmitDiagnostics(compiled)
            .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        assert.deepStrictEqual(errors, []);
    });
});
