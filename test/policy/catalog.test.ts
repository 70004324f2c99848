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
        assert.match(cacheNodeTypeProblem("cache.x9.large") ?? "", /current generation as of [^:]+: t4g, t3, m7g, /);
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
        assert.match(engineVersionProblem("valkey", "9.0") ?? "", /as of [^:]+: 7\.2, 8\.0, 8\.1;/));

    it("knows no parameter group family without a leading major", () => {
        assert.equal(parameterGroupFamilyFor("redis", "latest"), undefined);
        assert.equal(parameterGroupFamilyFor("redis", "v7.1"), undefined);
        assert.equal(parameterGroupFamilyFor("redis", "7.1"), "redis7");
    });
});
