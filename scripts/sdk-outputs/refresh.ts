// Regenerates scripts/offline-check/analyzer/computed-outputs.json from the installed provider SDKs' declarations
// (sdk-declarations.ts): per resource type token, the output properties a preview of a create leaves unknown
// unless the program sets them. Usage:
//   npm run sdk-outputs:refresh -- [--sdk DIR]... [--out FILE] [--date YYYY-MM-DD]
// Default SDKs: the installed @pulumi/aws and @pulumi/random. Exit 0 written, 2 usage.
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { parseArgs } from "util";
import { computedOutputsTable, renderComputedOutputs } from "./sdk-declarations";

const REPO = path.resolve(__dirname, "..", "..");
const DEFAULT_SDKS = ["@pulumi/aws", "@pulumi/random"];
const OUT = path.join(REPO, "scripts", "offline-check", "analyzer", "computed-outputs.json");

async function main(): Promise<number> {
    let args;
    try {
        args = parseArgs({
            args: process.argv.slice(2),
            options: {
                sdk: { type: "string", multiple: true },
                out: { type: "string" },
                date: { type: "string" },
            },
            strict: true,
            allowPositionals: false,
        }).values;
    } catch (e) {
        process.stderr.write(
            `sdk-outputs:refresh: ${(e as Error).message} (options: --sdk DIR, --out FILE, --date YYYY-MM-DD)\n`,
        );
        return 2;
    }
    const dirs = (
        args.sdk ?? DEFAULT_SDKS.map((p) => path.dirname(require.resolve(`${p}/package.json`, { paths: [REPO] })))
    ).map((d) => path.resolve(d));
    for (const d of dirs) {
        if (!fs.existsSync(path.join(d, "package.json"))) {
            process.stderr.write(`sdk-outputs:refresh: --sdk ${d} has no package.json\n`);
            return 2;
        }
    }
    const date = args.date ?? new Date().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        process.stderr.write(`sdk-outputs:refresh: --date must be YYYY-MM-DD, got ${date}\n`);
        return 2;
    }
    const out = path.resolve(args.out ?? OUT);
    const table = computedOutputsTable(dirs, date);
    // Formatted as the repository's prettier config wants (`npm run lint` checks it).
    const options = (await prettier.resolveConfig(out)) ?? {};
    fs.writeFileSync(out, await prettier.format(renderComputedOutputs(table), { ...options, filepath: out }));
    const types = Object.keys(table.types).length;
    process.stdout.write(
        `wrote ${path.relative(process.cwd(), out)}: ${types} resource types from ${Object.entries(table.sdks)
            .map(([n, v]) => `${n}@${v}`)
            .join(", ")}\n`,
    );
    return 0;
}

if (require.main === module) {
    void main().then((code) => (process.exitCode = code));
}
