// The catalog generator on fixtures in AWS's formats: a DescribeCacheEngineVersions answer
// (test/fixtures/catalog) and Price List offer files (test/fixtures/catalog, and scripts/price-list's
// test/fixtures/price-list), plus the committed catalog it generated.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    type DescribeCacheEngineVersions,
    engineVersionsFrom,
    nodeFamiliesFrom,
    parameterGroupFamiliesFrom,
    type ProductsOffer,
    providerVersionForm,
    renderCatalog,
} from "../../scripts/catalog/generate";
import { CATALOG_CHECKED, CATALOG_SOURCES, ENGINE_VERSIONS } from "../../policy/shared";

const FIXTURES = path.join(__dirname, "../fixtures");
const json = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8")) as T;
const DESCRIBE = json<DescribeCacheEngineVersions>("catalog/describe-cache-engine-versions.json");
const OFFER = json<ProductsOffer>("catalog/AmazonElastiCache.json");

describe("catalog generator (fixtures in AWS's formats)", () => {
    it("engine versions in the provider's form per engine, oldest first; memcached left out", () => {
        assert.deepStrictEqual(engineVersionsFrom(DESCRIBE), {
            redis: ["5.0.6", "6.x", "6.0", "6.2", "7.1"],
            valkey: ["7.2", "8.2"],
        });
    });

    it("the provider's version forms", () => {
        assert.strictEqual(providerVersionForm("7.1.0"), "7.1");
        assert.strictEqual(providerVersionForm("9.1"), "9.1");
        assert.strictEqual(providerVersionForm("4.0.10"), "4.0.10");
        assert.strictEqual(providerVersionForm("5.0"), undefined);
        assert.strictEqual(providerVersionForm("latest"), undefined);
    });

    it("parameter group families per major; two families for one major is an error", () => {
        assert.deepStrictEqual(parameterGroupFamiliesFrom(DESCRIBE), {
            redis: { "5": "redis5.0", "6": "redis6.x", "7": "redis7" },
            valkey: { "7": "valkey7", "8": "valkey8" },
        });
        assert.throws(
            () =>
                parameterGroupFamiliesFrom({
                    CacheEngineVersions: [
                        { Engine: "valkey", EngineVersion: "9.0", CacheParameterGroupFamily: "valkey9" },
                        { Engine: "valkey", EngineVersion: "9.1", CacheParameterGroupFamily: "valkey9.1" },
                    ],
                }),
            /valkey 9: two parameter group families \(valkey9, valkey9\.1\)/,
        );
    });

    it("node families from Cache Instance products: sizes in order, engines, previous generation left out", () => {
        assert.deepStrictEqual(nodeFamiliesFrom([OFFER]), [
            { family: "m8g", sizes: ["large", "2xlarge"], engines: ["valkey"] },
            { family: "t4g", sizes: ["micro", "small"], engines: ["redis", "valkey"] },
        ]);
    });

    it("reads scripts/price-list's Price List fixture too", () => {
        const offer = json<ProductsOffer>("price-list/AmazonElastiCache/us-east-1.json");
        assert.deepStrictEqual(
            nodeFamiliesFrom([offer]).map((f) => `${f.family}:${f.engines.join("+")}`),
            ["m5:redis", "m7g:redis", "t3:redis+valkey"],
        );
    });

    it("renders a dated module naming its sources", () => {
        const text = renderCatalog(DESCRIBE, [OFFER], "2026-12-04", { engineVersions: "a.json", priceList: "b.json" });
        assert.match(text, /generatedOn": "2026-12-04"/);
        assert.match(text, /export const GENERATED_NODE_FAMILIES/);
        assert.match(text, /"engineVersions": "a\.json"/);
    });

    it("the committed catalog is dated, sourced, and takes Valkey 9.1", () => {
        assert.match(CATALOG_CHECKED, /^\d{4}-\d{2}-\d{2}$/);
        assert.match(CATALOG_SOURCES.generated.engineVersions, /DescribeCacheEngineVersions/);
        assert.ok(ENGINE_VERSIONS.valkey.includes("9.1"));
    });
});
