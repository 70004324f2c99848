// Runs policies with the arguments the real engine gives them, built by @pulumi/policy's own code:
// the wire properties (as the CLI marshals them: unknown sentinels, secrets as signature objects)
// go through `deserializeProperties` (secrets unwrapped, as in Analyze/AnalyzeStack) and
// `unknownCheckingProxy`; `notApplicable` throws; errors are classified as server.ts does
// (UnknownValueError -> advisory "can't run ... during preview", not-applicable, or a hard error).
// Config is what the CLI would send through Configure: schema defaults + the given file, validated (by the
// offline checker's reconciliation, scripts/offline-check/analyzer/policy-config.ts, which reproduces the CLI's).
// `engineAnalyze`/`engineAnalyzeStack` call the server's real RPC functions for cross-checking.

import type {
    Policies,
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { strict as assert } from "assert";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { version as PACK_VERSION } from "../../policy/package.json";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies as packPolicies } from "../../policy/policies";
import {
    type PolicyConfig,
    parsePolicyConfig,
    reconcilePolicyConfig,
} from "../../scripts/offline-check/analyzer/policy-config";
import { type PackInfo, convertAnalyzerInfo } from "../../scripts/offline-check/analyzer/wire";

/* eslint-disable @typescript-eslint/no-require-imports */
interface ProxyModule {
    unknownCheckingProxy<T extends object>(o: T): T;
    UnknownValueError: new (...a: never[]) => Error;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownStringValue: string;
    unknownArrayValue: string;
    unknownObjectValue: string;
}
const proxy = require("@pulumi/policy/proxy") as ProxyModule;
const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
    deserializeProperties(s: Struct, proxySecrets: boolean): Record<string, unknown>;
};
const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };
const { makeAnalyzerInfo } = require("@pulumi/policy/protoutil") as {
    makeAnalyzerInfo(
        name: string,
        version: string,
        level: string,
        args: { policies: Policies },
        initialConfig?: unknown,
    ): unknown;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** "<name>@v<version>", as the server names the pack in its advisories (version from policy/package.json). */
export const PACK = `${PACK_NAME}@v${PACK_VERSION}`;

export const UNKNOWN = {
    string: proxy.unknownStringValue,
    number: proxy.unknownNumberValue,
    bool: proxy.unknownBooleanValue,
    array: proxy.unknownArrayValue,
    object: proxy.unknownObjectValue,
} as const;

/** A secret as the CLI sends it to analyzers (KeepSecrets: true): a signature object around the plain value. */
export function secret(value: unknown): Record<string, unknown> {
    return { [rpc.specialSigKey]: rpc.specialSecretSig, value };
}

export type WireProps = Record<string, unknown>;

export interface Outcome {
    /** Messages passed to reportViolation (without the description prefix the server adds). */
    violations: string[];
    /** URNs passed with violations (stack policies). */
    violationUrns: (string | undefined)[];
    /** "can't run policy ... during preview" advisories produced from an UnknownValueError. */
    unknowns: string[];
    /** Reasons given to notApplicable. */
    notApplicable: string[];
}

class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}
function throwNotApplicable(reason?: string): never {
    throw new NotApplicableError(reason);
}

/** A read-only view of the stack tags, as server.ts's freezeMap gives (no set/delete/clear). */
function freezeMap(m: Map<string, string>): ReadonlyMap<string, string> {
    return Object.freeze({
        entries: m.entries.bind(m),
        forEach: m.forEach.bind(m),
        get: m.get.bind(m),
        has: m.has.bind(m),
        keys: m.keys.bind(m),
        size: m.size,
        values: m.values.bind(m),
        [Symbol.iterator]: m[Symbol.iterator].bind(m),
    });
}

export function urnOf(type: string, name: string, stack = "dev"): string {
    return `urn:pulumi:${stack}::redis-stack::${type}::${name}`;
}

/** What the engine hands a policy: deserialised wire properties behind the unknown-checking proxy. */
export function engineProps(props: WireProps): Record<string, unknown> {
    return proxy.unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(props as never), false));
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
    const t = (resourceClass as { __pulumiType?: string } | undefined)?.__pulumiType;
    return typeof t === "string" && t === type;
}

const OPTS = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    additionalSecretOutputs: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
};

/**
 * What the offline checker learns from GetAnalyzerInfo about a pack of `policies`: the message is built by
 * @pulumi/policy's own makeAnalyzerInfo (levels resolved, schemas through protobuf Structs) and read by the
 * checker's convertAnalyzerInfo.
 */
export function packInfo(policies: Policies = packPolicies): PackInfo {
    return convertAnalyzerInfo(makeAnalyzerInfo(PACK_NAME, PACK_VERSION, PACK_ENFORCEMENT_LEVEL, { policies }));
}

/**
 * A `--policy-pack-config` file's text reconciled as the CLI does (the checker's parsePolicyConfig and
 * reconcilePolicyConfig): what Configure would deliver. Throws the checker's OfflineCheckError when the file is invalid.
 */
export function reconcileFile(
    text: string,
    source: string,
    policies: Policies = packPolicies,
): Record<string, Required<PolicyConfig>> {
    const info = packInfo(policies);
    return reconcilePolicyConfig(info.policies, parsePolicyConfig(text, source), source, info.initialConfig);
}

/**
 * The properties a policy's getConfig() returns after the CLI's reconciliation of `file` (a
 * `--policy-pack-config` object) for a pack of this one policy. Throws when the file is invalid.
 */
export function configFor(policy: Policy, file?: Record<string, unknown>): Record<string, unknown> {
    return reconcileFile(JSON.stringify(file ?? {}), "test config", [policy])[policy.name].properties;
}

function classify(e: unknown, policyName: string, out: Outcome): void {
    if (e instanceof proxy.UnknownValueError) {
        out.unknowns.push(`can't run policy '${policyName}' from policy pack '${PACK}' during preview: ${e.message}`);
    } else if (e instanceof NotApplicableError) {
        out.notApplicable.push(e.reason ?? "");
    } else {
        throw e;
    }
}

function reporter(out: Outcome): ReportViolation {
    return (message: string, urn?: string) => {
        out.violations.push(message);
        out.violationUrns.push(urn);
    };
}

export interface ResourceCase {
    type: string;
    name?: string;
    props: WireProps;
    /** A `--policy-pack-config` file's content; defaults apply when absent. */
    config?: Record<string, unknown>;
    /** Serve without Configure: getConfig() returns {} (the policy must fall back to its defaults). */
    unconfigured?: boolean;
    /** getConfig() returns exactly this, unchecked (as a direct Configure RPC would deliver it). */
    rawConfig?: Record<string, unknown>;
    /** The resource's Pulumi `protect` option, as the engine passes it in `AnalyzerResourceOptions`. */
    protect?: boolean;
}

/** Runs a resource policy as server.ts's Analyze does. */
export async function runResource(policy: ResourceValidationPolicy, c: ResourceCase): Promise<Outcome> {
    const out: Outcome = { violations: [], violationUrns: [], unknowns: [], notApplicable: [] };
    const name = c.name ?? "r";
    const cfg = c.rawConfig ?? (c.unconfigured ? {} : configFor(policy, c.config));
    const validations: ResourceValidation[] = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : policy.validateResource
          ? [policy.validateResource]
          : [];
    // A stack policy has no validateResource: run here it would pass anything, so a test could never fail.
    assert.ok(validations.length > 0, `${policy.name} has no validateResource (a stack policy? use runStack)`);
    if (validations.length === 1) {
        const t = (validations[0] as { __pulumiType?: string }).__pulumiType;
        if (t && t !== c.type) {
            out.notApplicable.push(`Policy only applies to resources of type '${t}'`);
            return out;
        }
    }
    for (const v of validations) {
        try {
            const props = engineProps(c.props);
            const args: ResourceValidationArgs = {
                type: c.type,
                props,
                urn: urnOf(c.type, name),
                name,
                opts: { ...OPTS, protect: c.protect ?? OPTS.protect },
                stackTags: freezeMap(new Map()),
                isType: (cls: unknown) => isTypeOf(c.type, cls),
                asType: ((cls: unknown) =>
                    isTypeOf(c.type, cls) ? props : undefined) as ResourceValidationArgs["asType"],
                getConfig: <T extends object>() => cfg as T,
                notApplicable: throwNotApplicable,
            } as ResourceValidationArgs;
            await Promise.resolve(v(args, reporter(out)));
        } catch (e) {
            classify(e, policy.name, out);
        }
    }
    return out;
}

export interface StackResource {
    type: string;
    name: string;
    props: WireProps;
    parent?: string;
    dependencies?: string[];
    /** Input key -> URNs it depends on, as the SDK records them. */
    propertyDependencies?: Record<string, string[]>;
}

export function stackUrn(r: { type: string; name: string }): string {
    return urnOf(r.type, r.name);
}

/** Runs a stack policy as server.ts's AnalyzeStack does (parents, dependencies, propertyDependencies resolved). */
export async function runStack(
    policy: StackValidationPolicy,
    resources: StackResource[],
    opts: { config?: Record<string, unknown>; unconfigured?: boolean } = {},
): Promise<Outcome> {
    const out: Outcome = { violations: [], violationUrns: [], unknowns: [], notApplicable: [] };
    const cfg = opts.unconfigured ? {} : configFor(policy, opts.config);
    const t = (policy.validateStack as { __pulumiType?: string }).__pulumiType;
    if (t && !resources.some((r) => r.type === t)) {
        out.notApplicable.push(`Policy only applies to resources of type '${t}'`);
        return out;
    }
    try {
        const built = resources.map((r) => {
            const props = engineProps(r.props);
            const res: PolicyResource = {
                type: r.type,
                props,
                urn: stackUrn(r),
                name: r.name,
                opts: OPTS,
                dependencies: [],
                propertyDependencies: {},
                isType: (cls: unknown) => isTypeOf(r.type, cls),
                asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
            } as PolicyResource;
            return { r, res };
        });
        const byUrn = new Map(built.map((b) => [b.res.urn, b.res]));
        for (const { r, res } of built) {
            if (r.parent && byUrn.has(r.parent)) res.parent = byUrn.get(r.parent);
            res.dependencies = (r.dependencies ?? []).map((d) => byUrn.get(d)).filter((d): d is PolicyResource => !!d);
            for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                res.propertyDependencies[k] = urns.map((d) => byUrn.get(d)).filter((d): d is PolicyResource => !!d);
            }
        }
        const args: StackValidationArgs = {
            resources: built.map((b) => b.res),
            getConfig: <T extends object>() => cfg as T,
            stackTags: freezeMap(new Map()),
            notApplicable: throwNotApplicable,
        };
        await Promise.resolve(policy.validateStack(args, reporter(out)));
    } catch (e) {
        classify(e, policy.name, out);
    }
    return out;
}

// ---- the server's own RPC functions, for cross-checking the harness ----

/* eslint-disable @typescript-eslint/no-require-imports */
const server = require("@pulumi/policy/server") as {
    makeAnalyzeRpcFun(pack: string, version: string, level: string, policies: Policies): RpcFun;
    makeAnalyzeStackRpcFun(pack: string, version: string, level: string, policies: Policies): RpcFun;
};
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

type RpcFun = (
    call: { request: unknown },
    cb: (err: Error | null | undefined, resp?: AnalyzeResponse) => void,
) => Promise<void>;
interface AnalyzeResponse {
    getDiagnosticsList(): {
        getPolicyname(): string;
        getMessage(): string;
        getEnforcementlevel(): number;
        getUrn(): string;
    }[];
    getNotApplicableList(): { getPolicyName(): string; getReason(): string }[];
}

export interface EngineDiagnostic {
    policy: string;
    message: string;
    level: "advisory" | "mandatory";
    urn: string;
}
export interface EngineResult {
    diagnostics: EngineDiagnostic[];
    notApplicable: { policy: string; reason: string }[];
}

function toResult(resp: AnalyzeResponse): EngineResult {
    return {
        diagnostics: resp.getDiagnosticsList().map((d) => ({
            policy: d.getPolicyname(),
            message: d.getMessage(),
            urn: d.getUrn(),
            level: d.getEnforcementlevel() === pb.EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
        })),
        notApplicable: resp.getNotApplicableList().map((n) => ({ policy: n.getPolicyName(), reason: n.getReason() })),
    };
}

function call(fn: RpcFun, request: unknown): Promise<EngineResult> {
    return new Promise((resolve, reject) => {
        void fn({ request }, (err, resp) => (err ? reject(err) : resolve(toResult(resp as AnalyzeResponse))));
    });
}

function resourceMessage(msgClass: new () => unknown, r: { type: string; name: string; props: WireProps }) {
    const m = new msgClass() as Record<string, (v: unknown) => void>;
    m.setType(r.type);
    m.setName(r.name);
    m.setUrn(urnOf(r.type, r.name));
    m.setProperties(Struct.fromJavaScript(r.props as never));
    m.setOptions(new pb.AnalyzerResourceOptions());
    return m;
}

/** The real Analyze RPC (no Configure: getConfig() returns {}), over one resource. */
export function engineAnalyze(
    policies: Policies,
    r: { type: string; name: string; props: WireProps },
): Promise<EngineResult> {
    const [name, version] = PACK.split("@v");
    const fn = server.makeAnalyzeRpcFun(name, version, "advisory", policies);
    return call(fn, resourceMessage(pb.AnalyzeRequest, r));
}

/** The real AnalyzeStack RPC (no Configure), with parents, dependencies and propertyDependencies. */
export function engineAnalyzeStack(policies: Policies, resources: StackResource[]): Promise<EngineResult> {
    const [name, version] = PACK.split("@v");
    const fn = server.makeAnalyzeStackRpcFun(name, version, "advisory", policies);
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
        resources.map((r) => {
            const m = resourceMessage(pb.AnalyzerResource, r) as unknown as {
                setParent(u: string): void;
                setDependenciesList(u: string[]): void;
                getPropertydependenciesMap(): { set(k: string, v: unknown): void };
            };
            if (r.parent) m.setParent(r.parent);
            m.setDependenciesList(r.dependencies ?? []);
            for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                const deps = new pb.AnalyzerPropertyDependencies();
                deps.setUrnsList(urns);
                m.getPropertydependenciesMap().set(k, deps);
            }
            return m;
        }),
    );
    return call(fn, req);
}

// ---- assertions shared by the policy tests ----

export function assertPass(o: Outcome): void {
    assert.deepEqual(
        { violations: o.violations, unknowns: o.unknowns, notApplicable: o.notApplicable },
        { violations: [], unknowns: [], notApplicable: [] },
    );
}

/**
 * Exactly one violation per pattern, in order. Every message must name the resource (`who`) and
 * carry a fix, as the issue requires.
 */
export function assertViolations(o: Outcome, who: string, ...patterns: RegExp[]): void {
    assert.deepEqual(o.unknowns, [], "unexpected unknown-value advisory");
    assert.deepEqual(o.notApplicable, [], "unexpectedly not applicable");
    assert.equal(o.violations.length, patterns.length, `violations: ${JSON.stringify(o.violations, null, 1)}`);
    patterns.forEach((p, i) => {
        assert.match(o.violations[i], p);
        assert.ok(o.violations[i].includes(who), `message does not name ${who}: ${o.violations[i]}`);
        assert.match(o.violations[i], /Fix: /);
    });
}

/** The engine's preview semantics: no verdict, one "can't run during preview" advisory naming the path. */
export function assertUnknown(o: Outcome, path: string): void {
    assert.deepEqual(o.violations, [], "an unknown value must not produce a violation");
    assert.deepEqual(o.notApplicable, []);
    assert.equal(o.unknowns.length, 1);
    assert.ok(o.unknowns[0].includes(`value at .${path} can't be known during preview`), o.unknowns[0]);
}

export function assertNotApplicable(o: Outcome, reason: RegExp): void {
    assert.deepEqual(o.violations, []);
    assert.deepEqual(o.unknowns, []);
    assert.equal(o.notApplicable.length, 1);
    assert.match(o.notApplicable[0], reason);
}
