// The private @pulumi/pulumi modules the checker patches or calls (recorder/sdk-internals.ts, analyzer/wire.ts).
// They are not public API; @pulumi/pulumi is pinned exactly (package.json, policy/package.json). When upgrading
// it, a failure here names the patch point to re-check against the new SDK's source before changing the test.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../scripts/offline-check/cli";
import { DEFERRED_SDK_MODULES } from "../../scripts/offline-check/deferred-sdk-modules";
import { loadSdkInternals } from "../../scripts/offline-check/recorder/sdk-internals";

/* eslint-disable @typescript-eslint/no-require-imports -- the generated proto modules are plain CommonJS */

const upgrade = (what: string): string =>
    `@pulumi/pulumi changed ${what}: re-check the offline check's use of it before upgrading`;

describe("offline-check: @pulumi/pulumi patch points", () => {
    const sdk = loadSdkInternals(REPO_ROOT);

    it("is the exact version the repository pins", () => {
        const pinned = (require(path.join(REPO_ROOT, "package.json")) as { dependencies: Record<string, string> })
            .dependencies["@pulumi/pulumi"];
        const installed = (require("@pulumi/pulumi/package.json") as { version: string }).version;
        assert.match(pinned, /^\d+\.\d+\.\d+$/, "@pulumi/pulumi must be pinned to an exact version");
        assert.strictEqual(installed, pinned, upgrade("version (installed differs from the pin)"));
    });

    it("runtime: setMocks (the mock runtime in preview mode)", () => {
        assert.strictEqual(typeof sdk.runtime.setMocks, "function", upgrade("runtime.setMocks"));
    });

    it("runtime/settings: getMonitor (tapped: registerResource, registerResourceOutputs, newUrn), waitForRPCs and _reset", () => {
        assert.strictEqual(typeof sdk.settings.getMonitor, "function", upgrade("runtime/settings getMonitor"));
        assert.strictEqual(typeof sdk.settings.waitForRPCs, "function", upgrade("runtime/settings waitForRPCs"));
        assert.strictEqual(typeof sdk.settings._reset, "function", upgrade("runtime/settings _reset"));
        const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as {
            MockMonitor: { prototype: Record<string, unknown> };
        };
        for (const method of ["registerResource", "registerResourceOutputs", "newUrn"]) {
            assert.strictEqual(
                typeof MockMonitor.prototype[method],
                "function",
                upgrade(`runtime/mocks MockMonitor.${method}`),
            );
        }
    });

    it("runtime: setAllConfig and setMocks set a run's state afresh (config, settings, leak candidates, error count)", async () => {
        sdk.runtime.setAllConfig({ "patch-point:key": "one" }, []);
        assert.strictEqual(sdk.runtime.getConfig("patch-point:key"), "one", upgrade("runtime setAllConfig"));
        sdk.runtime.setAllConfig({ "patch-point:other": "two" }, []);
        assert.strictEqual(
            sdk.runtime.getConfig("patch-point:key"),
            undefined,
            upgrade("runtime setAllConfig (merges)"),
        );
        const store = sdk.state.getStore() as unknown as { leakCandidates: Set<unknown>; logErrorCount: number };
        store.leakCandidates.add(Promise.resolve());
        store.logErrorCount = 1;
        const mocks = { newResource: () => ({ id: "", state: {} }), call: () => ({}) };
        await sdk.runtime.setMocks(mocks, "patch-point-project", "patch-point-stack", true);
        const after = sdk.state.getStore() as unknown as { leakCandidates: Set<unknown>; logErrorCount: number };
        assert.strictEqual(after.leakCandidates.size, 0, upgrade("runtime setMocks (leak candidates kept)"));
        assert.strictEqual(after.logErrorCount, 0, upgrade("runtime setMocks (error count kept)"));
        assert.strictEqual(sdk.runtime.getStack(), "patch-point-stack", upgrade("runtime setMocks (stack)"));
        sdk.settings._reset();
    });

    it("runtime/stack: runInPulumiStack (the root Stack resource and stack outputs)", () => {
        assert.strictEqual(typeof sdk.stack.runInPulumiStack, "function", upgrade("runtime/stack runInPulumiStack"));
    });

    it("log: hasErrors (a program that logged errors fails)", () => {
        assert.strictEqual(typeof sdk.log.hasErrors, "function", upgrade("log hasErrors"));
    });

    it("runtime/debuggable: a writable debuggablePromise, debugPromiseLeaks, leakedPromises; runtime/state: getStore().leakCandidates", () => {
        const d = sdk.debuggable;
        assert.strictEqual(typeof d.debugPromiseLeaks, "boolean", upgrade("runtime/debuggable debugPromiseLeaks"));
        assert.strictEqual(typeof d.leakedPromises, "function", upgrade("runtime/debuggable leakedPromises"));
        const descriptor = Object.getOwnPropertyDescriptor(d, "debuggablePromise");
        assert.ok(
            descriptor && typeof descriptor.value === "function" && descriptor.writable,
            upgrade("runtime/debuggable debuggablePromise (no longer a writable export the recorder can replace)"),
        );
        assert.ok(
            sdk.state.getStore().leakCandidates instanceof Set,
            upgrade("runtime/state getStore().leakCandidates"),
        );
        const [leaks, message] = d.leakedPromises();
        assert.ok(leaks instanceof Set && typeof message === "string", upgrade("leakedPromises()'s [Set, string]"));
    });

    it("runtime/rpc: a writable transferProperties that resource.js calls through the module, whose resolvers resolveProperties reads only by Object.keys and by name", () => {
        const rpc = require("@pulumi/pulumi/runtime/rpc") as Record<string, unknown>;
        const descriptor = Object.getOwnPropertyDescriptor(rpc, "transferProperties");
        assert.ok(
            descriptor && typeof descriptor.value === "function" && descriptor.writable,
            upgrade("runtime/rpc transferProperties (no longer a writable export lazyOutputProperties can replace)"),
        );
        const source = (module: string): string => fs.readFileSync(require.resolve(`@pulumi/pulumi/${module}`), "utf8");
        assert.match(
            source("runtime/resource.js"),
            /resolvers = rpc_1\.transferProperties\(res, label, props\);/,
            upgrade("runtime/resource.js's call of transferProperties"),
        );
        // Every use of the resolvers in the SDK: Object.keys(resolvers) and resolvers[k].
        const uses = [...source("runtime/rpc.js").matchAll(/resolvers(\.\w+|\[\w+\]|\))?/g)].map((m) => m[0]);
        assert.deepStrictEqual(
            [...new Set(uses)].sort(),
            ["resolvers", "resolvers)", "resolvers[k]"],
            upgrade("runtime/rpc.js's use of the resolvers transferProperties returns"),
        );
        assert.strictEqual(typeof sdk.errors.isGrpcError, "function", upgrade("errors isGrpcError"));
        assert.strictEqual(typeof sdk.output.Output, "function", upgrade("output Output"));
        assert.strictEqual(typeof sdk.output.Output.isInstance, "function", upgrade("output Output.isInstance"));
    });

    it("typescript-shim and runtime/closure/codePaths: deferred until used (deferred-sdk-modules.js); what the SDK reads from them as it loads is the functions the stand-in has early", () => {
        const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
        const sources = (dir: string): string[] =>
            fs
                .readdirSync(dir, { withFileTypes: true })
                .flatMap((e) =>
                    e.isDirectory() && e.name !== "node_modules" && e.name !== "vendor"
                        ? sources(path.join(dir, e.name))
                        : e.name.endsWith(".js")
                          ? [path.join(dir, e.name)]
                          : [],
                );
        const files = sources(sdkDir).map((f) => ({ f, text: fs.readFileSync(f, "utf8") }));
        for (const { file, functions } of DEFERRED_SDK_MODULES) {
            const fileName = path.join(sdkDir, file);
            assert.ok(fs.existsSync(fileName), upgrade(`${file} (moved)`));
            // Every top-level `const x = require(".../file")` of the SDK, and the names read from x outside a
            // function (here: a top-level `exports.y = x.name` line); a require inside a function runs on use.
            const base = path.basename(file, ".js");
            let requiredAtLoad = 0;
            for (const { f, text } of files) {
                for (const m of text.matchAll(
                    new RegExp(`^(?:const|var) (\\w+) = require\\("([^"]*/${base})"\\);$`, "gm"),
                )) {
                    if (path.resolve(path.dirname(f), m[2]) + ".js" !== fileName) {
                        continue;
                    }
                    requiredAtLoad++;
                    const read = [...text.matchAll(new RegExp(`^exports\\.\\w+ = ${m[1]}\\.(\\w+);$`, "gm"))].map(
                        (r) => r[1],
                    );
                    const readElsewhere = [...text.matchAll(new RegExp(`^[^ ].*\\b${m[1]}\\.(\\w+)`, "gm"))].length;
                    assert.deepStrictEqual(
                        read,
                        functions,
                        upgrade(`what ${path.relative(sdkDir, f)} reads from ${file} as it loads`),
                    );
                    assert.strictEqual(
                        readElsewhere,
                        read.length,
                        upgrade(`${path.relative(sdkDir, f)}'s use of ${file}`),
                    );
                }
            }
            assert.ok(requiredAtLoad > 0, upgrade(`${file} (no module requires it as it loads: nothing to defer)`));
            const real = require(fileName) as Record<string, unknown>;
            for (const name of functions) {
                assert.strictEqual(typeof real[name], "function", upgrade(`${file} ${name}`));
            }
        }
    });

    it("resource: Resource.stackTrace, a replaceable static the constructor calls for the stack and source position", () => {
        const Resource = sdk.resource.Resource as unknown as Record<string, unknown>;
        const descriptor = Object.getOwnPropertyDescriptor(Resource, "stackTrace");
        assert.ok(
            descriptor && typeof descriptor.value === "function" && descriptor.writable,
            upgrade("resource Resource.stackTrace (no longer a writable static skipResourceStackTraces can replace)"),
        );
        const source = fs.readFileSync(require.resolve("@pulumi/pulumi/resource"), "utf8");
        assert.match(
            source,
            /const stackTrace = Resource\.stackTrace\(4\);\s+const sourcePosition = stackTrace\.length < 1 \? undefined : stackTrace\[0\];/,
            upgrade("resource.js's use of Resource.stackTrace"),
        );
    });

    it("proto: the Analyzer client and the messages the session builds, with the setters it calls", () => {
        const grpcPb = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as { AnalyzerClient: unknown };
        assert.strictEqual(typeof grpcPb.AnalyzerClient, "function", upgrade("proto/analyzer_grpc_pb AnalyzerClient"));
        const pb = require("@pulumi/pulumi/proto/analyzer_pb") as Record<string, { prototype: object }>;
        const setters: Record<string, string[]> = {
            AnalyzeRequest: ["setUrn", "setType", "setName", "setProperties", "setOptions", "setProvider"],
            AnalyzerResource: ["setParent", "setDependenciesList", "getPropertydependenciesMap", "setProvider"],
            AnalyzerResourceOptions: ["setProtect", "setIgnorechangesList", "setDeletebeforereplacedefined"],
            AnalyzerProviderResource: ["setUrn", "setType", "setName", "setProperties"],
            AnalyzerPropertyDependencies: ["setUrnsList"],
            AnalyzeStackRequest: ["setResourcesList"],
            AnalyzerStackConfigureRequest: ["setStack", "setProject", "setDryRun", "getConfigMap", "getTagsMap"],
            ConfigureAnalyzerRequest: ["getPolicyconfigMap"],
            PolicyConfig: ["setEnforcementlevel", "setProperties"],
        };
        for (const [message, methods] of Object.entries(setters)) {
            assert.strictEqual(typeof pb[message], "function", upgrade(`proto/analyzer_pb ${message}`));
            for (const m of methods) {
                assert.strictEqual(
                    typeof (pb[message].prototype as Record<string, unknown>)[m],
                    "function",
                    upgrade(`proto/analyzer_pb ${message}.${m}`),
                );
            }
        }
    });
});
