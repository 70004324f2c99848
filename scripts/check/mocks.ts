// Preview-faithful, strict mocks for the offline check. Resources: the engine in preview never calls the
// provider's Create, so a new resource has no id and its computed outputs are unknown; returning the inputs as
// state with no id makes the SDK resolve every other output property as unknown in dry-run (see
// @pulumi/pulumi runtime/rpc.js resolveProperties), exactly like a real `pulumi preview`. Invokes do run during
// a real preview, so they answer with fixed, plausible data; any invoke not in the table is an error, because
// silently inventing data would let a check pass on values the cloud would never return.
import type {
    MockCallArgs,
    MockCallResult,
    MockResourceArgs,
    MockResourceResult,
    Mocks,
} from "@pulumi/pulumi/runtime/mocks";

export const MOCK_ACCOUNT_ID = "123456789012";

/** AL2023 AMI public parameters the bastion uses, with the AMI id the mock returns for each. */
export const AL2023_AMI_PARAMETERS: Readonly<Record<string, string>> = {
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64": "ami-0a3c14e1ddbe7f23c",
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64": "ami-0f9d5a6c8a1b2e3d4",
};

export interface InvokeContext {
    /** `aws:region` from the merged stack config, if set. */
    region?: string;
}

type Inputs = Record<string, unknown>;
type InvokeHandler = (inputs: Inputs, ctx: InvokeContext) => MockCallResult;

function requireRegion(ctx: InvokeContext, token: string): string {
    if (!ctx.region) {
        throw new Error(
            `invoke ${token} needs the AWS region, but 'aws:region' is not set: add it to Pulumi.<stack>.yaml ` +
                "(config: aws:region: us-east-1) or to Pulumi.yaml (config: aws:region: {value: us-east-1})",
        );
    }
    return ctx.region;
}

/** The partition a region belongs to, as AWS names them. */
export function partitionOf(region: string): { partition: string; dnsSuffix: string; reverseDnsPrefix: string } {
    if (region.startsWith("cn-")) {
        return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" };
    }
    if (region.startsWith("us-gov-")) {
        return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    }
    return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
}

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

/**
 * Known invokes: token -> handler. Keep every answer fixed (no randomness, no clock) so runs are reproducible;
 * add a token here when a program needs one.
 */
export const INVOKES: Readonly<Record<string, InvokeHandler>> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, ctx) => {
        const region = requireRegion(ctx, "aws:index/getAvailabilityZones:getAvailabilityZones");
        const prefix = zoneIdPrefix(region);
        const exclNames = asStringArray(inputs.excludeNames);
        const exclIds = asStringArray(inputs.excludeZoneIds);
        const zones = ["a", "b", "c"]
            .map((s, i) => ({ name: `${region}${s}`, zoneId: `${prefix}-az${i + 1}` }))
            .filter((z) => !exclNames.includes(z.name) && !exclIds.includes(z.zoneId));
        return {
            ...inputs,
            id: region,
            names: zones.map((z) => z.name),
            zoneIds: zones.map((z) => z.zoneId),
            groupNames: [region],
        };
    },
    "aws:ssm/getParameter:getParameter": (inputs, ctx) => {
        const region = requireRegion(ctx, "aws:ssm/getParameter:getParameter");
        const name = inputs.name;
        if (typeof name !== "string" || !(name in AL2023_AMI_PARAMETERS)) {
            throw new Error(
                `the offline check knows no SSM parameter ${JSON.stringify(name)}; known: ${Object.keys(AL2023_AMI_PARAMETERS).join(", ")}`,
            );
        }
        return {
            ...inputs,
            arn: `arn:${partitionOf(region).partition}:ssm:${region}::parameter${name}`,
            id: name,
            name,
            type: "String",
            value: AL2023_AMI_PARAMETERS[name],
            insecureValue: AL2023_AMI_PARAMETERS[name],
            version: 1,
            withDecryption: inputs.withDecryption ?? true,
        };
    },
    "aws:index/getRegion:getRegion": (_inputs, ctx) => {
        const region = requireRegion(ctx, "aws:index/getRegion:getRegion");
        const { dnsSuffix } = partitionOf(region);
        return { id: region, region, name: region, description: region, endpoint: `ec2.${region}.${dnsSuffix}` };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": (_inputs, ctx) => {
        const partition = ctx.region ? partitionOf(ctx.region).partition : "aws";
        return {
            id: MOCK_ACCOUNT_ID,
            accountId: MOCK_ACCOUNT_ID,
            arn: `arn:${partition}:iam::${MOCK_ACCOUNT_ID}:user/redis-stack-offline-check`,
            userId: "AIDAOFFLINECHECKUSER",
        };
    },
    "aws:index/getPartition:getPartition": (_inputs, ctx) => {
        const region = requireRegion(ctx, "aws:index/getPartition:getPartition");
        const p = partitionOf(region);
        return { id: p.partition, ...p };
    },
};

/** Answers one invoke from the table, or throws naming the token and the known ones. */
export function answerInvoke(token: string, inputs: Inputs, ctx: InvokeContext): MockCallResult {
    const handler = INVOKES[token];
    if (!handler) {
        throw new Error(
            `the offline check has no mock for invoke '${token}'; known invokes: ${Object.keys(INVOKES).join(", ")} ` +
                "(add one to scripts/check/mocks.ts)",
        );
    }
    return handler(inputs, ctx);
}

/** What a preview's provider would hand back for a registration: no id yet, outputs beyond the inputs unknown. */
export function previewResource(args: MockResourceArgs): MockResourceResult {
    // A read (`Resource.get`) keeps the id it was asked for; its other properties are what the program passed.
    return { id: args.id ? args.id : undefined, state: args.inputs };
}

export function createMocks(ctx: InvokeContext): Mocks {
    return {
        newResource: (args: MockResourceArgs): MockResourceResult => previewResource(args),
        call: (args: MockCallArgs): MockCallResult => {
            try {
                return answerInvoke(args.token, args.inputs ?? {}, ctx);
            } catch (e) {
                // The SDK reads a failed invoke's text from `details`, as on a gRPC error from the engine.
                throw Object.assign(new Error((e as Error).message), { details: (e as Error).message });
            }
        },
    };
}
