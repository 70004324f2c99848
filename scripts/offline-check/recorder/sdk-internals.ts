// The private modules of @pulumi/pulumi the recorder patches or calls, with the shapes it relies on. They are
// not public API: @pulumi/pulumi is pinned to an exact version, and test/offline-check/sdk-patch-points.test.ts
// asserts each shape below, so an upgrade that moves one fails there, naming what to re-check.
// They are loaded from the @pulumi/pulumi the program resolves (the program and the mocks must share the SDK's
// state), so the paths are only known at run time: hence require, not import.
/* eslint-disable @typescript-eslint/no-require-imports */

/**
 * runtime/settings: the monitor the recorder taps, the wait for outstanding RPCs, and _reset, which drops the
 * monitor the module itself keeps (beside the store's) once a run is over.
 */
export interface SdkSettings {
    getMonitor(): unknown;
    waitForRPCs(): Promise<void>;
    _reset(): void;
}

/** runtime/stack: runs the program inside the root Stack resource, as the language host does. */
export interface SdkStack {
    runInPulumiStack(init: () => Promise<unknown>): Promise<Record<string, unknown> | undefined>;
}

/** log: whether the program logged errors (which fail a real preview). */
export interface SdkLog {
    hasErrors(): boolean;
}

/** runtime/debuggable: the promise wrapper the SDK puts around every output (patched, see below). */
export interface SdkDebuggable {
    debugPromiseLeaks: boolean;
    debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
    leakedPromises(): [Set<Promise<unknown>>, string];
}

/** runtime/state: the store whose leakCandidates the leak check reads. */
export interface SdkState {
    getStore(): { leakCandidates: Set<Promise<unknown>> };
}

/**
 * A resolver transferProperties returns for one output property; the SDK calls it once the registration answers
 * (rpc.js resolveProperties): the value, whether it is known and secret, the resources it depends on, or an error.
 */
export type PropertyResolver = (
    value: unknown,
    isKnown: boolean,
    isSecret: boolean,
    deps?: unknown[],
    err?: unknown,
) => void;

/** runtime/rpc: transferProperties, which gives a custom resource an Output per output property (replaced). */
export interface SdkRpc {
    transferProperties: (
        onto: object,
        label: string,
        props: Record<string, unknown>,
    ) => Record<string, PropertyResolver>;
}

/** output: the Output class (constructed as transferProperties does: resources, value, known, secret, deps). */
export interface SdkOutput {
    Output: (new (
        resources: unknown,
        promise: Promise<unknown>,
        isKnown: Promise<boolean>,
        isSecret: Promise<boolean>,
        allResources: Promise<unknown[]>,
    ) => unknown) & { isInstance(v: unknown): boolean };
}

/** errors: isGrpcError (a failed RPC's rejection the SDK skips; the registration reports it). */
export interface SdkErrors {
    isGrpcError(err: unknown): boolean;
}

/** resource: the Resource class, whose static stackTrace every resource's constructor calls (replaced). */
export interface SdkResource {
    Resource: { stackTrace(skip: number): ({ uri: string; line: number; column: number } | undefined)[] };
}

export interface SdkInternals {
    runtime: typeof import("@pulumi/pulumi/runtime");
    resource: SdkResource;
    rpc: SdkRpc;
    output: SdkOutput;
    errors: SdkErrors;
    settings: SdkSettings;
    stack: SdkStack;
    log: SdkLog;
    debuggable: SdkDebuggable;
    state: SdkState;
}

/** The modules above, resolved from `projectDir` (the program's own @pulumi/pulumi), else from the checker. */
export function loadSdkInternals(projectDir: string): SdkInternals {
    const resolveFrom = (mod: string): string => {
        try {
            return require.resolve(mod, { paths: [projectDir] });
        } catch {
            return require.resolve(mod);
        }
    };
    return {
        runtime: require(resolveFrom("@pulumi/pulumi/runtime")) as typeof import("@pulumi/pulumi/runtime"),
        resource: require(resolveFrom("@pulumi/pulumi/resource")) as SdkResource,
        rpc: require(resolveFrom("@pulumi/pulumi/runtime/rpc")) as SdkRpc,
        output: require(resolveFrom("@pulumi/pulumi/output")) as SdkOutput,
        errors: require(resolveFrom("@pulumi/pulumi/errors")) as SdkErrors,
        settings: require(resolveFrom("@pulumi/pulumi/runtime/settings")) as SdkSettings,
        stack: require(resolveFrom("@pulumi/pulumi/runtime/stack")) as SdkStack,
        log: require(resolveFrom("@pulumi/pulumi/log")) as SdkLog,
        debuggable: require(resolveFrom("@pulumi/pulumi/runtime/debuggable")) as SdkDebuggable,
        state: require(resolveFrom("@pulumi/pulumi/runtime/state")) as SdkState,
    };
}

/**
 * The promises the SDK creates for a resource's output properties (four per property: value, known, secret,
 * dependencies; value and known for `urn` and `id`), by their debuggablePromise context. All of them are settled
 * by that resource's registration, which the SDK tracks on its own (its RegisterResource call and resource
 * operation), so a leak among them is a leak of a tracked registration too.
 */
export const SETTLED_BY_REGISTRATION =
    /^(transferProperty|transferIsStable|transferIsSecret|transferDeps|resolveURN|resolveURNIsKnown|resolveID|resolveIDIsKnown)\(/;

/**
 * The SDK wraps every promise it creates in debuggablePromise, which also records `new Error().stack` for
 * PULUMI_DEBUG_PROMISE_LEAKS reports; that capture was most of a large program's run time and memory (5,000
 * resources: 3.6 s of 14 s, 1.4 GB). Keep its bookkeeping (the leak check after the run fails it as the SDK's
 * exit hook would) without the stacks, unless the user asked for leak debugging. The per-property promises
 * (SETTLED_BY_REGISTRATION) are returned unwrapped: wrapping each added a promise, two closures and a set entry
 * per promise, a quarter of what a program holds while it declares its resources before any registration
 * completes (the peak of a large program's memory), for no leak the registration's own tracking would miss.
 */
export function skipPromiseStacks(sdk: SdkInternals): void {
    const { debuggable, state } = sdk;
    if (debuggable.debugPromiseLeaks) {
        return;
    }
    debuggable.debuggablePromise = <T>(p: Promise<T>, ctx: unknown): Promise<T> => {
        if (typeof ctx === "string" && SETTLED_BY_REGISTRATION.test(ctx)) {
            return p;
        }
        const store = state.getStore();
        store.leakCandidates.add(p);
        return p.then(
            (value) => {
                store.leakCandidates.delete(p);
                return value;
            },
            (err: unknown) => {
                store.leakCandidates.delete(p);
                if (typeof err === "object" && err !== null) {
                    (err as { promise?: unknown }).promise = p;
                }
                throw err;
            },
        );
    };
}

/**
 * Every resource's constructor captures the whole call stack (resource.js Resource.stackTrace: `new Error().stack`
 * with no frame limit, parsed line by line, each frame turned into a file URL) and sends it with the registration
 * (its first frame as the source position), for the engine to show where a failing resource was declared. The
 * offline check records neither, so the capture only cost time and memory: a few KB per resource, held until the
 * registration answers, and a program declaring thousands of resources at once holds them all. The
 * registrations go out without a source position and stack trace, as the SDK sends them when a stack has none.
 */
export function skipResourceStackTraces(sdk: SdkInternals): void {
    sdk.resource.Resource.stackTrace = () => [];
}
