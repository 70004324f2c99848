// The settings that shape an estimate, as the pack's `stack-monthly-budget` policy is configured, and the region
// it prices: one mapping, so the policy's verdict and the offline check's cost report use the same options.

import { type CostOptions, DEFAULT_FREE_PLAN_CREDITS_USD } from "./estimate";
import { type FreeTierModel } from "./free-tier";
import { type CostAssumptions, DEFAULT_ASSUMPTIONS } from "./rules";

/** The region priced when neither the settings nor the AWS provider name one. */
export const FALLBACK_REGION = "us-east-1";

/** The budget policy whose config holds these settings; the offline check's cost report reads the same config. */
export const BUDGET_POLICY = "stack-monthly-budget";

export interface CostSettings extends CostAssumptions {
    /** Region whose prices apply; "" for the AWS provider's region (else FALLBACK_REGION). */
    region: string;
    freeTier: FreeTierModel;
    freePlanCreditsUsd: number;
}

/** The budget policy's schema defaults (and the offline check's settings for a pack without that policy). */
export const DEFAULT_COST_SETTINGS: CostSettings = {
    region: "",
    freeTier: "legacy-12-month",
    freePlanCreditsUsd: DEFAULT_FREE_PLAN_CREDITS_USD,
    ...DEFAULT_ASSUMPTIONS,
};

/**
 * The region to price: the settings', else the AWS provider's (`providerRegion`: the stack's `aws:region`, which
 * the engine's default provider carries, or an explicit provider's), else the fallback, said to be assumed.
 */
export function costRegion(
    configured: string,
    providerRegion: string | undefined,
): { region: string; assumed: boolean } {
    if (configured !== "") return { region: configured, assumed: false };
    if (providerRegion !== undefined && providerRegion !== "") return { region: providerRegion, assumed: false };
    return { region: FALLBACK_REGION, assumed: true };
}

/** The estimator's options for these settings in `region`. */
export function costOptions(settings: CostSettings, region: string, isUnknown?: (v: unknown) => boolean): CostOptions {
    return {
        region,
        freeTier: settings.freeTier,
        freePlanCreditsUsd: settings.freePlanCreditsUsd,
        assumptions: {
            cacheDataGb: settings.cacheDataGb,
            logIngestionGbPerGroup: settings.logIngestionGbPerGroup,
            natDataGbPerGateway: settings.natDataGbPerGateway,
        },
        ...(isUnknown ? { isUnknown } : {}),
    };
}
