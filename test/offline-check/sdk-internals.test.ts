// skipPromiseStacks (recorder/sdk-internals.ts): which of the SDK's promises it leaves unwrapped, and that the
// rest keep the SDK's leak bookkeeping. The contexts are read from the pinned SDK's own source, so an upgrade that
// renames or adds a per-property promise fails here.
import * as assert from "assert";
import * as fs from "fs";
import { REPO_ROOT } from "../../scripts/offline-check/cli";
import {
    SETTLED_BY_REGISTRATION,
    loadSdkInternals,
    skipPromiseStacks,
    skipResourceStackTraces,
} from "../../scripts/offline-check/recorder/sdk-internals";

/** The context templates the SDK passes to debuggablePromise in one of its runtime modules. */
function contexts(module: string): string[] {
    const source = fs.readFileSync(require.resolve(`@pulumi/pulumi/runtime/${module}`), "utf8");
    return [...source.matchAll(/\}\), `([A-Za-z]+)\(\$\{label\}/g)].map((m) => `${m[1]}(`);
}

describe("offline-check/recorder: skipPromiseStacks", () => {
    const sdk = loadSdkInternals(REPO_ROOT);
    const original = sdk.debuggable.debuggablePromise;
    afterEach(() => {
        sdk.debuggable.debuggablePromise = original;
    });

    it("leaves unwrapped exactly the output-property promises a registration settles (rpc.js, resource.js)", () => {
        assert.deepStrictEqual(contexts("rpc.js"), [
            "transferProperty(",
            "transferIsStable(",
            "transferIsSecret(",
            "transferDeps(",
        ]);
        assert.deepStrictEqual(contexts("resource.js"), [
            "resolveURN(",
            "resolveURNIsKnown(",
            "resolveID(",
            "resolveIDIsKnown(",
        ]);
        for (const ctx of [...contexts("rpc.js"), ...contexts("resource.js")]) {
            assert.match(`${ctx}bench, x, Output<T>)`, SETTLED_BY_REGISTRATION);
        }
        // The registration itself stays tracked, so a registration that never completes is still a leak.
        for (const ctx of [
            "registerResource(aws:ec2/vpc:Vpc, vpc)-final",
            "disconnect",
            "serializeProperty.await(x)",
        ]) {
            assert.doesNotMatch(ctx, SETTLED_BY_REGISTRATION);
        }
    });

    it("returns a per-property promise as is, and tracks any other until it settles", async () => {
        skipPromiseStacks(sdk);
        const leaks = sdk.state.getStore().leakCandidates;
        const property = Promise.resolve(1);
        assert.strictEqual(
            sdk.debuggable.debuggablePromise(property, "transferProperty(vpc, cidrBlock, 10)"),
            property,
        );
        assert.ok(!leaks.has(property));
        let settle: (v: number) => void = () => undefined;
        const op = new Promise<number>((resolve) => (settle = resolve));
        const wrapped = sdk.debuggable.debuggablePromise(op, "registerResource(vpc)-final");
        assert.ok(leaks.has(op));
        settle(2);
        assert.strictEqual(await wrapped, 2);
        assert.ok(!leaks.has(op));
    });
});

describe("offline-check/recorder: skipResourceStackTraces", () => {
    const sdk = loadSdkInternals(REPO_ROOT);
    const original = sdk.resource.Resource.stackTrace;
    afterEach(() => {
        sdk.resource.Resource.stackTrace = original;
    });

    it("makes the per-resource stack capture empty, as for a stack with no frames (no source position)", () => {
        assert.ok(original(0).length > 0, "the SDK's own capture sees this test's stack");
        skipResourceStackTraces(sdk);
        assert.deepStrictEqual(sdk.resource.Resource.stackTrace(4), []);
    });
});
