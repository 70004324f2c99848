// AWS's free tier as the estimate applies it: allowances are account-wide and monthly, shared by every resource
// that draws on them (two cache.t3.micro nodes run 1,460 node-hours against one 750-hour allowance). Pure data and
// one pure allocator; no Pulumi imports.
//
// Sources: https://aws.amazon.com/free/ (12-month offers for accounts created before 15 July 2025; the Free Plan's
// credits after), https://aws.amazon.com/elasticache/pricing/ ("750 hours of ElastiCache cache.t2.micro or
// cache.t3.micro node usage for free for up to 12 months"), https://aws.amazon.com/ec2/pricing/ (750 hours of
// t2.micro, or t3.micro only where t2.micro is unavailable: see legacyFreeTierInstanceType; 30 GB of EBS General
// Purpose or Magnetic; 750 hours of public IPv4), https://aws.amazon.com/cloudwatch/pricing/ (always free: 10 alarm
// metrics, 5 GB of log data), https://aws.amazon.com/kms/pricing/ (no free keys: only AWS managed keys are free).

/** ElastiCache node types whose hours the 12-month free tier covers (cache.t2.micro still runs in old clusters, though none can be created). */
export const FREE_TIER_NODE_HOURS_TYPES = ["cache.t2.micro", "cache.t3.micro"];
/**
 * EC2 instance types the 12-month free tier can cover, in some region: the pack's allow-list accepts both. Which one
 * a region's free hours cover is `legacyFreeTierInstanceType`.
 */
export const FREE_TIER_INSTANCE_TYPES = ["t2.micro", "t3.micro"];

/**
 * The one instance type the legacy 12-month free tier covers in a region. AWS: "750 hours per month of Linux, RHEL,
 * or SLES t2.micro or t3.micro instance dependent on region" (aws.amazon.com/free, as quoted on
 * repost.aws/questions/QUFrEFiRJYRQy45SoFEbfkiA); aws.amazon.com/ec2/pricing/ names t2.micro, and t3.micro only for
 * Regions where t2.micro is unavailable (its text was not in the stored copies searched; eu-north-1 is such a Region:
 * github.com/cat-box/aws-foundry-ssl/wiki/AWS-Setup).
 * So where t2.micro is offered (us-east-1 and ap-northeast-2 both list it) a t3.micro is billed in full. Whether a
 * region offers t2.micro is read from the price table, which lists the types the region's Price List prices.
 */
export function legacyFreeTierInstanceType(regionOffersT2Micro: boolean): "t2.micro" | "t3.micro" {
    return regionOffersT2Micro ? "t2.micro" : "t3.micro";
}
/** Instance types of the credit-based free plan for accounts created from 15 July 2025. */
export const FREE_PLAN_INSTANCE_TYPES = [
    "t3.micro",
    "t3.small",
    "t4g.micro",
    "t4g.small",
    "c7i-flex.large",
    "m7i-flex.large",
];
/** EBS volume types the 12-month free tier's 30 GB covers (General Purpose SSD and Magnetic). */
export const FREE_TIER_VOLUME_TYPES = ["gp2", "gp3", "standard"];

export type FreeTierModel = "legacy-12-month" | "free-plan-credits" | "always-free-only";
export const FREE_TIER_MODELS: readonly FreeTierModel[] = ["legacy-12-month", "free-plan-credits", "always-free-only"];

/** Account-wide monthly allowances. */
export type FreeTierPool =
    "cacheNodeHours" | "ec2InstanceHours" | "ebsGb" | "publicIpv4Hours" | "alarms" | "logsGb" | "creditsUsd";

const ALWAYS_FREE: Partial<Record<FreeTierPool, number>> = { alarms: 10, logsGb: 5 };
const TWELVE_MONTH: Partial<Record<FreeTierPool, number>> = {
    cacheNodeHours: 750,
    ec2InstanceHours: 750,
    ebsGb: 30,
    publicIpv4Hours: 750,
};
/** The Free Plan's credits last 6 months (or until spent); the estimate spreads them evenly over those months. */
export const FREE_PLAN_MONTHS = 6;

/** The monthly allowances of a model; `creditsUsd` is the Free Plan's credits (only that model uses them). */
export function freeTierPools(model: FreeTierModel, creditsUsd: number): Map<FreeTierPool, number> {
    const pools = new Map<FreeTierPool, number>(Object.entries(ALWAYS_FREE) as [FreeTierPool, number][]);
    if (model === "legacy-12-month") {
        for (const [k, v] of Object.entries(TWELVE_MONTH) as [FreeTierPool, number][]) pools.set(k, v);
    } else if (model === "free-plan-credits") {
        pools.set("creditsUsd", creditsUsd / FREE_PLAN_MONTHS);
    }
    return pools;
}

/** One sentence stating the model, for the report. */
export function describeFreeTier(model: FreeTierModel, creditsUsd: number): string {
    switch (model) {
        case "legacy-12-month":
            return (
                "legacy free tier (accounts created before 15 July 2025, first 12 months): 750 h of cache.t2/t3.micro " +
                "nodes, 750 h of t2.micro instances (t3.micro where t2.micro is unavailable), 30 GB of EBS gp2/gp3/magnetic, 750 h of public IPv4, plus " +
                "the always-free 10 alarms and 5 GB of logs; account-wide, assuming this stack is the account's only use"
            );
        case "free-plan-credits":
            return (
                `free plan (accounts created from 15 July 2025): $${creditsUsd} of credits over ${FREE_PLAN_MONTHS} ` +
                `months, counted as $${(creditsUsd / FREE_PLAN_MONTHS).toFixed(2)} a month, plus the always-free ` +
                "10 alarms and 5 GB of logs"
            );
        case "always-free-only":
            return "always-free offers only (10 alarms, 5 GB of logs): the 12-month free tier has ended";
    }
}

/** Draws up to `wanted` from `pool`; returns what it got (0 when the model has no such allowance). */
export function draw(pools: Map<FreeTierPool, number>, pool: FreeTierPool, wanted: number): number {
    const left = pools.get(pool) ?? 0;
    const got = Math.max(0, Math.min(left, wanted));
    pools.set(pool, left - got);
    return got;
}
