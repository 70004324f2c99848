// Preview-faithful, strict mocks for the offline check. Resources: the engine in preview never calls the
// provider's Create, so a new resource has no id and its computed outputs are unknown; returning the inputs as
// state with no id makes the SDK resolve every other output property as unknown in dry-run (see
// @pulumi/pulumi runtime/rpc.js resolveProperties), exactly like a real `pulumi preview`. Invokes do run during
// a real preview, so they answer with fixed, plausible data: the generic AWS answers below (account, region,
// partition, availability zones), plus the answers the program supplies for what only it knows (its
// offline-mocks module, see program-mocks.ts). Any other invoke is an error, because silently inventing data
// would let a check pass on values the cloud would never return.
import type {
    MockCallArgs,
    MockCallResult,
    MockResourceArgs,
    MockResourceResult,
    Mocks,
} from "@pulumi/pulumi/runtime/mocks";
import { partitionInfo } from "../../../policy/shared";
import type { InvokeAnswer, InvokeContext, OfflineInvokes } from "./program-mocks";
import { type UpContext, upState } from "./up-outputs";

export const MOCK_ACCOUNT_ID = "123456789012";

type Inputs = Record<string, unknown>;

/** The partition a region belongs to, with its DNS suffix (policy/shared/partitions.ts). */
export const partitionOf = partitionInfo;

/** AWS's short zone-id prefix for a region: us-east-1 -> use1, eu-central-1 -> euc1, ap-southeast-2 -> apse2. */
export function zoneIdPrefix(region: string): string {
    const parts = region.split("-");
    const num = parts[parts.length - 1];
    const middle = parts.slice(1, -1).map((p) => {
        for (const dir of ["north", "south"]) {
            if (p.startsWith(dir) && p.length > dir.length) {
                return dir[0] + p[dir.length];
            }
        }
        return p[0];
    });
    return parts[0] + middle.join("") + num;
}

function asStringArray(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** A zone as DescribeAvailabilityZones describes it, keyed by the names of the filters that select on it. */
type Zone = Record<(typeof ZONE_FILTERS)[number], string>;

/**
 * The filter names DescribeAvailabilityZones accepts
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html); any other is an
 * error there too.
 */
export const ZONE_FILTERS = [
    "group-long-name",
    "group-name",
    "message",
    "opt-in-status",
    "parent-zone-id",
    "parent-zone-name",
    "region-name",
    "state",
    "zone-id",
    "zone-name",
    "zone-type",
] as const;

/**
 * A region's zones as an account with opted-in Local and Wavelength Zones sees them, in the API's order (by
 * name, so `us-east-1-bos-1a` comes before `us-east-1a`): three availability zones, a Local Zone and a Wavelength
 * Zone. Without a `zone-type` filter the real API returns all of them, which a program placing subnets must
 * not take for availability zones.
 */
export function regionZones(region: string): Zone[] {
    const prefix = zoneIdPrefix(region);
    const zone = (name: string, id: string, type: string, group: string, parent: string): Zone => ({
        "group-long-name": group,
        "group-name": group,
        message: "",
        "opt-in-status": type === "availability-zone" ? "opt-in-not-required" : "opted-in",
        "parent-zone-id": parent ? `${prefix}-az1` : "",
        "parent-zone-name": parent,
        "region-name": region,
        state: "available",
        "zone-id": id,
        "zone-name": name,
        "zone-type": type,
    });
    return [
        zone(`${region}-bos-1a`, `${prefix}-bos1-az1`, "local-zone", `${region}-bos-1`, `${region}a`),
        zone(`${region}-wl1-bos-wlz-1`, `${prefix}-wl1-bos-wlz1`, "wavelength-zone", `${region}-wl1`, `${region}a`),
        ...["a", "b", "c"].map((s, i) =>
            zone(`${region}${s}`, `${prefix}-az${i + 1}`, "availability-zone", region, ""),
        ),
    ].sort((a, b) => (a["zone-name"] < b["zone-name"] ? -1 : 1));
}

/** The `filters` input of getAvailabilityZones; an unknown filter name is refused, as the API refuses it. */
function zoneFilters(inputs: Inputs): { name: (typeof ZONE_FILTERS)[number]; values: string[] }[] {
    const filters = Array.isArray(inputs.filters) ? (inputs.filters as { name?: unknown; values?: unknown }[]) : [];
    return filters.map((f) => {
        const name = String(f.name);
        if (!(ZONE_FILTERS as readonly string[]).includes(name)) {
            throw new Error(
                `getAvailabilityZones: the filter name '${name}' is not one DescribeAvailabilityZones accepts (${ZONE_FILTERS.join(", ")})`,
            );
        }
        return { name: name as (typeof ZONE_FILTERS)[number], values: asStringArray(f.values) };
    });
}

/** EC2 filter values match whole strings, with `*` for any characters and `?` for one. */
function wildcardMatch(pattern: string, value: string): boolean {
    const re = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${re}$`).test(value);
}

/**
 * Invokes any AWS program may make whose answer does not depend on the program: token -> answer. Keep every answer
 * fixed (no randomness, no clock) so runs are reproducible. An answer only one program needs belongs in that
 * program's offline-mocks module.
 */
export const GENERIC_INVOKES: OfflineInvokes = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, ctx) => {
        const region = ctx.requireRegion("aws:index/getAvailabilityZones:getAvailabilityZones");
        const exclNames = asStringArray(inputs.excludeNames);
        const exclIds = asStringArray(inputs.excludeZoneIds);
        const filters = zoneFilters(inputs);
        const zones = regionZones(region).filter(
            (z) =>
                !exclNames.includes(z["zone-name"]) &&
                !exclIds.includes(z["zone-id"]) &&
                (typeof inputs.state !== "string" || z.state === inputs.state) &&
                filters.every((f) => f.values.some((v) => wildcardMatch(v, z[f.name]))),
        );
        return {
            ...inputs,
            id: region,
            names: zones.map((z) => z["zone-name"]),
            zoneIds: zones.map((z) => z["zone-id"]),
            groupNames: [...new Set(zones.map((z) => z["group-name"]))].sort(),
        };
    },
    "aws:index/getRegion:getRegion": (_inputs, ctx) => {
        const region = ctx.requireRegion("aws:index/getRegion:getRegion");
        const { dnsSuffix } = partitionOf(region);
        return { id: region, region, name: region, description: region, endpoint: `ec2.${region}.${dnsSuffix}` };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": (_inputs, ctx) => {
        return {
            id: MOCK_ACCOUNT_ID,
            accountId: MOCK_ACCOUNT_ID,
            arn: `arn:${ctx.partition}:iam::${MOCK_ACCOUNT_ID}:user/redis-stack-offline-check`,
            userId: "AIDAOFFLINECHECKUSER",
        };
    },
    "aws:index/getPartition:getPartition": (_inputs, ctx) => {
        const region = ctx.requireRegion("aws:index/getPartition:getPartition");
        const p = partitionOf(region);
        return { id: p.partition, ...p };
    },
};

/** The context every answer gets: the stack's region, and its partition. */
export function invokeContext(region: string | undefined): InvokeContext {
    return {
        region,
        partition: region ? partitionOf(region).partition : "aws",
        requireRegion: (token) => {
            if (!region) {
                throw new Error(
                    `invoke ${token} needs the AWS region, but 'aws:region' is not set: add it to Pulumi.<stack>.yaml ` +
                        "(config: aws:region: us-east-1) or to Pulumi.yaml (config: aws:region: {value: us-east-1})",
                );
            }
            return region;
        },
    };
}

/**
 * Answers one invoke: the program's own answer for the token if it has one (it knows its own data best), else
 * the generic one; throws naming the token and every known one.
 */
export function answerInvoke(
    token: string,
    inputs: Inputs,
    ctx: InvokeContext,
    programInvokes: OfflineInvokes = {},
): MockCallResult {
    const answer: InvokeAnswer | undefined = programInvokes[token] ?? GENERIC_INVOKES[token];
    if (!answer) {
        const known = [...new Set([...Object.keys(programInvokes), ...Object.keys(GENERIC_INVOKES)])].sort();
        throw new Error(
            `the offline check has no mock for invoke '${token}'; known invokes: ${known.join(", ")} ` +
                "(answer it in the program's offline-mocks module, see scripts/offline-check/README.md)",
        );
    }
    return answer(inputs, ctx);
}

/** What a preview's provider would hand back for a registration: no id yet, outputs beyond the inputs unknown. */
export function previewResource(args: MockResourceArgs): MockResourceResult {
    // A read (`Resource.get`) keeps the id it was asked for; its other properties are what the program passed.
    return { id: args.id ? args.id : undefined, state: args.inputs };
}

/**
 * The mocks a program run uses: preview registrations (or, with `up`, every output known: up-outputs.ts);
 * invokes from the program's answers and the generic ones.
 */
export function createMocks(ctx: InvokeContext, programInvokes: OfflineInvokes = {}, up?: UpContext): Mocks {
    return {
        newResource: (args: MockResourceArgs): MockResourceResult =>
            up && args.custom !== false && !args.id
                ? upState(args.type, args.name, args.inputs as Record<string, unknown>, up)
                : previewResource(args),
        call: (args: MockCallArgs): MockCallResult => {
            try {
                return answerInvoke(args.token, args.inputs ?? {}, ctx, programInvokes);
            } catch (e) {
                // The SDK reads a failed invoke's text from `details`, as on a gRPC error from the engine.
                throw Object.assign(new Error((e as Error).message), { details: (e as Error).message });
            }
        },
    };
}
