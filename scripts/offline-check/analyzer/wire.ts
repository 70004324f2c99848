// Conversion between the checker's records and the Analyzer protocol's protobuf messages, as the engine
// marshals them (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go): properties keep unknowns and secrets,
// keys starting with "__" are dropped (MarshalOptions{KeepUnknowns, KeepSecrets, SkipInternalKeys}); custom
// timeouts are seconds; diagnostics, policy infos and the pack's initial config come back as plain objects.
import * as path from "path";
import type { JsonSchema } from "../../../policy/shared";
import { type RecordedResource, providerRefUrn } from "../recorder/recording";
import type { EnforcementLevel, PolicyConfig, PolicyInfo } from "./policy-config";

// The generated gRPC/protobuf modules of @pulumi/pulumi have no useful typings; these are the parts we use. They
// are resolved through @pulumi/pulumi's own dependencies (the copies it was built against), hence require, not
// import. test/offline-check/sdk-patch-points.test.ts asserts the parts used here.
/* eslint-disable @typescript-eslint/no-require-imports */

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (mod: string): string => require.resolve(mod, { paths: [pulumiDir] });
export const grpc = require(fromPulumi("@grpc/grpc-js")) as typeof import("@grpc/grpc-js");
export const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
export const pb = require("@pulumi/pulumi/proto/analyzer_pb");
export const structpb = require(fromPulumi("google-protobuf/google/protobuf/struct_pb"));
export const emptypb = require(fromPulumi("google-protobuf/google/protobuf/empty_pb"));

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Proto = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface Violation {
    policy: string;
    enforcementLevel: "mandatory" | "advisory";
    urn: string;
    message: string;
    /** The policy's description, as the pack reports it. */
    description: string;
    severity: string;
}

export interface PackInfo {
    name: string;
    displayName: string;
    version: string;
    policies: PolicyInfo[];
    /** Config the pack sets programmatically (PolicyPack's initialConfig), applied before the config file. */
    initialConfig: Record<string, PolicyConfig>;
}

export interface AnalysisResult {
    pack: PackInfo;
    /** The configuration sent with Configure (after defaults and the config file). */
    policyConfig: Record<string, Required<PolicyConfig>>;
    violations: Violation[];
}

const LEVELS: Record<number, EnforcementLevel> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
export const LEVEL_CODES: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const SEVERITIES: Record<number, string> = { 0: "", 1: "low", 2: "medium", 3: "high", 4: "critical" };
const POLICY_TYPES: Record<number, PolicyInfo["policyType"]> = { 0: "unknown", 1: "resource", 2: "stack" };

/** Drops the engine's internal keys ("__…") at every level, as MarshalProperties(SkipInternalKeys) does. */
export function skipInternalKeys(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(skipInternalKeys);
    }
    if (typeof v === "object" && v !== null) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
            if (!k.startsWith("__")) {
                out[k] = skipInternalKeys(x);
            }
        }
        return out;
    }
    return v;
}

export function struct(props: Record<string, unknown>): Proto {
    return structpb.Struct.fromJavaScript(skipInternalKeys(props));
}

export function resourceOptions(r: RecordedResource): Proto {
    const o = new pb.AnalyzerResourceOptions();
    o.setProtect(r.options.protect);
    o.setIgnorechangesList(r.options.ignoreChanges);
    o.setDeletebeforereplace(r.options.deleteBeforeReplace === true);
    o.setDeletebeforereplacedefined(r.options.deleteBeforeReplace !== undefined);
    o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
    o.setAliasesList(r.options.aliases);
    const ct = new pb.AnalyzerResourceOptions.CustomTimeouts();
    // The engine's CustomTimeouts are seconds (float); the SDK sends Go duration strings like "5m".
    ct.setCreate(durationSeconds(r.options.customTimeouts.create));
    ct.setUpdate(durationSeconds(r.options.customTimeouts.update));
    ct.setDelete(durationSeconds(r.options.customTimeouts.delete));
    o.setCustomtimeouts(ct);
    o.setParent(r.parent);
    return o;
}

/** Seconds in a Go duration string ("1h30m", "90s", "250ms"); 0 for "". */
export function durationSeconds(d: string): number {
    if (!d) {
        return 0;
    }
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };
    let total = 0;
    const re = /([0-9.]+)(h|ms|m|s|us|µs|ns)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(d)) !== null) {
        total += Number(m[1]) * units[m[2]];
    }
    return total;
}

// Every resource of a package shares its provider; marshal each provider once (5,000 resources: one struct
// instead of 10,000). The messages are immutable once built.
const providerMessages = new WeakMap<RecordedResource, Proto>();

export function providerResource(r: RecordedResource, byUrn: Map<string, RecordedResource>): Proto | undefined {
    if (!r.provider) {
        return undefined;
    }
    const p = byUrn.get(providerRefUrn(r.provider));
    if (!p) {
        return undefined;
    }
    let msg = providerMessages.get(p);
    if (!msg) {
        msg = new pb.AnalyzerProviderResource();
        msg.setUrn(p.urn);
        msg.setType(p.type);
        msg.setName(p.name);
        msg.setProperties(struct(p.inputs));
        providerMessages.set(p, msg);
    }
    return msg;
}

export function convertDiagnostics(list: Proto[], fallbackUrn: (urn: string) => string): Violation[] {
    return list.map((d: Proto) => {
        let level = LEVELS[d.getEnforcementlevel()] ?? "advisory";
        if (level === "remediate") {
            level = "mandatory";
        }
        return {
            policy: d.getPolicyname(),
            enforcementLevel: level === "mandatory" ? "mandatory" : "advisory",
            urn: fallbackUrn(d.getUrn()),
            message: d.getMessage(),
            description: d.getDescription(),
            severity: SEVERITIES[d.getSeverity()] ?? "",
        };
    });
}

/** The engine's convertPolicyConfig: a level (advisory when unset, as in the proto) and properties. */
function convertInitialConfig(map: Proto): Record<string, PolicyConfig> {
    const out: Record<string, PolicyConfig> = {};
    map.forEach((v: Proto, name: string) => {
        const properties = (v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
        out[name] = {
            enforcementLevel: LEVELS[v.getEnforcementlevel()] ?? "advisory",
            ...(Object.keys(properties).length > 0 ? { properties } : {}),
        };
    });
    return out;
}

function convertPolicyInfo(p: Proto): PolicyInfo {
    const schema = p.getConfigschema();
    const info: PolicyInfo = {
        name: p.getName(),
        displayName: p.getDisplayname(),
        description: p.getDescription(),
        enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
        policyType: POLICY_TYPES[p.getPolicyType()] ?? "unknown",
        severity: SEVERITIES[p.getSeverity()] ?? "",
    };
    if (schema) {
        info.configSchema = {
            // Unchecked: validateJsonSchema type-checks every keyword's value before using it.
            properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>,
            required: schema.getRequiredList(),
        };
    }
    return info;
}

/** A GetAnalyzerInfo response (an AnalyzerInfo message) as the checker uses it. */
export function convertAnalyzerInfo(info: Proto): PackInfo {
    return {
        name: info.getName(),
        displayName: info.getDisplayname(),
        version: info.getVersion(),
        policies: info.getPoliciesList().map(convertPolicyInfo),
        initialConfig: convertInitialConfig(info.getInitialconfigMap()),
    };
}
