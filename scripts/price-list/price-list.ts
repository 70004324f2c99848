// Reads AWS Price List bulk offer files (the JSON format: `products` keyed by SKU with `attributes`, and
// `terms.OnDemand[sku][offerTermCode].priceDimensions[rateCode].pricePerUnit.USD`) into the estimate's price table.
// Pure. Format: https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html

import { type PricedCacheEngine, type PriceTable, type RegionPrices } from "../../policy/shared";

export interface OfferFile {
    offerCode: string;
    publicationDate: string;
    products: Record<string, { sku: string; productFamily?: string; attributes: Record<string, string> }>;
    terms: {
        OnDemand?: Record<
            string,
            Record<
                string,
                {
                    priceDimensions: Record<
                        string,
                        { beginRange?: string; unit?: string; pricePerUnit: { USD?: string } }
                    >;
                }
            >
        >;
    };
}

/** The offers the table is cut from (service codes of the bulk API). */
export const OFFERS = ["AmazonElastiCache", "AmazonEC2", "AmazonVPC", "awskms", "AmazonCloudWatch"] as const;

/** What the table keeps: the types the stacks and the pack's allow-lists use, so the table stays small. */
export const CACHE_NODE_TYPES = [
    "cache.t2.micro",
    "cache.t3.micro",
    "cache.t3.small",
    "cache.t4g.micro",
    "cache.t4g.small",
    "cache.t4g.medium",
    "cache.m7g.large",
    "cache.m7g.xlarge",
    "cache.r7g.large",
    "cache.r7g.xlarge",
];
export const INSTANCE_TYPES = ["t2.micro", "t3.micro", "t3.small", "t4g.micro", "t4g.small"];
export const VOLUME_TYPES = ["gp3", "gp2", "st1", "sc1", "standard"];

/** Older files lack `regionCode`; their `location` names the region. */
const LOCATIONS: Record<string, string> = {
    "us-east-1": "US East (N. Virginia)",
    "ap-northeast-2": "Asia Pacific (Seoul)",
};

interface Priced {
    family: string;
    attributes: Record<string, string>;
    /** usagetype without its region prefix ("APN2-", "USE1-"). */
    usage: string;
    usd: number;
}

/**
 * The on-demand products of `region` with their unit price: of a tiered price, the first tier that is not free
 * (a leading $0 tier is a free allowance, which the estimate's free tier accounts for).
 */
export function onDemandProducts(offer: OfferFile, region: string): Priced[] {
    const out: Priced[] = [];
    for (const [sku, p] of Object.entries(offer.products)) {
        const a = p.attributes;
        if ((a.regionCode ?? (a.location === LOCATIONS[region] ? region : undefined)) !== region) continue;
        const dims = Object.values(offer.terms.OnDemand?.[sku] ?? {}).flatMap((t) => Object.values(t.priceDimensions));
        const tiers = dims
            .map((d) => ({ begin: Number(d.beginRange ?? 0), usd: Number(d.pricePerUnit.USD) }))
            .filter((d) => Number.isFinite(d.usd) && d.usd > 0)
            .sort((x, y) => x.begin - y.begin);
        if (tiers.length === 0) continue;
        out.push({
            family: p.productFamily ?? "",
            attributes: a,
            usage: (a.usagetype ?? "").replace(/^[A-Z]{2,4}\d-/, ""),
            usd: tiers[0].usd,
        });
    }
    return out;
}

/** The table entry of one region from the offers, and the figures it could not find. */
export function regionPricesFrom(
    offers: readonly OfferFile[],
    region: string,
): { prices: RegionPrices; missing: string[] } {
    const all = offers.flatMap((o) => onDemandProducts(o, region));
    const missing: string[] = [];
    const one = (what: string, usage: string): number => {
        const p = all.find((x) => x.usage === usage);
        if (!p) missing.push(`${what} (usagetype ${usage})`);
        return p?.usd ?? Number.NaN;
    };
    const cacheNodeHourly: Record<PricedCacheEngine, Record<string, number>> = { redis: {}, valkey: {}, memcached: {} };
    for (const p of all) {
        const engine = (p.attributes.cacheEngine ?? "").toLowerCase() as PricedCacheEngine;
        const type = p.attributes.instanceType;
        if (
            p.family === "Cache Instance" &&
            engine in cacheNodeHourly &&
            CACHE_NODE_TYPES.includes(type) &&
            p.usage === `NodeUsage:${type}`
        ) {
            cacheNodeHourly[engine][type] = p.usd;
        }
    }
    const ec2InstanceHourly: Record<string, number> = {};
    for (const p of all) {
        const a = p.attributes;
        if (
            p.family === "Compute Instance" &&
            INSTANCE_TYPES.includes(a.instanceType) &&
            a.operatingSystem === "Linux" &&
            a.tenancy === "Shared" &&
            a.preInstalledSw === "NA" &&
            (a.capacitystatus ?? "Used") === "Used" &&
            p.usage.startsWith("BoxUsage")
        ) {
            ec2InstanceHourly[a.instanceType] = p.usd;
        }
    }
    const ebsGbMonth: Record<string, number> = {};
    for (const p of all) {
        const type = p.attributes.volumeApiName;
        if (p.family === "Storage" && VOLUME_TYPES.includes(type) && p.usage.startsWith("EBS:VolumeUsage")) {
            ebsGbMonth[type] = p.usd;
        }
    }
    for (const t of VOLUME_TYPES) if (!(t in ebsGbMonth)) missing.push(`EBS ${t} storage`);
    if (Object.keys(ec2InstanceHourly).length === 0) missing.push("EC2 Linux instance prices");
    if (Object.keys(cacheNodeHourly.redis).length === 0) missing.push("ElastiCache node prices");
    const prices: RegionPrices = {
        cacheNodeHourly,
        cacheBackupGbMonth: one("ElastiCache backup storage", "BackupUsage"),
        ec2InstanceHourly,
        ebsGbMonth,
        gp3IopsMonth: one("gp3 IOPS", "EBS:VolumeP-IOPS.gp3"),
        gp3ThroughputMibpsMonth: one("gp3 throughput", "EBS:VolumeP-Throughput.gp3"),
        publicIpv4Hourly: one("public IPv4", "PublicIPv4:InUseAddress"),
        natGatewayHourly: one("NAT gateway hours", "NatGateway-Hours"),
        natGatewayGb: one("NAT gateway data", "NatGateway-Bytes"),
        kmsKeyMonthly: one("KMS key", "KMS-Keys"),
        alarmStandardMonthly: one("standard alarm", "CW:AlarmMonitorUsage"),
        alarmHighResolutionMonthly: one("high-resolution alarm", "CW:HighResAlarmMonitorUsage"),
        logsIngestionGb: one("log ingestion", "DataProcessing-Bytes"),
        logsStorageGbMonth: one("log storage", "TimedStorage-ByteHrs"),
    };
    return { prices, missing };
}

/** The table of `regions`, dated by the newest offer file. */
export function priceTableFrom(
    offersByRegion: Record<string, OfferFile[]>,
    sources: string[],
): { table: PriceTable; missing: string[] } {
    const regions: Record<string, RegionPrices> = {};
    const missing: string[] = [];
    let newest = "";
    for (const [region, offers] of Object.entries(offersByRegion)) {
        const r = regionPricesFrom(offers, region);
        regions[region] = r.prices;
        missing.push(...r.missing.map((m) => `${region}: ${m}`));
        for (const o of offers) if (o.publicationDate > newest) newest = o.publicationDate;
    }
    return { table: { pricesAsOf: newest.slice(0, 10), sources, regions }, missing };
}

/** The source of policy/shared/cost/prices.ts (prettier formats it when written). */
export function renderPriceTable(table: PriceTable): string {
    return (
        "// The pinned price table: on-demand list prices in USD for the regions the stacks use. Data only.\n" +
        `// Generated by scripts/price-list/update-prices.ts (npm run cost:prices) from AWS's Price List bulk offer files\n` +
        `// (${OFFERS.join(", ")}) published up to ${table.pricesAsOf}. Do not edit by hand.\n\n` +
        'import { type PriceTable } from "./price-table";\n\n' +
        `export const PRICE_TABLE: PriceTable = ${JSON.stringify(table, null, 4)};\n`
    );
}
