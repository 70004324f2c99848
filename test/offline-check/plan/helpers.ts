// Builders of plan inputs: head registrations as the recorder records them, base resources as a state holds them.
import type { HeadResource } from "../../../scripts/offline-check/plan/planner";
import type { BaseResource } from "../../../scripts/offline-check/plan/state";
import type { RecordedOptions } from "../../../scripts/offline-check/recorder/recording";

export const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
export const SSM_PARAMETER = "aws:ssm/parameter:Parameter";
export const INSTANCE = "aws:ec2/instance:Instance";
export const SG = "aws:ec2/securityGroup:SecurityGroup";

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:dev::redis-stack::${type}::${name}`;
}

export function head(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    extra: Partial<Omit<HeadResource, "options">> & { options?: Partial<RecordedOptions> } = {},
): HeadResource {
    const { options, ...rest } = extra;
    return {
        urn: urnOf(type, name),
        type,
        name,
        parent: "",
        custom: true,
        provider: "",
        inputs,
        dependencies: [],
        propertyDependencies: {},
        options: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { create: "", update: "", delete: "" },
            additionalSecretOutputs: [],
            ...options,
        },
        ...rest,
    };
}

export function base(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<BaseResource> = {}) {
    return {
        urn: urnOf(type, name),
        type,
        custom: true,
        parent: "",
        inputs,
        outputs: {},
        protect: false,
        dependencies: [],
        propertyDependencies: {},
        ...extra,
    } satisfies BaseResource;
}
