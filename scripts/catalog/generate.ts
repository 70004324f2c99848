// Generates the refreshable part of the ElastiCache catalog (policy/shared/catalog-data.generated.ts) from
// AWS's machine-readable answers: DescribeCacheEngineVersions (engine versions and their parameter group
// families; `aws elasticache describe-cache-engine-versions` prints its JSON) and the Price List's
// AmazonElastiCache offer (the node types offered per engine; the bulk offer file format of scripts/price-list).
// Pure: refresh.ts reads the files; tests feed fixtures.

import { type OfferFile } from "../price-list/price-list";

/** DescribeCacheEngineVersions' output (the members read here). */
export interface DescribeCacheEngineVersions {
    readonly CacheEngineVersions: readonly {
        readonly Engine: string;
        readonly EngineVersion: string;
        readonly CacheParameterGroupFamily?: string;
    }[];
}

/** The product part of a Price List offer file (the bulk format scripts/price-list reads for prices). */
export type ProductsOffer = Pick<OfferFile, "products"> & Partial<Pick<OfferFile, "publicationDate">>;

const ENGINES = ["redis", "valkey"] as const;
type Engine = (typeof ENGINES)[number];
const isEngine = (e: string): e is Engine => (ENGINES as readonly string[]).includes(e);

/**
 * The version in the form the AWS provider accepts (terraform-provider-aws elasticache/engine_version.go): from 6
 * on `<major>.<minor>` (and `6.x` for 6, kept beside 6.0 and 6.2), before 6 the full `<major>.<minor>.<patch>`.
 */
export function providerVersionForm(version: string): string | undefined {
    const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version);
    if (!m) {
        return undefined;
    }
    return Number(m[1]) >= 6 ? `${m[1]}.${m[2]}` : m[3] === undefined ? undefined : version;
}

const byVersion = (a: string, b: string) => {
    const pa = a.split(".").map((x) => (x === "x" ? -1 : Number(x)));
    const pb = b.split(".").map((x) => (x === "x" ? -1 : Number(x)));
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) return d;
    }
    return 0;
};

/** Engine versions per engine, in the provider's form, oldest first. */
export function engineVersionsFrom(describe: DescribeCacheEngineVersions): Record<Engine, string[]> {
    const out: Record<Engine, Set<string>> = { redis: new Set(), valkey: new Set() };
    for (const v of describe.CacheEngineVersions) {
        const engine = v.Engine.toLowerCase();
        const form = providerVersionForm(v.EngineVersion);
        if (isEngine(engine) && form !== undefined) {
            out[engine].add(form);
            if (engine === "redis" && form.startsWith("6.")) {
                out[engine].add("6.x");
            }
        }
    }
    return { redis: [...out.redis].sort(byVersion), valkey: [...out.valkey].sort(byVersion) };
}

/** The parameter group family of each major version, per engine (a major with two families is an error). */
export function parameterGroupFamiliesFrom(
    describe: DescribeCacheEngineVersions,
): Record<Engine, Record<string, string>> {
    const out: Record<Engine, Record<string, string>> = { redis: {}, valkey: {} };
    for (const v of describe.CacheEngineVersions) {
        const engine = v.Engine.toLowerCase();
        const major = /^(\d+)\./.exec(v.EngineVersion)?.[1];
        if (!isEngine(engine) || major === undefined || v.CacheParameterGroupFamily === undefined) {
            continue;
        }
        const known = out[engine][major];
        if (known !== undefined && known !== v.CacheParameterGroupFamily) {
            throw new Error(
                `${engine} ${major}: two parameter group families (${known}, ${v.CacheParameterGroupFamily})`,
            );
        }
        out[engine][major] = v.CacheParameterGroupFamily;
    }
    return out;
}

export interface GeneratedNodeFamily {
    readonly family: string;
    readonly sizes: readonly string[];
    readonly engines: readonly Engine[];
}

const SIZE_ORDER = ["nano", "micro", "small", "medium", "large", "xlarge"];
const sizeRank = (size: string) => {
    const m = /^(\d*)xlarge$/.exec(size);
    return m ? 5 + (m[1] === "" ? 1 : Number(m[1])) : SIZE_ORDER.indexOf(size);
};

/**
 * Current-generation node families with their sizes and the engines that offer them (Redis OSS, Valkey), from
 * the offer's `Cache Instance` products; a product marked `currentGeneration: No` is previous generation.
 */
export function nodeFamiliesFrom(offers: readonly ProductsOffer[]): GeneratedNodeFamily[] {
    const families = new Map<string, { sizes: Set<string>; engines: Set<Engine> }>();
    for (const offer of offers) {
        for (const p of Object.values(offer.products)) {
            const a = p.attributes;
            const m = /^cache\.([a-z0-9-]+)\.([a-z0-9]+)$/.exec(a.instanceType ?? "");
            const engine = (a.cacheEngine ?? "").toLowerCase();
            if (p.productFamily !== "Cache Instance" || !m || !isEngine(engine) || a.currentGeneration === "No") {
                continue;
            }
            const f = families.get(m[1]) ?? { sizes: new Set<string>(), engines: new Set<Engine>() };
            f.sizes.add(m[2]);
            f.engines.add(engine);
            families.set(m[1], f);
        }
    }
    return [...families.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([family, f]) => ({
            family,
            sizes: [...f.sizes].sort((x, y) => sizeRank(x) - sizeRank(y)),
            engines: ENGINES.filter((e) => f.engines.has(e)),
        }));
}

export interface CatalogSources {
    readonly engineVersions: string;
    readonly priceList: string;
}

/** The generated module's text (before prettier). */
export function renderCatalog(
    describe: DescribeCacheEngineVersions,
    offers: readonly ProductsOffer[],
    generatedOn: string,
    sources: CatalogSources,
): string {
    const json = (v: unknown) => JSON.stringify(v, null, 4);
    return [
        "// GENERATED by `npm run catalog:refresh` (scripts/catalog/refresh.ts) from DescribeCacheEngineVersions and",
        "// the Price List's AmazonElastiCache offer. Do not edit; catalog-data.ts adds what no model states.",
        "",
        "/** When and from what this part of the catalog was generated. */",
        `export const GENERATED_CATALOG = ${json({ generatedOn, sources })} as const;`,
        "",
        "/** Engine versions ElastiCache creates, in the provider's form, oldest first. */",
        `export const GENERATED_ENGINE_VERSIONS: Readonly<Record<"redis" | "valkey", readonly string[]>> = ${json(engineVersionsFrom(describe))};`,
        "",
        "/** The parameter group family of each major version. */",
        `export const GENERATED_PARAMETER_GROUP_FAMILIES: Readonly<Record<"redis" | "valkey", Readonly<Record<string, string>>>> = ${json(parameterGroupFamiliesFrom(describe))};`,
        "",
        "/** Current-generation node families, their sizes and the engines that offer them. */",
        `export const GENERATED_NODE_FAMILIES: readonly { family: string; sizes: readonly string[]; engines: readonly ("redis" | "valkey")[] }[] = ${json(nodeFamiliesFrom(offers))};`,
        "",
    ].join("\n");
}
