// Instance hardening: IMDSv2 and encrypted volumes, on instances and launch templates.

import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { type PolicyConfigSchema } from "./shared/policy-config";
import { T, configHint, forTypes, isSet, label, policyConfig } from "./lib/util";

/** An instance launched from a template may take the setting from it; the template is checked too. */
function fromLaunchTemplate(args: ResourceValidationArgs, key: string): boolean {
    return args.type === T.instance && !isSet(args.props, key) && isSet(args.props, "launchTemplate");
}

// --- bastion-imdsv2-required ---

export const IMDS_POLICY = "bastion-imdsv2-required";
export interface ImdsConfig {
    maxHopLimit: number;
}
export const imdsSchema: PolicyConfigSchema = {
    properties: {
        maxHopLimit: {
            type: "integer",
            minimum: 1,
            maximum: 64,
            default: 1,
            description: "Largest httpPutResponseHopLimit allowed (1 keeps tokens on the host; containers need 2).",
        },
    },
};

interface MetadataOptions {
    httpTokens?: string;
    httpEndpoint?: string;
    httpPutResponseHopLimit?: number;
}
interface ImdsProps {
    metadataOptions?: MetadataOptions;
}

export const bastionImdsv2Required: ResourceValidationPolicy = {
    name: IMDS_POLICY,
    description:
        'EC2 instances and launch templates must require IMDSv2 session tokens (metadataOptions.httpTokens "required").',
    enforcementLevel: "mandatory",
    configSchema: imdsSchema,
    validateResource: forTypes([T.instance, T.launchTemplate], (args, report) => {
        if (fromLaunchTemplate(args, "metadataOptions")) {
            args.notApplicable("metadata options come from the launch template, which is checked");
        }
        const { maxHopLimit } = policyConfig<ImdsConfig>(args, IMDS_POLICY, imdsSchema);
        const who = label(args.type, args.name);
        const fix = `Fix: set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" }.`;
        if (!isSet(args.props, "metadataOptions")) {
            report(
                `${who}: metadataOptions is not set, so IMDSv1 (no token) may stay on; httpTokens must be "required". ${fix}`,
            );
            return;
        }
        const mo = (args.props as ImdsProps).metadataOptions as MetadataOptions;
        // With the metadata endpoint off there is nothing to steal tokens from.
        if (mo.httpEndpoint === "disabled") {
            return;
        }
        if (mo.httpTokens !== "required") {
            const found = mo.httpTokens === undefined ? "not set (IMDSv1 allowed)" : `"${mo.httpTokens}"`;
            report(`${who}: metadataOptions.httpTokens is ${found}; it must be "required". ${fix}`);
        }
        const hops = mo.httpPutResponseHopLimit;
        if (hops !== undefined && hops !== null && Number(hops) > maxHopLimit) {
            report(
                `${who}: metadataOptions.httpPutResponseHopLimit is ${hops}; at most ${maxHopLimit} allowed. ` +
                    `Fix: lower it, or raise ${configHint(IMDS_POLICY, "maxHopLimit")}.`,
            );
        }
    }),
};

// --- bastion-root-volume-encrypted ---

export const ROOT_VOLUME_POLICY = "bastion-root-volume-encrypted";
export interface RootVolumeConfig {
    checkAdditionalVolumes: boolean;
}
export const rootVolumeSchema: PolicyConfigSchema = {
    properties: {
        checkAdditionalVolumes: {
            type: "boolean",
            default: true,
            description: "Also require encryption on the instance's other EBS volumes (ebsBlockDevices).",
        },
    },
};

interface InstanceVolumeProps {
    rootBlockDevice?: { encrypted?: boolean };
    ebsBlockDevices?: { deviceName?: string; encrypted?: boolean }[];
    blockDeviceMappings?: { deviceName?: string; ebs?: { encrypted?: string | boolean } }[];
}

/** Launch templates carry `encrypted` as a string ("true"/"false"); instances as a boolean. */
function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

/**
 * What an instance's `encrypted` (a boolean) holds and what it must be, for messages: a string "true" (the launch
 * template's form) must not read as if it were true.
 */
function encryptedProblem(v: unknown): string {
    if (v === undefined) {
        return "not set (defaults to false); it must be true";
    }
    return typeof v === "string"
        ? `the string ${JSON.stringify(v)}; it must be the boolean true`
        : `${String(v)}; it must be true`;
}

export const bastionRootVolumeEncrypted: ResourceValidationPolicy = {
    name: ROOT_VOLUME_POLICY,
    description: "EC2 instances and launch templates must encrypt the root volume (and, by default, every EBS volume).",
    enforcementLevel: "mandatory",
    configSchema: rootVolumeSchema,
    validateResource: forTypes([T.instance, T.launchTemplate], (args, report) => {
        const props = args.props as InstanceVolumeProps;
        const { checkAdditionalVolumes } = policyConfig<RootVolumeConfig>(args, ROOT_VOLUME_POLICY, rootVolumeSchema);
        const who = label(args.type, args.name);
        if (args.type === T.launchTemplate) {
            const mappings = isSet(args.props, "blockDeviceMappings") ? (props.blockDeviceMappings ?? []) : [];
            if (mappings.length === 0) {
                report(
                    `${who}: blockDeviceMappings is not set, so the root volume comes from the AMI unencrypted ` +
                        `(unless the account encrypts EBS by default). Fix: add blockDeviceMappings: [{ deviceName: <the AMI's ` +
                        `root device, e.g. "/dev/xvda">, ebs: { encrypted: "true" } }].`,
                );
                return;
            }
            mappings.forEach((m, i) => {
                if (m.ebs !== undefined && m.ebs !== null && !isTrue(m.ebs.encrypted)) {
                    report(
                        `${who}: blockDeviceMappings[${i}] (${m.deviceName ?? "no device name"}) has ebs.encrypted ` +
                            `${m.ebs.encrypted === undefined ? "not set" : JSON.stringify(m.ebs.encrypted)}; it must be "true". ` +
                            `Fix: set ebs: { encrypted: "true" }.`,
                    );
                }
            });
            return;
        }
        if (fromLaunchTemplate(args, "rootBlockDevice")) {
            args.notApplicable("the root volume comes from the launch template, which is checked");
        }
        if (!isSet(args.props, "rootBlockDevice")) {
            report(
                `${who}: rootBlockDevice is not set, so the root volume is unencrypted (the provider's default). ` +
                    `Fix: set rootBlockDevice: { encrypted: true }.`,
            );
        } else if (props.rootBlockDevice?.encrypted !== true) {
            report(
                `${who}: rootBlockDevice.encrypted is ${encryptedProblem(props.rootBlockDevice?.encrypted)}. ` +
                    `Fix: set rootBlockDevice: { encrypted: true } (this replaces the instance).`,
            );
        }
        if (checkAdditionalVolumes && isSet(args.props, "ebsBlockDevices")) {
            (props.ebsBlockDevices ?? []).forEach((d, i) => {
                if (d.encrypted !== true) {
                    report(
                        `${who}: ebsBlockDevices[${i}] (${d.deviceName ?? "no device name"}): encrypted is ` +
                            `${encryptedProblem(d.encrypted)}. ` +
                            `Fix: set encrypted: true, or turn off ${configHint(ROOT_VOLUME_POLICY, "checkAdditionalVolumes")}.`,
                    );
                }
            });
        }
    }),
};
