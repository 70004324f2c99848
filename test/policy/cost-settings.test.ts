import { strict as assert } from "assert";
import { DEFAULT_COST_SETTINGS, costOptions, costRegion } from "../../policy/shared";

describe("cost settings (policy/shared/cost/settings.ts)", () => {
    it("prices the configured region, else the provider's, else us-east-1 said to be assumed", () => {
        assert.deepEqual(costRegion("eu-west-1", "ap-northeast-2"), { region: "eu-west-1", assumed: false });
        assert.deepEqual(costRegion("", "ap-northeast-2"), { region: "ap-northeast-2", assumed: false });
        assert.deepEqual(costRegion("", ""), { region: "us-east-1", assumed: true });
        assert.deepEqual(costRegion("", undefined), { region: "us-east-1", assumed: true });
    });

    it("passes the settings' model, credits and assumptions to the estimator, and isUnknown only when given", () => {
        const settings = {
            ...DEFAULT_COST_SETTINGS,
            cacheDataGb: 3,
            logIngestionGbPerGroup: 4,
            natDataGbPerGateway: 5,
        };
        assert.deepEqual(costOptions(settings, "eu-west-1"), {
            region: "eu-west-1",
            freeTier: settings.freeTier,
            freePlanCreditsUsd: settings.freePlanCreditsUsd,
            assumptions: { cacheDataGb: 3, logIngestionGbPerGroup: 4, natDataGbPerGateway: 5 },
        });
        const isUnknown = (v: unknown) => v === null;
        assert.equal(costOptions(settings, "eu-west-1", isUnknown).isUnknown, isUnknown);
    });
});
