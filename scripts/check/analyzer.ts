// Runs the real policy pack the way the Pulumi engine does and asks it, over its gRPC Analyzer service, about a
// recorded program. Engine behaviour mirrored here (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go,
// pkg/resource/deploy/step_generator.go, analyze_snapshot.go):
//  - the pack is a child process started in its own directory with the stack config in PULUMI_CONFIG and
//    PULUMI_{PROJECT,STACK,DRY_RUN}; it prints its port on stdout;
//  - ConfigureStack (stack, project, tags, dry run, config), GetAnalyzerInfo, then Configure with the policy
//    config reconciled from schema defaults and the config file;
//  - every registered resource (root stack, default providers, components, custom resources) goes through
//    Remediate (only when a policy's level is `remediate`: otherwise the pack answers "not applicable" for all)
//    and Analyze with its inputs, options and provider; properties keep unknowns and secrets, keys starting
//    with "__" are dropped (MarshalOptions{KeepUnknowns, KeepSecrets, SkipInternalKeys});
//  - one AnalyzeStack at the end with every resource's outputs (the inputs of custom resources in a preview,
//    registered outputs of components and the stack), parent, dependencies and non-empty property dependencies;
//  - remediate-level diagnostics count as mandatory; a stack diagnostic whose URN is not in the stack is
//    reported on the root stack.
import { type ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { JsonSchema } from "../../policy/shared";
import { CheckError } from "./errors";
import {
    type EnforcementLevel,
    type PolicyConfig,
    type PolicyInfo,
    parsePolicyConfig,
    reconcilePolicyConfig,
} from "./policy-config";
import { ROOT_STACK_TYPE, type RecordedResource, type Recording, providerRefUrn } from "./recording";

// The generated gRPC/protobuf modules of @pulumi/pulumi have no useful typings; these are the parts we use. They are
// resolved through @pulumi/pulumi's own dependencies (the copies it was built against), hence require, not import.
/* eslint-disable @typescript-eslint/no-require-imports */

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (mod: string): string => require.resolve(mod, { paths: [pulumiDir] });
const grpc = require(fromPulumi("@grpc/grpc-js")) as typeof import("@grpc/grpc-js");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const structpb = require(fromPulumi("google-protobuf/google/protobuf/struct_pb"));
const emptypb = require(fromPulumi("google-protobuf/google/protobuf/empty_pb"));

/* eslint-disable @typescript-eslint/no-explicit-any */
type Proto = any;
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
const LEVEL_CODES: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const SEVERITIES: Record<number, string> = { 0: "", 1: "low", 2: "medium", 3: "high", 4: "critical" };
const POLICY_TYPES: Record<number, PolicyInfo["policyType"]> = { 0: "unknown", 1: "resource", 2: "stack" };

/** A running policy pack process. */
export class PackProcess {
    private exited = false;
    private readonly onExit = (): void => {
        // Last resort if our caller dies without stopping the pack: never leave a server behind.
        if (!this.exited) {
            this.child.kill("SIGKILL");
        }
    };
    // A cancelled CI job or `kill` sends SIGTERM to this process only; the pack would outlive it.
    private readonly onSignal = (signal: NodeJS.Signals): void => {
        this.onExit();
        process.exit(signal === "SIGINT" ? 130 : 143);
    };

    private constructor(
        readonly child: ChildProcess,
        readonly port: number,
        private readonly stderr: () => string,
    ) {
        process.on("exit", this.onExit);
        process.once("SIGINT", this.onSignal);
        process.once("SIGTERM", this.onSignal);
        child.on("exit", () => {
            this.exited = true;
        });
    }

    /** Starts the pack in `packDir` like the engine's nodejs analyzer host and waits for its port. */
    static async start(packDir: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<PackProcess> {
        const dir = path.resolve(packDir);
        if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
            throw new CheckError(`policy pack failed to start: no PulumiPolicy.yaml in ${dir}`);
        }
        const entry = packEntry(dir);
        const child = spawn(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), entry], {
            cwd: dir,
            env: { ...process.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let err = "";
        child.stderr.on("data", (d: Buffer) => {
            err += d.toString("utf8");
        });
        const tail = (): string => err.trim().split("\n").slice(-20).join("\n");
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(
                    new CheckError(
                        `policy pack in ${dir} failed to start: no port printed within ${timeoutMs / 1000} s\n${tail()}`,
                    ),
                );
            }, timeoutMs);
            const fail = (why: string): void => {
                clearTimeout(timer);
                reject(new CheckError(`policy pack in ${dir} failed to start (${why})${tail() ? `:\n${tail()}` : ""}`));
            };
            child.on("error", (e) => fail(e.message));
            child.on("exit", (code, signal) => fail(signal ? `killed by ${signal}` : `exit ${code}`));
            child.stdout.on("data", (d: Buffer) => {
                out += d.toString("utf8");
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    clearTimeout(timer);
                    child.removeAllListeners("exit");
                    resolve(Number(m[1]));
                }
            });
        });
        // Later output of the pack (console.log in a policy) must not block it on a full pipe.
        child.stdout.resume();
        return new PackProcess(child, port, () => err);
    }

    /** The pack's stderr so far (for error messages). */
    errors(): string {
        return this.stderr();
    }

    /** Stops the pack and waits for it to exit (SIGKILL after a grace period). */
    async stop(): Promise<void> {
        process.removeListener("exit", this.onExit);
        process.removeListener("SIGINT", this.onSignal);
        process.removeListener("SIGTERM", this.onSignal);
        if (this.exited) {
            return;
        }
        await new Promise<void>((resolve) => {
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
            this.child.once("exit", () => {
                clearTimeout(timer);
                resolve();
            });
            this.child.kill("SIGTERM");
        });
    }
}

/** What the nodejs language host runs for the pack: package.json `main`, else index.ts/index.js. */
function packEntry(dir: string): string {
    const pkgFile = path.join(dir, "package.json");
    if (fs.existsSync(pkgFile)) {
        const main = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string }).main;
        if (main) {
            return main;
        }
    }
    return fs.existsSync(path.join(dir, "index.ts")) ? "index.ts" : "index.js";
}

function unary<Req>(client: Proto, method: string, req: Req): Promise<Proto> {
    return new Promise((resolve, reject) => {
        client[method](req, (err: Error | null, resp: Proto) => (err ? reject(err) : resolve(resp)));
    });
}

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

function struct(props: Record<string, unknown>): Proto {
    return structpb.Struct.fromJavaScript(skipInternalKeys(props));
}

function resourceOptions(r: RecordedResource): Proto {
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

function providerResource(r: RecordedResource, byUrn: Map<string, RecordedResource>): Proto | undefined {
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

/** Properties AnalyzeStack sees: outputs. In a preview a new custom resource's outputs are its inputs. */
export function stackProperties(r: RecordedResource): Record<string, unknown> {
    return r.outputs ?? r.inputs;
}

function convertDiagnostics(list: Proto[], fallbackUrn: (urn: string) => string): Violation[] {
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

/** The environment the engine gives a nodejs policy pack (analyzer_plugin.go constructEnv). */
export function packEnv(project: string, stack: string, config: Record<string, string>): NodeJS.ProcessEnv {
    return {
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_NODEJS_PROJECT: project,
        PULUMI_NODEJS_STACK: stack,
        PULUMI_NODEJS_DRY_RUN: "true",
        PULUMI_PROJECT: project,
        PULUMI_STACK: stack,
        PULUMI_DRY_RUN: "true",
    };
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

    private async call(method: string, req: unknown): Promise<Proto> {
        try {
            return await unary(this.client, method, req);
        } catch (e) {
            const stderr = this.pack.errors().trim();
            throw new CheckError(
                `policy pack ${method} failed: ${(e as Error).message}` +
                    (stderr ? `\n${stderr.split("\n").slice(-20).join("\n")}` : ""),
            );
        }
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
        try {
            await unary(this.client, "configureStack", req);
        } catch (e) {
            // Older packs do not implement ConfigureStack; the engine carries on without it.
            if ((e as { code?: number }).code !== grpc.status.UNIMPLEMENTED) {
                throw new CheckError(`policy pack ConfigureStack failed: ${(e as Error).message}`);
            }
        }
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

    private analyzeRequest(
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

    /** Remediate then Analyze one resource, as the step generator does; returns its violations. */
    async analyzeResource(
        r: RecordedResource,
        byUrn: Map<string, RecordedResource>,
        remediate: boolean,
    ): Promise<Violation[]> {
        const violations: Violation[] = [];
        let props = r.inputs;
        if (remediate) {
            const resp = await this.call("remediate", this.analyzeRequest(r, props, byUrn));
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
                    props = t.getProperties().toJavaScript();
                }
            }
        }
        const resp = await this.call("analyze", this.analyzeRequest(r, props, byUrn));
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
            m.setProperties(struct(stackProperties(r)));
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
        let resp: Proto;
        try {
            resp = await unary(this.client, "analyzeStack", req);
        } catch (e) {
            if ((e as { code?: number }).code === grpc.status.UNIMPLEMENTED) {
                return [];
            }
            throw new CheckError(`policy pack AnalyzeStack failed: ${(e as Error).message}`);
        }
        return convertDiagnostics(resp.getDiagnosticsList(), (urn) => (byUrn.has(urn) ? urn : rootUrn));
    }
}

/** Reads the policy config file if given; a missing explicit file is an error. */
export function loadPolicyConfigFile(file: string | undefined): Record<string, PolicyConfig> {
    if (!file) {
        return {};
    }
    if (!fs.existsSync(file)) {
        throw new CheckError(`--policy-config: no such file ${file}`);
    }
    return parsePolicyConfig(fs.readFileSync(file, "utf8"), file);
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
 */
export class Analysis {
    private readonly prepared: Promise<Prepared>;
    private readonly byUrn = new Map<string, RecordedResource>();
    private readonly results: Promise<Violation[]>[] = [];
    private readonly limit: <R>(fn: () => Promise<R>) => Promise<R>;

    constructor(session: Promise<AnalyzerSession>, project: string, stack: string, opts: AnalyzeOptions) {
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
        const result = this.prepared.then((p) =>
            this.limit(() => p.session.analyzeResource(r, this.byUrn, p.remediate)),
        );
        result.catch(() => undefined);
        this.results.push(result);
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

/** Configures a started pack and analyzes a finished recording; the caller owns (and stops) the pack. */
export async function analyzeRecording(
    session: AnalyzerSession,
    recording: Recording,
    opts: AnalyzeOptions,
): Promise<AnalysisResult> {
    return new Analysis(Promise.resolve(session), recording.project, recording.stack, opts).finish(recording);
}
