// lazyOutputProperties (recorder/lazy-outputs.ts) against the SDK's own transferProperties: for any order of
// reads, answers, errors and assignments, every property a program reads holds what the SDK's would (value,
// known-ness, secrecy, dependencies, or the rejection), and a registration error still surfaces as the SDK's
// unhandled rejection does. Both run on the real Output class of the pinned SDK, side by side in one process.
import * as assert from "assert";
import * as fc from "fast-check";
import { REPO_ROOT } from "../../scripts/offline-check/cli";
import { lazyOutputProperties } from "../../scripts/offline-check/recorder/lazy-outputs";
import {
    type PropertyResolver,
    type SdkInternals,
    loadSdkInternals,
} from "../../scripts/offline-check/recorder/sdk-internals";

const sdk = loadSdkInternals(REPO_ROOT);
const sdkTransfer = sdk.rpc.transferProperties;

/** A copy of the SDK internals whose rpc module is our own, so patching it leaves the real one alone. */
function lazyTransfer(): SdkInternals["rpc"]["transferProperties"] {
    const copy: SdkInternals = { ...sdk, rpc: { transferProperties: sdkTransfer } };
    lazyOutputProperties(copy);
    assert.notStrictEqual(copy.rpc.transferProperties, sdkTransfer);
    return copy.rpc.transferProperties;
}

interface OutputInternals {
    promise(withUnknowns?: boolean): Promise<unknown>;
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    allResources(): Promise<Set<unknown>>;
    resources(): Set<unknown>;
}

type Observed =
    { ok: true; value: unknown; known: boolean; secret: boolean; deps: unknown[] } | { ok: false; error: string };

/** What a program can learn from a property: an Output's value, known-ness, secrecy and resources, or its error. */
async function observe(v: unknown, self: object): Promise<Observed | { plain: unknown }> {
    if (!sdk.output.Output.isInstance(v)) {
        return { plain: v };
    }
    const o = v as OutputInternals;
    try {
        const [value, known, secret, all] = await Promise.all([
            o.promise(true),
            o.isKnown,
            o.isSecret,
            o.allResources(),
        ]);
        assert.ok(o.resources().has(self), "the Output's resources include the resource itself");
        return { ok: true, value, known, secret, deps: [...all].map((r) => (r === self ? "self" : r)) };
    } catch (e) {
        return { ok: false, error: (e as Error).message };
    }
}

const KEYS = ["arn", "name", "tags", "port"] as const;
type Key = (typeof KEYS)[number];

type Step =
    | { kind: "read"; key: Key }
    | { kind: "answer"; key: Key; value: unknown; known: boolean; secret: boolean; deps: number; fail: boolean }
    | { kind: "assign"; key: Key; value: string }
    | { kind: "tick" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant("read" as const), key: fc.constantFrom(...KEYS) }),
    fc.record({
        kind: fc.constant("answer" as const),
        key: fc.constantFrom(...KEYS),
        value: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined), fc.array(fc.string(), { maxLength: 2 })),
        known: fc.boolean(),
        secret: fc.boolean(),
        deps: fc.integer({ min: 0, max: 2 }),
        fail: fc.boolean(),
    }),
    fc.record({ kind: fc.constant("assign" as const), key: fc.constantFrom(...KEYS), value: fc.string() }),
    fc.constant({ kind: "tick" as const }),
);

/** Runs the steps on a fresh resource with one transferProperties, then observes every property. */
async function play(transfer: SdkInternals["rpc"]["transferProperties"], steps: Step[]): Promise<unknown[]> {
    const resource: Record<string, unknown> = {};
    const dependency = { name: "dep" };
    const resolvers: Record<string, PropertyResolver> = transfer(resource, "res", {
        arn: undefined,
        name: "n",
        tags: undefined,
        port: 6379,
        id: undefined,
        urn: undefined,
    });
    for (const step of steps) {
        if (step.kind === "read") {
            void resource[step.key];
        } else if (step.kind === "answer") {
            const err = step.fail ? new Error(`registration of ${step.key} failed`) : undefined;
            resolvers[step.key](step.value, step.known, step.secret, Array(step.deps).fill(dependency), err);
        } else if (step.kind === "assign") {
            resource[step.key] = step.value;
        } else {
            await new Promise((resolve) => setImmediate(resolve));
        }
    }
    // Every property the program has not seen answered yet gets the usual answer last, so all settle.
    for (const key of KEYS) {
        resolvers[key](`${key}-final`, true, false);
    }
    return Promise.all(KEYS.map((key) => observe(resource[key], resource)));
}

/** Collects the unhandled rejections while `run` runs (mocha would fail the test on them otherwise). */
async function withUnhandled<T>(run: () => Promise<T>): Promise<{ result: T; unhandled: string[] }> {
    const unhandled: string[] = [];
    const listeners = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const record = (reason: unknown): void => {
        unhandled.push(reason instanceof Error ? reason.message : String(reason));
    };
    // Observing an Output after its rejection was reported handles it late, which Node would warn about.
    const handledLate = (): void => undefined;
    process.on("unhandledRejection", record);
    process.on("rejectionHandled", handledLate);
    try {
        const result = await run();
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { result, unhandled };
    } finally {
        process.removeListener("unhandledRejection", record);
        process.removeListener("rejectionHandled", handledLate);
        for (const l of listeners) {
            process.on("unhandledRejection", l);
        }
    }
}

describe("offline-check/recorder: lazyOutputProperties", () => {
    const lazy = lazyTransfer();

    it("gives every property what the SDK's transferProperties gives it, for any order of reads, answers, errors and assignments", async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(stepArb, { maxLength: 14 }), async (steps) => {
                const expected = await withUnhandled(() => play(sdkTransfer, steps));
                const actual = await withUnhandled(() => play(lazy, steps));
                assert.deepStrictEqual(actual.result, expected.result);
                // A property the program never read still rejects unhandled after a registration error, as under
                // the SDK; the set of errors matters, not how many promise chains report each one.
                assert.deepStrictEqual(new Set(actual.unhandled), new Set(expected.unhandled));
            }),
            { numRuns: 150 },
        );
    });

    it("creates no Output until a property is read, and then the SDK's enumerable data property", () => {
        const resource: Record<string, unknown> = {};
        const resolvers = lazy(resource, "res", { arn: undefined, urn: undefined, id: undefined });
        assert.deepStrictEqual(Object.keys(resolvers), ["arn"], "id and urn are the SDK's own");
        assert.deepStrictEqual(Object.keys(resource), ["arn"]);
        assert.strictEqual(typeof Object.getOwnPropertyDescriptor(resource, "arn")?.get, "function");
        const output = resource.arn;
        assert.ok(sdk.output.Output.isInstance(output));
        assert.strictEqual(resource.arn, output, "one Output per property");
        const descriptor = Object.getOwnPropertyDescriptor(resource, "arn");
        assert.deepStrictEqual(
            { ...descriptor, value: undefined },
            { value: undefined, writable: true, enumerable: true, configurable: true },
        );
        assert.strictEqual(
            resolvers.unknownKey,
            undefined,
            "a property the engine adds has no resolver, as in the SDK",
        );
    });

    it("refuses a property already on the resource with the SDK's message", () => {
        const message = (transfer: typeof lazy): string => {
            try {
                transfer({ arn: 1 }, "res", { arn: undefined });
            } catch (e) {
                return (e as Error).message;
            }
            return "no error";
        };
        assert.strictEqual(message(lazy), message(sdkTransfer));
        assert.match(message(lazy), /Property 'arn' is already initialized on target 'res/);
    });

    it("skips an RPC error as the SDK does: the property stays unread and unsettled", async () => {
        const resource: Record<string, unknown> = {};
        const resolvers = lazy(resource, "res", { arn: undefined });
        const grpcError = Object.assign(new Error("14 UNAVAILABLE"), { code: 14, details: "gone" });
        assert.ok(sdk.errors.isGrpcError(grpcError), "the SDK's own test of a gRPC error");
        resolvers.arn(undefined, true, false, [], grpcError);
        assert.strictEqual(typeof Object.getOwnPropertyDescriptor(resource, "arn")?.get, "function");
        const settled = await Promise.race([
            (resource.arn as OutputInternals).promise().then(() => "settled"),
            new Promise((resolve) => setTimeout(() => resolve("pending"), 20)),
        ]);
        assert.strictEqual(settled, "pending");
    });

    it("finds its resource through a prototype, as a data property would be found", async () => {
        const resource: Record<string, unknown> = {};
        const resolvers = lazy(resource, "res", { arn: undefined });
        resolvers.arn("arn:aws:x", true, false);
        const child = Object.create(resource) as Record<string, unknown>;
        const observed = await observe(child.arn, resource);
        assert.deepStrictEqual(observed, { ok: true, value: "arn:aws:x", known: true, secret: false, deps: ["self"] });
        assert.ok(
            Object.prototype.hasOwnProperty.call(resource, "arn") &&
                !Object.prototype.hasOwnProperty.call(child, "arn"),
        );
    });

    it("refuses an accessor called on an object that is neither the resource nor inherits from it", () => {
        const resource: Record<string, unknown> = {};
        lazy(resource, "res", { arn: undefined });
        const getter = Object.getOwnPropertyDescriptor(resource, "arn")!.get!;
        assert.throws(
            () => getter.call({}),
            /an output property accessor was called on an object that is not its resource/,
        );
    });
});
