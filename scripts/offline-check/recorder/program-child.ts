// Child-process entry of the recorder: runs one Pulumi program under the mock runtime in preview mode, the way
// the nodejs language host runs it (@pulumi/pulumi cmd/run/run.js: config from PULUMI_CONFIG, cwd = project
// directory, the entry required inside runInPulumiStack so the root Stack resource exists and the module's
// exports become stack outputs), and streams what the engine would receive to the parent as it happens.
// A fresh process per run keeps the SDK's global state clean. Programs print freely, so nothing of the result
// goes to stdout.
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
import { loadSdkInternals, skipPromiseStacks, skipResourceStackTraces } from "./sdk-internals";

export interface RunRequest {
    project: string;
    stack: string;
    projectDir: string;
    /** Absolute path the language host would require (Pulumi.yaml `main`, or the project directory). */
    entry: string;
    config: Record<string, string>;
    secretKeys: string[];
    /** Where the child writes its RunResult when the program has finished or failed. */
    outFile: string;
    /**
     * The file descriptor every registration is written to as one JSON line (a RecordingEvent) the moment the
     * engine would receive it, so the parent analyzes it while the program keeps running, as the engine does.
     * The child keeps nothing of what it streamed: the parent holds the recording.
     */
    streamFd: number;
    /**
     * The second pass ("beyond a real preview"): not a dry run, and every output known (mock ids, ARNs and
     * names, up-outputs.ts), as `pulumi up` would see them once the resources exist.
     */
    withOutputs?: boolean;
}

/** One line of the stream: a registration, or the outputs a component or the stack registered later. */
export type RecordingEvent =
    { resource: RecordedResource } | { outputs: { urn: string; outputs: Record<string, unknown> } };

export type RunResult = { ok: true } | { ok: false; message: string };

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

async function run(req: RunRequest): Promise<void> {
    // The language host passes config through the environment before the program (and the SDK) loads.
    process.env.PULUMI_CONFIG = JSON.stringify(req.config);
    process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(req.secretKeys);
    process.env.PULUMI_NODEJS_PROJECT = req.project;
    process.env.PULUMI_NODEJS_STACK = req.stack;
    process.env.PULUMI_NODEJS_DRY_RUN = req.withOutputs ? "false" : "true";
    process.chdir(req.projectDir);

    const sdk = loadSdkInternals(req.projectDir);
    skipPromiseStacks(sdk);
    skipResourceStackTraces(sdk);
    lazyOutputProperties(sdk);
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

    const stream = (event: RecordingEvent): void => {
        fs.writeSync(req.streamFd, JSON.stringify(event) + "\n");
    };
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

    // Errors raised off the main promise chain (an apply callback that throws, a failed invoke) fail a real
    // `pulumi preview` too; the language host reports the first one and stops, so do the same instead of
    // waiting for outputs that will now never resolve.
    const stray = new Promise<never>((_resolve, reject) => {
        process.on("unhandledRejection", reject);
        process.on("uncaughtException", reject);
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

/**
 * Entry point (see program-child-entry.js, which has read the request from `requestFile`, the file
 * program-process.ts wrote).
 */
export async function main(req: RunRequest, requestFile: string): Promise<void> {
    // The request holds the stack config (secrets included); nothing needs it once read.
    fs.rmSync(requestFile, { force: true });
    let finished = false;
    const finish = (result: RunResult): void => {
        if (finished) {
            return;
        }
        finished = true;
        fs.writeFileSync(req.outFile, JSON.stringify(result), { mode: 0o600 });
        // Non-zero after a failure also keeps the SDK from adding its "promises were still active" notice
        // (pending work is expected once a program has failed). On success the SDK may still hold handles.
        // process.exit() drops what the program wrote to its stdout/stderr pipes and is still queued (its output
        // was cut at ~200 KB): exit once both have flushed.
        const code = result.ok ? 0 : 3;
        let open = 2;
        const done = (): void => {
            if (--open === 0) {
                process.exit(code);
            }
        };
        process.stdout.write("", done);
        process.stderr.write("", done);
    };
    // The event loop can run dry with the program still waiting (an output that never resolves).
    process.on("beforeExit", () =>
        finish({
            ok: false,
            message: "the program stopped with work still pending: an output or promise it awaits never resolves",
        }),
    );
    try {
        await run(req);
        finish({ ok: true });
    } catch (err) {
        finish({ ok: false, message: describeProgramError(err, req.projectDir) });
    }
}
