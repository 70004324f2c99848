// The Analyzer gRPC session with a started pack, driven like the engine drives analyzers (pulumi/pulumi
// pkg/resource/deploy/step_generator.go, analyze_snapshot.go):
//  - ConfigureStack (stack, project, tags, dry run, config), GetAnalyzerInfo, then Configure with the policy
//    config reconciled from schema defaults and the config file;
//  - every registered resource (root stack, default providers, components, custom resources) goes through
//    Remediate (only when a policy's level is `remediate`: otherwise the pack answers "not applicable" for all)
//    and Analyze with its inputs, options and provider;
//  - one AnalyzeStack at the end with every resource's planned outputs (planned-outputs.ts: a custom resource's
//    checked inputs plus its unset computed outputs as unknowns; registered outputs of components and the
//    stack), parent, dependencies and non-empty property dependencies;
//  - remediate-level diagnostics count as mandatory; a stack diagnostic whose URN is not in the stack is
//    reported on the root stack.
import { createHash } from "crypto";
import { phase } from "../lifecycle";
import { OfflineCheckError } from "../offline-check-error";
import { ROOT_STACK_TYPE, type RecordedResource, type Recording } from "../recorder/recording";
import { type PackProcess, packFailureCause } from "./pack-process";
import { plannedOutputs } from "./planned-outputs";
import { type PolicyConfig, loadPolicyConfigFile, reconcilePolicyConfig } from "./policy-config";
import {
    type AnalysisResult,
    type PackInfo,
    type Proto,
    type Violation,
    LEVEL_CODES,
    analyzerGrpc,
    convertAnalyzerInfo,
    convertDiagnostics,
    emptypb,
    grpc,
    pb,
    providerResource,
    resourceOptions,
    struct,
    structpb,
} from "./wire";

/** A request serialized once (its bytes are what the pack receives), and the URN it is about. */
export interface EncodedRequest {
    readonly urn: string;
    readonly bytes: Buffer;
}

function isEncoded(req: Proto): req is EncodedRequest {
    return Buffer.isBuffer((req as Partial<EncodedRequest>).bytes);
}

function unary(client: Proto, method: string, req: Proto): Promise<Proto> {
    return new Promise((resolve, reject) => {
        const done = (err: Error | null, resp: Proto) => (err ? reject(err) : resolve(resp));
        if (isEncoded(req)) {
            // Sent as they are: the generated client would serialize the message again.
            const rpc = analyzerGrpc.AnalyzerService[method];
            client.makeUnaryRequest(rpc.path, (b: Buffer) => b, rpc.responseDeserialize, req.bytes, done);
        } else {
            client[method](req, done);
        }
    });
}

/**
 * How long a call that lost its connection waits for the pack's exit before reporting: the exit (and the pack's
 * last stderr) usually reaches the checker a little after the dropped connection does.
 */
const PACK_EXIT_GRACE_MS = 2000;

/** A semaphore: `run(fn)` starts fn once fewer than `limit` runs are in flight. */
function limiter(limit: number): <R>(fn: () => Promise<R>) => Promise<R> {
    let active = 0;
    const waiting: (() => void)[] = [];
    return async <R>(fn: () => Promise<R>): Promise<R> => {
        if (active >= limit) {
            await new Promise<void>((resolve) => waiting.push(resolve));
        }
        active++;
        try {
            return await fn();
        } finally {
            active--;
            waiting.shift()?.();
        }
    };
}

export interface AnalyzeOptions {
    /** Stack config as the program got it (the pack gets it in PULUMI_CONFIG too). */
    config: Record<string, string>;
    secretKeys: string[];
    /** Policy config file (`--policy-pack-config` format), or undefined for the schema defaults. */
    policyConfigFile?: string;
    /** Stack tags for ConfigureStack. */
    tags?: Record<string, string>;
    /** Analyze calls in flight at once; the engine analyzes resources as their registrations arrive. */
    concurrency?: number;
}

/** The Analyze (and Remediate) request for a resource with these properties, as the engine builds it. */
export function analyzeRequest(
    r: RecordedResource,
    props: Record<string, unknown>,
    byUrn: Map<string, RecordedResource>,
): Proto {
    const req = new pb.AnalyzeRequest();
    req.setUrn(r.urn);
    req.setType(r.type);
    req.setName(r.name);
    req.setProperties(struct(props));
    req.setOptions(resourceOptions(r));
    const provider = providerResource(r, byUrn);
    if (provider) {
        req.setProvider(provider);
    }
    return req;
}

/** A connected Analyzer client for a started pack. */
export class AnalyzerSession {
    private readonly client: Proto;

    constructor(readonly pack: PackProcess) {
        this.client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 1024 * 1024 * 400,
            "grpc.max_send_message_length": 1024 * 1024 * 400,
        });
    }

    close(): void {
        this.client.close();
    }

    private call(method: string, req: Proto): Promise<Proto> {
        return this.request(method, req, false);
    }

    /** The pack's answer, or undefined from an older pack that does not implement `method` (the engine goes on). */
    private callIfImplemented(method: string, req: Proto): Promise<Proto | undefined> {
        return this.request(method, req, true);
    }

    private async request(method: string, req: Proto, optional: boolean): Promise<Proto | undefined> {
        const name = method[0].toUpperCase() + method.slice(1);
        const urn = isEncoded(req) ? req.urn : typeof req.getUrn === "function" ? (req.getUrn() as string) : "";
        const about = urn ? ` for ${urn}` : "";
        try {
            return await phase(`the policy pack did not answer ${name}${about}`, unary(this.client, method, req));
        } catch (e) {
            if (optional && (e as { code?: number }).code === grpc.status.UNIMPLEMENTED) {
                return undefined;
            }
            throw await this.failure(`${name}${about}`, e as Error);
        }
    }

    /**
     * A failed call. When the pack died, the first line says so with how it ended and its first error line (the
     * gRPC status, `14 UNAVAILABLE: read ECONNRESET`, only says the connection dropped and comes after); a pack
     * still running answered with an error, which comes first, its stderr after.
     */
    private async failure(call: string, e: Error): Promise<OfflineCheckError> {
        const code = (e as { code?: number }).code;
        // What a dropped connection gives: ECONNRESET, "Connection dropped", a reset stream.
        const dropped = code === grpc.status.UNAVAILABLE || code === grpc.status.INTERNAL;
        const exited = await this.pack.exited(dropped ? PACK_EXIT_GRACE_MS : 0);
        const cause = packFailureCause(this.pack.errors());
        if (exited) {
            return new OfflineCheckError(
                `policy pack ${call} failed: the pack died (${exited})${cause ? `: ${cause}` : ""}\n(${e.message})`,
            );
        }
        return new OfflineCheckError(`policy pack ${call} failed: ${e.message}${cause ? `\n${cause}` : ""}`);
    }

    async configureStack(project: string, stack: string, opts: AnalyzeOptions): Promise<void> {
        const req = new pb.AnalyzerStackConfigureRequest();
        req.setStack(stack);
        req.setProject(project);
        req.setOrganization("");
        req.setDryRun(true);
        const cfg = req.getConfigMap();
        for (const [k, v] of Object.entries(opts.config)) {
            cfg.set(k, v);
        }
        req.setConfigSecretKeysList(opts.secretKeys);
        const tags = req.getTagsMap();
        for (const [k, v] of Object.entries(opts.tags ?? {})) {
            tags.set(k, v);
        }
        await this.callIfImplemented("configureStack", req);
    }

    async getAnalyzerInfo(): Promise<PackInfo> {
        return convertAnalyzerInfo(await this.call("getAnalyzerInfo", new emptypb.Empty()));
    }

    async configure(config: Record<string, Required<PolicyConfig>>): Promise<void> {
        const req = new pb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of Object.entries(config)) {
            const pc = new pb.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_CODES[c.enforcementLevel]);
            pc.setProperties(structpb.Struct.fromJavaScript(c.properties));
            map.set(name, pc);
        }
        await this.call("configure", req);
    }

    /**
     * Remediate then Analyze one resource, as the step generator does (`request`: analyzeRequest of its inputs,
     * encoded); returns its violations.
     */
    async analyzeResource(
        r: RecordedResource,
        request: EncodedRequest,
        byUrn: Map<string, RecordedResource>,
        remediate: boolean,
    ): Promise<Violation[]> {
        const violations: Violation[] = [];
        let analyzed: Proto = request;
        if (remediate) {
            const resp = await this.call("remediate", request);
            for (const t of resp.getRemediationsList()) {
                if (t.getDiagnostic()) {
                    violations.push({
                        policy: t.getPolicyname(),
                        enforcementLevel: "advisory",
                        urn: r.urn,
                        message: t.getDiagnostic(),
                        description: t.getDescription(),
                        severity: "",
                    });
                } else if (t.getProperties()) {
                    analyzed = analyzeRequest(r, t.getProperties().toJavaScript(), byUrn);
                }
            }
        }
        const resp = await this.call("analyze", analyzed);
        violations.push(...convertDiagnostics(resp.getDiagnosticsList(), () => r.urn));
        return violations;
    }

    async analyzeStack(
        resources: RecordedResource[],
        byUrn: Map<string, RecordedResource>,
        rootUrn: string,
    ): Promise<Violation[]> {
        const list = resources.map((r) => {
            const m = new pb.AnalyzerResource();
            m.setUrn(r.urn);
            m.setType(r.type);
            m.setName(r.name);
            m.setProperties(struct(plannedOutputs(r)));
            m.setOptions(resourceOptions(r));
            const provider = providerResource(r, byUrn);
            if (provider) {
                m.setProvider(provider);
            }
            m.setParent(r.parent);
            m.setDependenciesList(r.dependencies);
            const pd = m.getPropertydependenciesMap();
            for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                if (urns.length > 0) {
                    const deps = new pb.AnalyzerPropertyDependencies();
                    deps.setUrnsList(urns);
                    pd.set(k, deps);
                }
            }
            return m;
        });
        const req = new pb.AnalyzeStackRequest();
        req.setResourcesList(list);
        const resp = await this.callIfImplemented("analyzeStack", req);
        if (!resp) {
            return [];
        }
        return convertDiagnostics(resp.getDiagnosticsList(), (urn) => (byUrn.has(urn) ? urn : rootUrn));
    }
}

interface Prepared {
    session: AnalyzerSession;
    pack: PackInfo;
    policyConfig: Record<string, Required<PolicyConfig>>;
    remediate: boolean;
}

/**
 * One analysis, fed like the engine feeds analyzers: `add` each resource as its registration arrives (Remediate
 * and Analyze run while the program goes on; the pack may still be starting), then `finish` with the whole
 * recording for AnalyzeStack. The caller owns (and stops) the pack.
 *
 * Given an earlier analysis of the same pack (`earlier`: the preview's, for the second pass), a resource whose
 * Analyze request is byte for byte the one the earlier analysis sent for its URN (by the time this one would send
 * it) gets the earlier verdicts instead of a second call: the pack's policies are functions of the request
 * (their config, set by Configure, is the same), so the pack would answer the same. About a third of this repository's resources take no output of
 * another resource, and the second pass sends them unchanged.
 */
export class Analysis {
    private readonly prepared: Promise<Prepared>;
    private readonly byUrn = new Map<string, RecordedResource>();
    private readonly results: Promise<Violation[]>[] = [];
    private readonly limit: <R>(fn: () => Promise<R>) => Promise<R>;
    /** Per URN, the digest of the Analyze request this analysis sent (or reused) and its verdicts, once sent. */
    private readonly verdicts = new Map<string, { digest: string; violations: Promise<Violation[]> }>();

    constructor(
        session: Promise<AnalyzerSession>,
        project: string,
        stack: string,
        opts: AnalyzeOptions,
        private readonly earlier?: Analysis,
    ) {
        this.limit = limiter(opts.concurrency ?? 8);
        this.prepared = session.then(async (s) => {
            await s.configureStack(project, stack, opts);
            const pack = await s.getAnalyzerInfo();
            const policyConfig = reconcilePolicyConfig(
                pack.policies,
                loadPolicyConfigFile(opts.policyConfigFile),
                opts.policyConfigFile ?? "policy schema defaults",
                pack.initialConfig,
            );
            await s.configure(policyConfig);
            return {
                session: s,
                pack,
                policyConfig,
                remediate: Object.values(policyConfig).some((c) => c.enforcementLevel === "remediate"),
            };
        });
        // Failures surface from finish(); until then nobody may be listening.
        this.prepared.catch(() => undefined);
    }

    /** Analyzes one registration (its provider must have been added before it, as the engine guarantees). */
    add(r: RecordedResource): void {
        this.byUrn.set(r.urn, r);
        const result = this.prepared.then((p) => this.limit(() => this.analyzeOrReuse(p, r)));
        result.catch(() => undefined);
        this.results.push(result);
    }

    /**
     * The resource's verdicts: the earlier analysis's when it sent the same request for the URN, else the pack's.
     * The request is built when it is sent, not when the resource is added: a large program's registrations
     * outrun the pack, and thousands of waiting messages would be held at once.
     */
    private analyzeOrReuse(p: Prepared, r: RecordedResource): Promise<Violation[]> {
        const message = analyzeRequest(r, r.inputs, this.byUrn).serializeBinary() as Uint8Array;
        const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
        const digest = createHash("sha256").update(bytes).digest("base64");
        const earlier = this.earlier?.verdicts.get(r.urn);
        const violations =
            earlier?.digest === digest
                ? earlier.violations
                : p.session.analyzeResource(r, { urn: r.urn, bytes }, this.byUrn, p.remediate);
        this.verdicts.set(r.urn, { digest, violations });
        return violations;
    }

    /** Analyzes what was not added yet, then the stack; returns every violation. */
    async finish(recording: Recording): Promise<AnalysisResult> {
        const prepared = await this.prepared;
        for (const r of recording.resources) {
            if (!this.byUrn.has(r.urn)) {
                this.add(r);
            }
        }
        const perResource = await Promise.all(this.results);
        // The final records carry what came later (registered outputs of components and the stack).
        const final = new Map(recording.resources.map((r) => [r.urn, r]));
        const root = recording.resources.find((r) => r.type === ROOT_STACK_TYPE && r.parent === "");
        const stackViolations = await prepared.session.analyzeStack(recording.resources, final, root?.urn ?? "");
        return {
            pack: prepared.pack,
            policyConfig: prepared.policyConfig,
            violations: [...perResource.flat(), ...stackViolations],
        };
    }
}
