// Regenerates policy/shared/aws-api/constraints.generated.ts from AWS's API models in botocore's format (Debian:
// `apt-get install python3-botocore`, models under /usr/lib/python3/dist-packages/botocore/data) and the enums of
// the installed @pulumi/aws SDK. Usage:
//   npm run aws-models:refresh -- [--models DIR] [--version V] [--sdk DIR] [--date YYYY-MM-DD] [--out FILE]
// --models is botocore's data directory (<service>/<api-version>/service-2.json; the newest version is read);
// --version defaults to __version__ in DIR/../__init__.py. Exit 0 written, 1 the model lacks a mapped member,
// 2 usage or no models.

import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import * as prettier from "prettier";
import { API_MEMBERS } from "./api-members";
import { generateConstraints, renderConstraints, sdkEnumValues, type ServiceModel } from "./generate";

const REPO = path.resolve(__dirname, "../..");
const DEFAULT_MODELS = "/usr/lib/python3/dist-packages/botocore/data";
const OUT = path.join(REPO, "policy/shared/aws-api/constraints.generated.ts");

class UsageError extends Error {}

/** The newest API version directory of a service (botocore keeps older ones beside it, e.g. ec2). */
function newestModel(models: string, service: string): { version: string; model: ServiceModel } {
    const dir = path.join(models, service);
    if (!fs.existsSync(dir)) {
        throw new UsageError(
            `${dir} does not exist: install the models (apt-get install python3-botocore) or pass --models DIR`,
        );
    }
    const versions = fs
        .readdirSync(dir)
        .filter((v) => fs.existsSync(path.join(dir, v, "service-2.json")))
        .sort();
    const version = versions[versions.length - 1];
    if (version === undefined) {
        throw new UsageError(`${dir} has no <version>/service-2.json`);
    }
    return { version, model: JSON.parse(fs.readFileSync(path.join(dir, version, "service-2.json"), "utf8")) };
}

function botocoreVersion(models: string): string {
    const init = path.join(models, "..", "__init__.py");
    const m = fs.existsSync(init) ? /__version__ = ['"]([^'"]+)['"]/.exec(fs.readFileSync(init, "utf8")) : null;
    if (!m) {
        throw new UsageError(`cannot read botocore's version from ${init}; pass --version`);
    }
    return m[1];
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        args: process.argv.slice(2),
        options: {
            models: { type: "string", default: DEFAULT_MODELS },
            version: { type: "string" },
            sdk: { type: "string", default: path.join(REPO, "node_modules/@pulumi/aws") },
            date: { type: "string", default: new Date().toISOString().slice(0, 10) },
            out: { type: "string", default: OUT },
        },
        strict: true,
    });
    const models = path.resolve(values.models);
    const services = [...new Set(Object.values(API_MEMBERS).flatMap((ops) => ops.map((o) => o.service)))].sort();
    const loaded = Object.fromEntries(services.map((s) => [s, newestModel(models, s)]));
    const sdk = path.resolve(values.sdk);
    const sdkEnums = (module: string, name: string) => {
        const file = path.join(sdk, "types/enums", module, "index.d.ts");
        return fs.existsSync(file) ? sdkEnumValues(fs.readFileSync(file, "utf8"), name) : undefined;
    };
    const generated = generateConstraints(
        Object.fromEntries(Object.entries(loaded).map(([s, l]) => [s, l.model])),
        API_MEMBERS,
        sdkEnums,
    );
    const sdkVersion = JSON.parse(fs.readFileSync(path.join(sdk, "package.json"), "utf8")).version as string;
    const out = path.resolve(values.out);
    const text = renderConstraints(generated, {
        botocoreVersion: values.version ?? botocoreVersion(models),
        generatedOn: values.date,
        apiVersions: Object.fromEntries(Object.entries(loaded).map(([s, l]) => [s, l.version])),
        sdkVersion,
    });
    fs.writeFileSync(out, await prettier.format(text, { ...(await prettier.resolveConfig(out)), filepath: out }));
    console.log(
        `aws-models:refresh: wrote ${path.relative(process.cwd(), out)} (${generated.rules} rules on ` +
            `${Object.keys(generated.constraints).length} types; ${generated.skippedPatterns.length} patterns not translatable)`,
    );
    return 0;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        console.error(`aws-models:refresh: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1);
    },
);
