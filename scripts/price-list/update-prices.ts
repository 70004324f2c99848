// Regenerates policy/shared/cost/prices.ts from AWS's Price List bulk offer files: downloads each offer's regional
// file (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json), or reads
// <dir>/<offer>/<region>.json with --from <dir>. Usage:
//   npm run cost:prices -- [--from DIR] [--regions us-east-1,ap-northeast-2] [--out FILE]
// Exit 0 written, 1 a figure is missing from the files, 2 usage or no network.

import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { OFFERS, type OfferFile, priceTableFrom, renderPriceTable } from "./price-list";

const BASE = process.env.PRICE_LIST_BASE ?? "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws";
const OUT = path.resolve(__dirname, "../../policy/shared/cost/prices.ts");

class UsageError extends Error {}

function parseArgs(argv: string[]): { from?: string; regions: string[]; out: string } {
    const args = { from: undefined as string | undefined, regions: ["us-east-1", "ap-northeast-2"], out: OUT };
    for (let i = 0; i < argv.length; i++) {
        const value = argv[i + 1];
        if (value === undefined || value.startsWith("--")) throw new UsageError(`${argv[i]} needs a value`);
        if (argv[i] === "--from") args.from = path.resolve(value);
        else if (argv[i] === "--regions") args.regions = value.split(",").filter((r) => r !== "");
        else if (argv[i] === "--out") args.out = path.resolve(value);
        else throw new UsageError(`unknown option ${argv[i]} (options: --from DIR, --regions A,B, --out FILE)`);
        i++;
    }
    return args;
}

async function download(url: string): Promise<OfferFile> {
    let res: Response;
    try {
        res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    } catch (e) {
        // undici wraps the socket error: its code is on `cause`, or on the first of `cause.errors` (happy eyeballs).
        const cause = (e as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
        const reason = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (e as Error).message;
        throw new UsageError(
            `cannot reach ${new URL(url).host} (${reason}): no network here; run it where there is one, ` +
                `or pass --from DIR with <offer>/<region>.json files`,
        );
    }
    if (!res.ok) throw new UsageError(`${url}: HTTP ${res.status}`);
    return (await res.json()) as OfferFile;
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    const byRegion: Record<string, OfferFile[]> = {};
    const sources: string[] = [];
    for (const region of args.regions) {
        byRegion[region] = [];
        for (const offer of OFFERS) {
            const url = `${BASE}/${offer}/current/${region}/index.json`;
            sources.push(url);
            if (args.from) {
                const file = path.join(args.from, offer, `${region}.json`);
                if (!fs.existsSync(file)) throw new UsageError(`--from: ${file} does not exist`);
                byRegion[region].push(JSON.parse(fs.readFileSync(file, "utf8")) as OfferFile);
            } else {
                byRegion[region].push(await download(url));
            }
        }
    }
    const { table, missing } = priceTableFrom(byRegion, sources);
    if (missing.length > 0) {
        console.error(`update-prices: not in the offer files: ${missing.join("; ")}`);
        return 1;
    }
    const source = await prettier.format(renderPriceTable(table), {
        ...(await prettier.resolveConfig(args.out)),
        filepath: args.out,
    });
    fs.writeFileSync(args.out, source);
    console.log(`update-prices: wrote ${path.relative(process.cwd(), args.out)} (prices as of ${table.pricesAsOf})`);
    return 0;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        console.error(`update-prices: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(e instanceof UsageError ? 2 : 1);
    },
);
