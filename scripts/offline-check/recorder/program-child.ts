// Child-process entry of the recorder: runs a Pulumi program under the mock runtime, the way the nodejs language
// host runs it (@pulumi/pulumi cmd/run/run.js: config from PULUMI_CONFIG, cwd = project directory, the entry
// required inside runInPulumiStack so the root Stack resource exists and the module's exports become stack
// outputs), and streams what the engine would receive to the parent as it happens.
// One child runs the runs a check needs (each stack's preview, then each stack's second pass) one after another
// until one fails or is large, as Pulumi's unit tests run a program several times in one process: before each
// run the SDK's state is set afresh (runtime.setAllConfig for the stack's config, runtime.setMocks, which resets
// the settings, the root stack resource, the leak candidates and the error count: runtime/settings.js
// resetOptions), and the program's own modules (every file outside node_modules) are required afresh. What a
// program's npm dependencies keep in module state carries over between runs, as it does for the automation
// API's inline programs. (Not the automation API's AsyncLocalStorage store per run: it tracks every promise, which
// cost a 20,000-resource run 190 MB and a second of CPU.) Programs print freely, so nothing of the result goes to
// stdout.
import * as fs from "fs";
import * as path from "path";
import { MOCK_ACCOUNT_ID, createMocks, invokeContext } from "./mocks";
import { findOfflineMocks, programInvokesOf } from "./program-mocks";
import {
    type CustomTimeouts,
    PROVIDER_TYPE_PREFIX,
    type RecordedResource,
    UNKNOWN,
    defaultProviderInputs,
    defaultProviderName,
    engineUrn,
} from "./recording";
import { lazyOutputProperties } from "./lazy-outputs";
import { type SdkInternals, loadSdkInternals, skipPromiseStacks, skipResourceStackTraces } from "./sdk-internals";

/** One run of the program: a stack's config, in preview or (withOutputs) with every output known. */
export interface RunSpec {
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
    /**
     * The second pass ("beyond a real preview"): not a dry run, and every output known (mock ids, ARNs and
     * names, up-outputs.ts), as `pulumi up` would see them once the resources exist. Its output is not shown.
     */
    withOutputs?: boolean;
}

export interface RunRequest {
    project: string;
    projectDir: string;
    /** Absolute path the language host would require (Pulumi.yaml `main`, or the project directory). */
    entry: string;
    /**
     * The file descriptor every registration is written to as one JSON line (a RecordingEvent) the moment the
     * engine would receive it, so the parent analyzes it while the program keeps running, as the engine does;
     * each run ends with its `end` line. The child keeps nothing of what it streamed: the parent holds it.
     */
    streamFd: number;
    /** In order; the parent attributes every line to the first run whose `end` has not come yet. */
    runs: RunSpec[];
}

/** One line of the stream: a registration, or the outputs a component or the stack registered later. */
export type RecordingEvent =
    | { resource: RecordedResource }
    | { outputs: { urn: string; outputs: Record<string, unknown> } }
    | { end: RunResult; last?: true };

export type RunResult = { ok: true } | { ok: false; message: string };

/**
 * A run of more registrations than this is the child's last: the runs after it get a new child. A process that
 * ran a large program keeps more resident memory than a fresh one after collecting it (its code, V8's and the
 * allocator's pools: 20,000 resources, a second run peaked at 1.15-1.26 GB against about 1.0 GB in a fresh
 * process), while a new child's start-up (under a second) is noise beside such a run (over 10 s).
 */
export const LARGE_RUN_REGISTRATIONS = 5000;

// Minimal shapes of the generated protobuf classes we read (they ship without precise typings).
interface ProtoStruct {
    toJavaScript(): Record<string, unknown>;
}
interface ProtoAliasSpec {
    getName(): string;
    getType(): string;
    getStack(): string;
    getProject(): string;
    getParenturn(): string;
    getNoparent(): boolean;
}
interface ProtoAlias {
    hasUrn(): boolean;
    getUrn(): string;
    getSpec(): ProtoAliasSpec | undefined;
}
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): ProtoStruct | undefined;
    getProtect(): boolean;
    getDependenciesList(): string[];
    getProvider(): string;
    getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
    getDeletebeforereplace(): boolean;
    getDeletebeforereplacedefined(): boolean;
    getVersion(): string;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getAliasurnsList(): string[];
    getAliasesList(): ProtoAlias[];
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}
interface RegisterOutputsRequest {
    getUrn(): string;
    getOutputs(): ProtoStruct | undefined;
}
type Callback = (err: unknown, resp: unknown) => void;
interface MonitorLike {
    newUrn: (parent: string, type: string, name: string) => string;
    registerResource(req: RegisterRequest, cb: Callback): Promise<void>;
    registerResourceOutputs(req: RegisterOutputsRequest, cb: Callback): void;
}

function aliasUrn(alias: ProtoAlias, req: RegisterRequest, stack: string, project: string): string {
    if (alias.hasUrn()) {
        return alias.getUrn();
    }
    const spec = alias.getSpec();
    if (!spec) {
        return "";
    }
    const parent = spec.getNoparent() ? "" : spec.getParenturn() || req.getParent();
    return engineUrn(
        spec.getStack() || stack,
        spec.getProject() || project,
        parent,
        spec.getType() || req.getType(),
        spec.getName() || req.getName(),
    );
}

/** The error text a user needs: the message, plus where in their program it was thrown. */
export function describeProgramError(err: unknown, projectDir: string): string {
    if (!(err instanceof Error)) {
        return String(err);
    }
    const where = (err.stack ?? "")
        .split("\n")
        .slice(1)
        .map((l) => l.trim())
        .find((l) => l.includes(projectDir) && !l.includes(`${path.sep}node_modules${path.sep}`));
    const location = where ? ` (${where.replace(/^at /, "").replace(projectDir + path.sep, "")})` : "";
    return `${err.message}${location}`;
}

/** The SDK, loaded from the program's own @pulumi/pulumi and patched once for every run of this process. */
function loadPatchedSdk(projectDir: string): SdkInternals {
    const sdk = loadSdkInternals(projectDir);
    skipPromiseStacks(sdk);
    skipResourceStackTraces(sdk);
    lazyOutputProperties(sdk);
    return sdk;
}

/** Registrations streamed by the run under way. */
let registrations = 0;

function writeEvent(fd: number, event: RecordingEvent): void {
    if ("resource" in event) {
        registrations++;
    }
    fs.writeSync(fd, JSON.stringify(event) + "\n");
}

/**
 * Errors raised off the main promise chain (an apply callback that throws, a failed invoke) fail a real
 * `pulumi preview` too; the language host reports the first one and stops. They fail the run under way (one
 * raised between runs, when no run is under way, belongs to none and is dropped).
 */
const strays: { current?: (error: unknown) => void } = {};

/** One run, in the SDK state set afresh for it (see the header); resolves when the program has finished. */
async function run(host: RunRequest, spec: RunSpec, sdk: SdkInternals): Promise<void> {
    const req = { ...host, ...spec };
    // The language host passes config through the environment before the program (and the SDK) loads; the
    // run's SDK state is made from it below.
    process.env.PULUMI_CONFIG = JSON.stringify(req.config);
    process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(req.secretKeys);
    process.env.PULUMI_NODEJS_PROJECT = req.project;
    process.env.PULUMI_NODEJS_STACK = req.stack;
    process.env.PULUMI_NODEJS_DRY_RUN = req.withOutputs ? "false" : "true";
    process.chdir(req.projectDir);
    sdk.runtime.setAllConfig(req.config, req.secretKeys);
    const mocksFile = findOfflineMocks(req.entry);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
    const programInvokes = mocksFile ? programInvokesOf(require(mocksFile), mocksFile) : {};
    const context = invokeContext(req.config["aws:region"]);
    const up = req.withOutputs
        ? {
              projectDir: req.projectDir,
              region: context.region ?? "us-east-1",
              partition: context.partition,
              account: MOCK_ACCOUNT_ID,
          }
        : undefined;
    await sdk.runtime.setMocks(createMocks(context, programInvokes, up), req.project, req.stack, !req.withOutputs);

    const stream = (event: RecordingEvent): void => writeEvent(req.streamFd, event);
    const defaultProviders = new Map<string, string>();

    const monitor = sdk.settings.getMonitor() as MonitorLike;
    monitor.newUrn = (parent, type, name) => engineUrn(req.stack, req.project, parent, type, name);

    const originalRegister = monitor.registerResource.bind(monitor);
    monitor.registerResource = (r: RegisterRequest, cb: Callback) => {
        const type = r.getType();
        const custom = r.getCustom();
        let provider = r.getProvider();
        if (custom && !provider && !type.startsWith(PROVIDER_TYPE_PREFIX)) {
            // The engine registers a default provider for the package before the first resource that needs one.
            const pkg = type.split(":")[0];
            const version = r.getVersion();
            const key = `${pkg}@${version}`;
            let providerUrn = defaultProviders.get(key);
            if (!providerUrn) {
                const name = defaultProviderName(version);
                providerUrn = engineUrn(req.stack, req.project, "", `${PROVIDER_TYPE_PREFIX}${pkg}`, name);
                defaultProviders.set(key, providerUrn);
                const p: RecordedResource = {
                    urn: providerUrn,
                    type: `${PROVIDER_TYPE_PREFIX}${pkg}`,
                    name,
                    parent: "",
                    custom: true,
                    provider: "",
                    inputs: defaultProviderInputs(pkg, req.config, version),
                    dependencies: [],
                    propertyDependencies: {},
                    options: {
                        protect: false,
                        ignoreChanges: [],
                        aliases: [],
                        customTimeouts: { create: "", update: "", delete: "" },
                        additionalSecretOutputs: [],
                    },
                    defaultProvider: true,
                };
                stream({ resource: p });
            }
            // A provider created in this preview has no id yet.
            provider = `${providerUrn}::${UNKNOWN}`;
        }
        const propertyDependencies: Record<string, string[]> = {};
        r.getPropertydependenciesMap().forEach((v, k) => {
            propertyDependencies[k] = v.getUrnsList();
        });
        const ct = r.getCustomtimeouts();
        const customTimeouts: CustomTimeouts = {
            create: ct?.getCreate() ?? "",
            update: ct?.getUpdate() ?? "",
            delete: ct?.getDelete() ?? "",
        };
        const aliases = [
            ...r.getAliasurnsList(),
            ...r.getAliasesList().map((a) => aliasUrn(a, r, req.stack, req.project)),
        ].filter((a) => a !== "");
        const urn = engineUrn(req.stack, req.project, r.getParent(), type, r.getName());
        const rec: RecordedResource = {
            urn,
            type,
            name: r.getName(),
            parent: r.getParent(),
            custom,
            provider,
            inputs: r.getObject()?.toJavaScript() ?? {},
            dependencies: r.getDependenciesList(),
            propertyDependencies,
            options: {
                protect: r.getProtect(),
                ignoreChanges: r.getIgnorechangesList(),
                deleteBeforeReplace: r.getDeletebeforereplacedefined() ? r.getDeletebeforereplace() : undefined,
                aliases,
                customTimeouts,
                additionalSecretOutputs: r.getAdditionalsecretoutputsList(),
            },
        };
        stream({ resource: rec });
        return originalRegister(r, cb);
    };

    const originalOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (r: RegisterOutputsRequest, cb: Callback) => {
        stream({ outputs: { urn: r.getUrn(), outputs: r.getOutputs()?.toJavaScript() ?? {} } });
        return originalOutputs(r, cb);
    };

    const stray = new Promise<never>((_resolve, reject) => {
        strays.current = reject;
    });
    const program = (async () => {
        await sdk.stack.runInPulumiStack(async () => {
            let entry = req.entry;
            if (fs.statSync(entry).isDirectory() && !entry.endsWith(path.sep)) {
                entry += path.sep;
            }
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the language host requires the entry
            const programExport: unknown = require(entry);
            return await (programExport instanceof Function ? programExport() : programExport);
        });
        await sdk.settings.waitForRPCs();
        // Let rejections queued during the last turn surface before deciding the run succeeded.
        await new Promise((resolve) => setImmediate(resolve));
    })();
    await Promise.race([program, stray]);
    const [leaks, leakMessage] = sdk.debuggable.leakedPromises();
    if (leaks.size > 0) {
        throw new Error(leakMessage);
    }
    if (sdk.log.hasErrors()) {
        throw new Error("the program logged errors (see above)");
    }
}

/** Why a run failed when the event loop ran dry before it finished. */
const STALLED = Symbol("stalled");

/**
 * Forgets the modules a run loaded outside any node_modules (the program's own files, its offline mocks), so the
 * next run requires them afresh as a new process would; `before` holds what was loaded before the first run
 * (this recorder, the SDK), which stays.
 */
function forgetProgramModules(before: ReadonlySet<string>): void {
    const inModules = `${path.sep}node_modules${path.sep}`;
    for (const file of Object.keys(require.cache)) {
        if (!before.has(file) && !file.includes(inModules)) {
            delete require.cache[file];
        }
    }
}

/**
 * Lets what a finished run built be collected: the SDK keeps the last run's mock monitor (which holds every
 * registered resource) in runtime/settings and its root stack resource on globalThis until the next run sets its
 * own. (A large run is its child's last anyway: LARGE_RUN_REGISTRATIONS.)
 */
function releaseRun(sdk: SdkInternals): void {
    sdk.settings._reset();
    (globalThis as { stackResource?: unknown }).stackResource = undefined;
}

/** Drops what a second-pass run prints: the program's output was shown once, by its preview. */
function silenced<T>(silent: boolean | undefined, work: () => Promise<T>): Promise<T> {
    if (!silent) {
        return work();
    }
    const { stdout, stderr } = process;
    const writes = [stdout.write, stderr.write];
    const drop = ((...args: unknown[]) => {
        const done = args.find((a) => typeof a === "function") as (() => void) | undefined;
        done?.();
        return true;
    }) as typeof stdout.write;
    stdout.write = drop;
    stderr.write = drop;
    return work().finally(() => {
        [stdout.write, stderr.write] = writes;
    });
}

/**
 * Entry point (see program-child-entry.js, which has read the request from `requestFile`, the file
 * program-process.ts wrote). Every run ends with its `end` line on the stream; then the process exits.
 */
export async function main(req: RunRequest, requestFile: string): Promise<void> {
    // The request holds the stack config (secrets included); nothing needs it once read.
    fs.rmSync(requestFile, { force: true });
    process.on("unhandledRejection", (e) => strays.current?.(e));
    process.on("uncaughtException", (e) => strays.current?.(e));
    // The event loop can run dry with a run still waiting (an output that never resolves): that run fails, and
    // the next one starts.
    const pending: { current?: () => void } = {};
    process.on("beforeExit", () => pending.current?.());
    let failed = false;
    let sdk: SdkInternals | undefined;
    let before: ReadonlySet<string> | undefined;
    for (const spec of req.runs) {
        let result: RunResult;
        try {
            await silenced(spec.withOutputs, () => {
                if (!sdk) {
                    process.chdir(req.projectDir);
                    sdk = loadPatchedSdk(req.projectDir);
                    before = new Set(Object.keys(require.cache));
                }
                const stalled = new Promise<never>((_resolve, reject) => {
                    pending.current = () => reject(STALLED);
                });
                return Promise.race([run(req, spec, sdk), stalled]);
            });
            result = { ok: true };
        } catch (err) {
            const message =
                err === STALLED
                    ? "the program stopped with work still pending: an output or promise it awaits never resolves"
                    : describeProgramError(err, req.projectDir);
            result = { ok: false, message };
            failed = true;
        } finally {
            strays.current = undefined;
            pending.current = undefined;
            if (before) {
                forgetProgramModules(before);
            }
        }
        // What a failed run left behind (a rejection still to come, a timer) must not reach the next run, nor a
        // large run's resident memory: the checker gives the runs after either a new child.
        const last = failed || registrations > LARGE_RUN_REGISTRATIONS;
        writeEvent(req.streamFd, last ? { end: result, last } : { end: result });
        if (last) {
            break;
        }
        registrations = 0;
        if (sdk) {
            releaseRun(sdk);
        }
    }
    // Non-zero after a failure also keeps the SDK from adding its "promises were still active" notice
    // (pending work is expected once a program has failed). On success the SDK may still hold handles.
    // process.exit() drops what the program wrote to its stdout/stderr pipes and is still queued (its output
    // was cut at ~200 KB): exit once both have flushed.
    const code = failed ? 3 : 0;
    let open = 2;
    const done = (): void => {
        if (--open === 0) {
            process.exit(code);
        }
    };
    process.stdout.write("", done);
    process.stderr.write("", done);
}
