// The stack's monthly cost, from every resource's inputs: list price and after the free tier, per resource and in
// total, in the JSON shape of the offline check's `cost` object. Pure: the pack's `stack-monthly-budget` policy and
// the offline check call this same function.

import { type FreeTierModel, type FreeTierPool, describeFreeTier, draw, freeTierPools } from "./free-tier";
import { type PriceTable } from "./price-table";
import { PRICE_TABLE } from "./prices";
import {
    type CostAssumptions,
    type Charge,
    DEFAULT_ASSUMPTIONS,
    HOURS_PER_MONTH,
    Unpriceable,
    fmtNum,
    noChargeBasis,
    ruleFor,
} from "./rules";

/** A resource as the estimate reads it: its inputs, plain (unknowns as sentinels that `isUnknown` recognises). */
export interface CostResource {
    urn: string;
    type: string;
    props: Record<string, unknown>;
    /** False for component resources (nothing to bill); when absent it is inferred from the type token. */
    custom?: boolean;
    /**
     * Keys the program set from other resources' outputs (the engine's propertyDependencies). In a preview every
     * output the provider computes that the program left unset is unknown too; only those are priced as AWS's
     * documented default. Absent: every unknown is taken to be such an output.
     */
    setFromOutputs?: readonly string[];
}

export interface CostOptions {
    /** The region whose prices apply. */
    region: string;
    freeTier: FreeTierModel;
    /** The Free Plan's credits in USD (model "free-plan-credits"); AWS gives $100 at sign-up and up to $100 more. */
    freePlanCreditsUsd?: number;
    assumptions?: Partial<CostAssumptions>;
    /** Whether a value is unknown until apply; by default the engine's wire sentinel. */
    isUnknown?: (v: unknown) => boolean;
    /** The price table; by default the pinned one (prices.ts). */
    prices?: PriceTable;
}

export interface CostLine {
    urn: string;
    type: string;
    monthly: number;
    monthlyAfterFreeTier: number;
    basis: string;
}
export interface UnpricedResource {
    urn: string;
    type: string;
    reason: string;
}
export interface CostEstimate {
    currency: "USD";
    region: string;
    pricesAsOf: string;
    hoursPerMonth: number;
    freeTier: { model: FreeTierModel; description: string };
    assumptions: CostAssumptions;
    monthly: number;
    monthlyAfterFreeTier: number;
    resources: CostLine[];
    unpriced: UnpricedResource[];
}

/** The engine's "unknown during preview" value on the wire (@pulumi/pulumi runtime/rpc.ts `unknownValue`). */
export const WIRE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const DEFAULT_FREE_PLAN_CREDITS_USD = 100;

/** Cents, as a bill shows them. */
export function roundUsd(x: number): number {
    return Math.round(x * 100) / 100;
}

/**
 * Whether a resource is billed at all: the engine's own resources (the stack, providers) and components are not.
 * Without `custom`, a provider resource is recognised by its token `pkg:module/name:Type`; components are
 * `pkg:module:Type` by convention.
 */
function isCustom(r: CostResource): boolean {
    if (r.type.startsWith("pulumi:")) return false;
    return r.custom ?? /^[^:]+:[^:]*\/[^:]*:[^:]+$/.test(r.type);
}

/** Estimates the monthly cost of `resources` (in stack order, which is the order free-tier allowances are drawn). */
export function estimateMonthlyCost(resources: readonly CostResource[], options: CostOptions): CostEstimate {
    const table = options.prices ?? PRICE_TABLE;
    const credits = options.freePlanCreditsUsd ?? DEFAULT_FREE_PLAN_CREDITS_USD;
    const assumptions: CostAssumptions = { ...DEFAULT_ASSUMPTIONS, ...options.assumptions };
    const isUnknown = options.isUnknown ?? ((v: unknown) => v === WIRE_UNKNOWN);
    const prices = table.regions[options.region];
    const pools = freeTierPools(options.freeTier, credits);
    const initial = new Map(pools);
    const lines: CostLine[] = [];
    const unpriced: UnpricedResource[] = [];
    const dedicatedVpc = resources.some(
        (r) =>
            r.type === "aws:ec2/vpc:Vpc" &&
            (isUnknown(r.props.instanceTenancy) || r.props.instanceTenancy === "dedicated"),
    );

    for (const r of resources) {
        if (!isCustom(r)) continue;
        const setFromOutputs = new Set(r.setFromOutputs ?? []);
        const noCharge = noChargeBasis(r.type, r.props, isUnknown, setFromOutputs);
        if (noCharge !== undefined) {
            lines.push({ urn: r.urn, type: r.type, monthly: 0, monthlyAfterFreeTier: 0, basis: noCharge });
            continue;
        }
        const rule = ruleFor(r.type);
        if (!rule) {
            unpriced.push({ urn: r.urn, type: r.type, reason: "the estimate has no pricing rule for this type" });
            continue;
        }
        if (!prices) {
            const known = Object.keys(table.regions).join(", ");
            unpriced.push({
                urn: r.urn,
                type: r.type,
                reason: `no prices for region "${options.region}" (the price table has ${known})`,
            });
            continue;
        }
        let charges: Charge[];
        try {
            charges = rule(r.props, {
                prices,
                region: options.region,
                assumptions,
                isUnknown,
                dedicatedVpc,
                setFromOutputs,
            });
        } catch (e) {
            if (!(e instanceof Unpriceable)) throw e;
            unpriced.push({ urn: r.urn, type: r.type, reason: e.message });
            continue;
        }
        lines.push(applyFreeTier(r, charges, pools, initial));
    }
    const monthly = roundUsd(lines.reduce((s, l) => s + l.monthly, 0));
    const monthlyAfterFreeTier = roundUsd(lines.reduce((s, l) => s + l.monthlyAfterFreeTier, 0));
    return {
        currency: "USD",
        region: options.region,
        pricesAsOf: table.pricesAsOf,
        hoursPerMonth: HOURS_PER_MONTH,
        freeTier: { model: options.freeTier, description: describeFreeTier(options.freeTier, credits) },
        assumptions,
        monthly,
        monthlyAfterFreeTier,
        resources: lines,
        unpriced,
    };
}

/** One resource's line: list price, and what is left after drawing on the account-wide allowances. */
function applyFreeTier(
    r: CostResource,
    charges: Charge[],
    pools: Map<FreeTierPool, number>,
    initial: Map<FreeTierPool, number>,
): CostLine {
    let monthly = 0;
    let after = 0;
    const parts: string[] = [];
    for (const c of charges) {
        monthly += c.quantity * c.unitPrice;
        let text = c.basis;
        if (c.pool !== undefined && initial.has(c.pool)) {
            const free = draw(pools, c.pool, c.quantity);
            after += (c.quantity - free) * c.unitPrice;
            text +=
                `; free tier covers ${fmtNum(free)} of ${fmtNum(c.quantity)} ${c.unit}` +
                ` (${fmtNum(initial.get(c.pool) ?? 0)} a month account-wide)`;
        } else {
            after += c.quantity * c.unitPrice;
        }
        parts.push(text);
    }
    if (initial.has("creditsUsd") && after > 0) {
        const covered = draw(pools, "creditsUsd", after);
        after -= covered;
        parts.push(`free plan credits cover $${covered.toFixed(2)}`);
    }
    return {
        urn: r.urn,
        type: r.type,
        monthly: roundUsd(monthly),
        monthlyAfterFreeTier: roundUsd(after),
        basis: parts.join("; "),
    };
}
