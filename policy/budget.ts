// Budget: the stack's estimated monthly cost (policy/shared/cost, the estimate the offline check reports) must stay
// within a budget, at list price or after the free tier.

import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    BUDGET_POLICY,
    type CostEstimate,
    type CostLine,
    type CostSettings,
    DEFAULT_COST_SETTINGS,
    FALLBACK_REGION,
    FREE_TIER_MODELS,
    costOptions,
    costRegion,
    estimateMonthlyCost,
} from "./shared/cost";
import { type PolicyConfigSchema } from "./shared/policy-config";
import { configHint, isUnknown, policyConfig, rawProps, shortType } from "./lib/util";

export { BUDGET_POLICY, FALLBACK_REGION };

/** The policy's config: the estimate's settings (shared with the offline check's cost report) and the budget. */
export interface BudgetConfig extends CostSettings {
    maxMonthlyUsd: number;
    appliesTo: "list" | "afterFreeTier";
    unpricedIsViolation: boolean;
}

const gb = (description: string, dflt: number) => ({
    type: "number" as const,
    minimum: 0,
    default: dflt,
    description,
});

export const budgetSchema: PolicyConfigSchema = {
    properties: {
        maxMonthlyUsd: { type: "number", minimum: 0, default: 100, description: "Monthly budget in USD." },
        appliesTo: {
            type: "string",
            enum: ["list", "afterFreeTier"],
            default: "list",
            description: "Which figure the budget caps: the list price, or what is left after the free tier.",
        },
        region: {
            type: "string",
            default: DEFAULT_COST_SETTINGS.region,
            description: `Region whose prices apply; empty: the AWS provider's region, else ${FALLBACK_REGION}.`,
        },
        freeTier: {
            type: "string",
            enum: [...FREE_TIER_MODELS],
            default: DEFAULT_COST_SETTINGS.freeTier,
            description:
                "Free-tier model: legacy-12-month (accounts before 15 July 2025), free-plan-credits (accounts from " +
                "then on), always-free-only (the 12 months are over).",
        },
        freePlanCreditsUsd: gb(
            "Credits of the free plan, in USD (free-plan-credits only).",
            DEFAULT_COST_SETTINGS.freePlanCreditsUsd,
        ),
        cacheDataGb: gb("Assumed GB of data per cache (the size of each backup).", DEFAULT_COST_SETTINGS.cacheDataGb),
        logIngestionGbPerGroup: gb(
            "Assumed GB ingested a month per CloudWatch log group.",
            DEFAULT_COST_SETTINGS.logIngestionGbPerGroup,
        ),
        natDataGbPerGateway: gb(
            "Assumed GB processed a month per NAT gateway.",
            DEFAULT_COST_SETTINGS.natDataGbPerGateway,
        ),
        unpricedIsViolation: {
            type: "boolean",
            default: false,
            description:
                "Report a stack within the budget when some resources could not be priced (an unknown type, region or " +
                "input): the budget is then unconfirmed. An over-budget message always lists them.",
        },
    },
};

/**
 * The region to price: the config's, else the AWS provider's `region` input (the engine sends provider resources
 * to stack policies, the default provider with the stack's `aws:region`), else the fallback, said to be assumed.
 */
export function budgetRegion(
    configured: string,
    resources: readonly PolicyResource[],
): { region: string; assumed: boolean } {
    const provider = resources.find((r) => {
        if (!r.type.startsWith("pulumi:providers:aws")) return false;
        const region = rawProps(r.props).region;
        return typeof region === "string" && !isUnknown(region);
    });
    return costRegion(configured, provider ? String(rawProps(provider.props).region) : undefined);
}

/** The stack's estimate with this policy's settings. */
export function estimateStack(
    resources: readonly PolicyResource[],
    c: BudgetConfig,
): CostEstimate & { regionAssumed: boolean } {
    const { region, assumed } = budgetRegion(c.region, resources);
    const estimate = estimateMonthlyCost(
        resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            props: rawProps(r.props),
            custom: r.provider !== undefined ? true : undefined,
            setFromOutputs: Object.entries(r.propertyDependencies ?? {})
                .filter(([, deps]) => deps.length > 0)
                .map(([k]) => k),
        })),
        costOptions(c, region, (v) => isUnknown(v)),
    );
    return { ...estimate, regionAssumed: assumed };
}

const money = (x: number) => `$${x.toFixed(2)}`;

/** The violation message for an estimate against a budget, or undefined when it is within the budget. */
export function budgetMessage(e: CostEstimate & { regionAssumed: boolean }, c: BudgetConfig): string | undefined {
    const figure = (l: { monthly: number; monthlyAfterFreeTier: number }) =>
        c.appliesTo === "list" ? l.monthly : l.monthlyAfterFreeTier;
    const total = figure(e);
    const what = c.appliesTo === "list" ? "list price" : "after the free tier";
    const over = total > c.maxMonthlyUsd;
    if (!over && (e.unpriced.length === 0 || !c.unpricedIsViolation)) return undefined;
    const largest = [...e.resources]
        .filter((l) => figure(l) > 0)
        .sort((a, b) => figure(b) - figure(a))
        .slice(0, 3)
        .map((l: CostLine) => `${shortType(l.type)} ${l.urn.slice(l.urn.lastIndexOf("::") + 2)} ${money(figure(l))}`);
    const region = `${e.region}${e.regionAssumed ? `, assumed: set "region" in ${configHint(BUDGET_POLICY, "region")}` : ""}`;
    const unpriced = e.unpriced.map((u) => `${u.urn.slice(u.urn.lastIndexOf("::") + 2)} (${u.reason})`);
    const head = over
        ? `stack: estimated monthly cost ${money(total)} (${what}, ${region}) exceeds the budget ${money(c.maxMonthlyUsd)}`
        : `stack: estimated monthly cost ${money(total)} (${what}, ${region}) is within the budget ${money(c.maxMonthlyUsd)} but ${unpriced.length} resource(s) could not be priced`;
    return (
        `${head}; largest: ${largest.length > 0 ? largest.join(", ") : "none"}` +
        (unpriced.length > 0 ? `; unpriced: ${unpriced.join(", ")}` : "") +
        `; free tier: ${e.freeTier.model}. Fix: shrink or remove the largest items, or raise ` +
        `${configHint(BUDGET_POLICY, "maxMonthlyUsd")}.`
    );
}

export const stackMonthlyBudget: StackValidationPolicy = {
    name: BUDGET_POLICY,
    description:
        "The stack's estimated monthly cost (730 h, pinned AWS list prices, account-wide free tier) must stay within the budget.",
    enforcementLevel: "advisory",
    configSchema: budgetSchema,
    validateStack: (args, report) => {
        const c = policyConfig<BudgetConfig>(args, BUDGET_POLICY, budgetSchema);
        const message = budgetMessage(estimateStack(args.resources, c), c);
        if (message !== undefined) report(message);
    },
};
