// Docs that cannot go stale: every repository path and every npm script a README names exists. A path is a
// backticked or linked word that looks like one of this repository's files or folders (a `/` in it, or an
// extension of a file kind the repository holds); it must exist relative to the README's folder or the
// repository root, and a bare file name (`estimate.ts`) must be the name of some file of the repository.
// `npm run <script>` must name a script of package.json.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
/**
 * Never walked: installed packages, git's store, downloads and generated output (all git-ignored), and test inputs
 * (programs of their own).
 */
const SKIPPED_DIRS = new Set(["node_modules", ".git", ".cache", "tmp", ".stryker-tmp", "reports", "fixtures"]);
/** File kinds of this repository; a backticked `.go` or `.py` path names an upstream source, not ours. */
const OWN_EXTENSIONS = /\.(ts|js|mjs|json|ya?ml|md|sh)$/;
/**
 * Names the READMEs use for files and things that are not the repository's: written at run time, installed by
 * npm, or named by GitHub. Each with where it is.
 */
const NOT_REPOSITORY_FILES = new Set([
    "request.json", // the offline check's request to its program child, in a temp dir
    "typescript.js", // node_modules/typescript/lib/typescript.js
    "service-2.json", // an AWS API model in botocore (python3-botocore), data/<service>/<version>/service-2.json
    "actions/cache", // a GitHub Action (owner/repository), used by .github/workflows/pull-request.yml
    "aws-actions/configure-aws-credentials", // likewise
    "my-org/", // an example PULUMI_STACK_PREFIX (a Pulumi Cloud organization)
]);

function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return SKIPPED_DIRS.has(entry.name) ? [] : walk(full);
        }
        return [full];
    });
}

/** `.gitignore`'s plain entries (`reports/`, `.stryker-tmp/`): output a README may name, and what is under it. */
function ignored(): Set<string> {
    return new Set(
        fs
            .readFileSync(path.join(ROOT, ".gitignore"), "utf8")
            .split("\n")
            .map((l) => l.trim().replace(/^\//, ""))
            .filter((l) => l !== "" && !l.startsWith("#") && !l.includes("*")),
    );
}

/** The words of a README that name a repository path: backticked, or a link's target. */
function pathReferences(markdown: string): string[] {
    const words = new Set<string>();
    for (const m of markdown.matchAll(/`([^`\n]+)`/g)) words.add(m[1]);
    for (const m of markdown.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) words.add(m[1]);
    return [...words].filter(
        (w) =>
            !/^[a-z]+:/.test(w) && // a URL
            /^(@[\w.-]+\/)?[\w.][\w./-]*$/.test(w) && // path characters only (an npm scope first): no placeholders, globs or spaces
            !/^(\.\w+)+$/.test(w) && // an extension alone (`.js`, `.d.ts`)
            !/^\d/.test(w) && // a version or a number
            (w.includes("/") ? !/\.\w+$/.test(w) || OWN_EXTENSIONS.test(w) : OWN_EXTENSIONS.test(w)),
    );
}

/** The scripts `npm run <name>` calls in a README. */
function npmScripts(markdown: string): string[] {
    return [...markdown.matchAll(/npm run ([\w:.-]+)/g)].map((m) => m[1]);
}

describe("READMEs name only what exists", () => {
    const files = walk(ROOT);
    const readmes = files.filter((f) => path.basename(f) === "README.md");
    const basenames = new Set(files.map((f) => path.basename(f)));
    const outputs = ignored();
    const scripts = Object.keys(
        (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
            .scripts,
    );

    it("finds the READMEs and the references in them", () => {
        const names = readmes.map((f) => path.relative(ROOT, f)).sort();
        for (const expected of ["README.md", "policy/README.md", "scripts/offline-check/README.md", "test/README.md"]) {
            assert.ok(names.includes(expected), `${expected} not found among ${names.join(", ")}`);
        }
        assert.deepStrictEqual(
            pathReferences(
                "`policy/foo.ts`, [x](../scripts/a.sh#top), `a.go/b.go`, `<stack>.json`, `.js`, `x.ts`, `@a/b/c.js`",
            ),
            ["policy/foo.ts", "x.ts", "@a/b/c.js", "../scripts/a.sh"],
        );
        assert.deepStrictEqual(npmScripts("run `npm run preview -- --stack prod` or npm run bench:check"), [
            "preview",
            "bench:check",
        ]);
    });

    for (const readme of readmes) {
        const name = path.relative(ROOT, readme);
        const text = fs.readFileSync(readme, "utf8");

        it(`${name}: every path it names exists`, () => {
            const missing = pathReferences(text).filter((ref) => {
                const bare = !ref.replace(/\/$/, "").includes("/");
                return !(
                    fs.existsSync(path.join(path.dirname(readme), ref)) ||
                    fs.existsSync(path.join(ROOT, ref)) ||
                    // A file of an installed package (`@pulumi/pulumi/runtime/state.js`): the version installed has it.
                    (ref.startsWith("@") && fs.existsSync(path.join(ROOT, "node_modules", ref))) ||
                    NOT_REPOSITORY_FILES.has(ref) ||
                    (bare && basenames.has(ref)) ||
                    [...outputs].some((o) => ref === o || (o.endsWith("/") && ref.startsWith(o)))
                );
            });
            assert.deepStrictEqual(missing, [], `${name} names paths that do not exist`);
        });

        it(`${name}: every npm script it runs exists`, () => {
            const missing = npmScripts(text).filter((s) => !scripts.includes(s));
            assert.deepStrictEqual(missing, [], `${name} runs npm scripts package.json does not have`);
        });
    }
});
