import { strict as assert } from "assert";
import {
    cacheNodeFamily,
    cacheNodeTypeProblem,
    engineVersionProblem,
    parameterGroupFamilyFor,
    requiresDataTiering,
} from "../../policy/shared/catalog";

// The rules over the dated catalog, at the edges the policies' own tests do not reach.
describe("catalog rules", () => {
    it("knows no family for what is not a node type or not current", () => {
        assert.equal(cacheNodeFamily("redis.large"), undefined);
        assert.equal(cacheNodeFamily("cache.t2.micro"), undefined);
        assert.equal(cacheNodeFamily("cache.t3.micro")?.family, "t3");
        assert.equal(requiresDataTiering("redis.large"), false);
        assert.equal(requiresDataTiering("cache.t2.micro"), false);
        assert.equal(requiresDataTiering("cache.r6gd.xlarge"), true);
    });

    it("names the current families when a node type is not offered", () => {
        assert.match(
            cacheNodeTypeProblem("cache.x9.large") ?? "",
            /current generation as of [^:]+: (?=[^;]*\bt3\b)(?=[^;]*\bm7g\b)(?=[^;]*\bm8g\b)/,
        );
    });

    it("tells a Redis major past 7.1 from a Redis version ElastiCache never offered", () => {
        assert.match(engineVersionProblem("redis", "17.2") ?? "", /Redis OSS ends at 7\.1/);
        assert.match(
            engineVersionProblem("redis", "6.1") ?? "",
            /redis 6\.1 is not an engine version ElastiCache offers/,
        );
        // The provider's unanchored Redis form lets "v7.2" through; its major is not read from the middle.
        assert.match(
            engineVersionProblem("redis", "v7.2") ?? "",
            /redis v7\.2 is not an engine version ElastiCache offers/,
        );
    });

    it("lists the versions it offers", () =>
        assert.match(engineVersionProblem("valkey", "9.9") ?? "", /as of [^:]+: 7\.2, 8\.0, 8\.1, 8\.2, 9\.0, 9\.1;/));

    it("takes Valkey 8.2, 9.0 and 9.1, and the Graviton4 families for Valkey only (issue 17)", () => {
        for (const version of ["8.2", "9.0", "9.1"]) {
            assert.equal(engineVersionProblem("valkey", version), undefined, version);
        }
        assert.equal(parameterGroupFamilyFor("valkey", "9.1"), "valkey9");
        for (const nodeType of ["cache.m8g.large", "cache.r8g.xlarge", "cache.c8gn.large"]) {
            assert.equal(cacheNodeTypeProblem(nodeType), undefined, nodeType);
            assert.deepEqual(cacheNodeFamily(nodeType)?.engines, ["valkey"], nodeType);
        }
        assert.deepEqual(cacheNodeFamily("cache.m7g.large")?.engines, ["redis", "valkey"]);
    });

    it("knows no parameter group family without a leading major", () => {
        assert.equal(parameterGroupFamilyFor("redis", "latest"), undefined);
        assert.equal(parameterGroupFamilyFor("redis", "v7.1"), undefined);
        assert.equal(parameterGroupFamilyFor("redis", "7.1"), "redis7");
    });

    it("offers the Graviton4 nodes (m8g, r8g, c8gn) for Valkey only; an unknown engine is not judged", () => {
        for (const nodeType of ["cache.m8g.large", "cache.r8g.xlarge", "cache.c8gn.large"]) {
            assert.strictEqual(cacheNodeTypeProblem(nodeType, "valkey"), undefined, nodeType);
            assert.strictEqual(cacheNodeTypeProblem(nodeType), undefined, nodeType);
            assert.match(cacheNodeTypeProblem(nodeType, "redis") ?? "", /offered for valkey only, not redis/);
        }
        assert.strictEqual(cacheNodeTypeProblem("cache.r7g.large", "redis"), undefined);
    });
});
