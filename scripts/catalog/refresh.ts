// Regenerates policy/shared/catalog-data.generated.ts from DescribeCacheEngineVersions answers and Price List
// AmazonElastiCache offer files. Usage:
//   npm run catalog:refresh -- [--engine-versions FILE]... [--price-list FILE]... [--date YYYY-MM-DD] [--out FILE]
// FILE for --engine-versions: `aws elasticache describe-cache-engine-versions` output; for --price-list:
// https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonElastiCache/current/<region>/index.json.
// Without them it reads the transcribed snapshot in scripts/catalog/snapshot/ (no network or AWS account here).
// Exit 0 written, 1 the inputs disagree, 2 usage.

import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import * as prettier from "prettier";
import { type DescribeCacheEngineVersions, type ProductsOffer, renderCatalog } from "./generate";

const REPO = path.resolve(__dirname, "../..");
const SNAPSHOT = path.join(__dirname, "snapshot");
const OUT = path.join(REPO, "policy/shared/catalog-data.generated.ts");

function readJson<T>(file: string): T {
    if (!fs.existsSync(file)) {
        throw Object.assign(new Error(`${file} does not exist`), { usage: true });
    }
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        args: process.argv.slice(2),
        options: {
            "engine-versions": { type: "string", multiple: true },
            "price-list": { type: "string", multiple: true },
            date: { type: "string", default: new Date().toISOString().slice(0, 10) },
            out: { type: "string", default: OUT },
        },
        strict: true,
    });
    const versionFiles = (
        values["engine-versions"] ?? [path.join(SNAPSHOT, "describe-cache-engine-versions.json")]
    ).map((f) => path.resolve(f));
    const offerFiles = (values["price-list"] ?? [path.join(SNAPSHOT, "AmazonElastiCache-products.json")]).map((f) =>
        path.resolve(f),
    );
    const describe: DescribeCacheEngineVersions = {
        CacheEngineVersions: versionFiles.flatMap(
            (f) => readJson<DescribeCacheEngineVersions>(f).CacheEngineVersions ?? [],
        ),
    };
    const offers = offerFiles.map((f) => readJson<ProductsOffer>(f));
    // The snapshot is a transcription from AWS's pages, not an API answer: the file says so, and so does the label.
    const label = (files: string[]) =>
        files
            .map((f) => path.relative(REPO, f) + (f.startsWith(SNAPSHOT) ? " (transcribed from AWS's docs)" : ""))
            .join(", ");
    const out = path.resolve(values.out);
    const text = renderCatalog(describe, offers, values.date, {
        engineVersions: `DescribeCacheEngineVersions: ${label(versionFiles)}`,
        priceList: `AmazonElastiCache offer (${offers.map((o) => o.publicationDate ?? "undated").join(", ")}): ${label(offerFiles)}`,
    });
    fs.writeFileSync(out, await prettier.format(text, { ...(await prettier.resolveConfig(out)), filepath: out }));
    console.log(`catalog:refresh: wrote ${path.relative(process.cwd(), out)}`);
    return 0;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        console.error(`catalog:refresh: ${e instanceof Error ? e.message : String(e)}`);
        const usage =
            (e as { usage?: boolean; code?: string }).usage ||
            (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
        process.exit(usage ? 2 : 1);
    },
);
