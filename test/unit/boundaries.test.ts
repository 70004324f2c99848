// The publish boundary of the policy pack (issue #8): `policy/` is the unit `pulumi policy publish` packages, so it
// imports nothing outside itself; code outside it (the program, the scripts) imports only `policy/shared`, the
// pack's one outward module. Tests of the pack's internals are exempt (they live in test/).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const SOURCE = /\.(ts|js|mjs|cjs)$/;

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "node_modules" ? [] : sourceFiles(full);
        }
        return SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}

/** Every module specifier of a file: imports, exports, `import x = require()`, `require()` and `import()`. */
function specifiers(file: string): string[] {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    return info.importedFiles.map((f) => f.fileName);
}

/** The problems with one file's imports; paths relative to the repository root. */
function boundaryProblems(file: string, imports: readonly string[]): string[] {
    const inPolicy = (p: string) => p === "policy" || p.startsWith("policy/");
    const shared = new Set(["policy/shared", "policy/shared/index"]);
    return imports.flatMap((spec) => {
        if (!spec.startsWith(".")) {
            return [];
        }
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.(ts|js)$/, "");
        if (inPolicy(file) && !inPolicy(target)) {
            return [`${file} imports ${spec}, outside policy/ (the pack must be self-contained)`];
        }
        if (!inPolicy(file) && inPolicy(target) && !shared.has(target)) {
            return [`${file} imports ${spec}; code outside policy/ may import only policy/shared`];
        }
        return [];
    });
}

describe("module boundaries", () => {
    it("policy/ imports nothing outside itself; infra/ and scripts/ import only policy/shared from it", () => {
        const files = ["infra", "scripts", "policy"].flatMap((dir) => sourceFiles(path.join(ROOT, dir)));
        assert.ok(files.length > 20, `found only ${files.length} files`);
        const problems = files.flatMap((full) =>
            boundaryProblems(path.relative(ROOT, full).split(path.sep).join("/"), specifiers(full)),
        );
        assert.deepStrictEqual(problems, []);
    });

    it("tells each kind of crossing apart", () => {
        assert.deepStrictEqual(
            boundaryProblems("infra/config/index.ts", ["../../policy/shared", "./network", "fs"]),
            [],
        );
        assert.deepStrictEqual(boundaryProblems("scripts/check/analyzer.ts", ["../../policy/shared/index"]), []);
        assert.deepStrictEqual(boundaryProblems("policy/network.ts", ["./shared/cidr", "./lib/util"]), []);
        assert.deepStrictEqual(boundaryProblems("infra/config/index.ts", ["../../policy/shared/cidr"]), [
            "infra/config/index.ts imports ../../policy/shared/cidr; code outside policy/ may import only policy/shared",
        ]);
        assert.deepStrictEqual(boundaryProblems("scripts/x.ts", ["../policy/lib/ingress"]), [
            "scripts/x.ts imports ../policy/lib/ingress; code outside policy/ may import only policy/shared",
        ]);
        assert.deepStrictEqual(boundaryProblems("policy/shared/cidr.ts", ["../../infra/cidr"]), [
            "policy/shared/cidr.ts imports ../../infra/cidr, outside policy/ (the pack must be self-contained)",
        ]);
        assert.ok(specifiers(__filename).includes("typescript"), "the scan sees this file's own imports");
    });
});
