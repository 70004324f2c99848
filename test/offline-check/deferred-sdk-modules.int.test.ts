// The SDK's TypeScript and code-path modules deferred until used (deferred-sdk-modules.js): loading the SDK alone
// loads neither; a program that serializes a function or computes code paths gets what an SDK loaded as usual
// gives; the stand-in module behaves as the real module's exports for every operation, and loads it once.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    DEFERRED_SDK_MODULES,
    deferSdkModules,
    deferredModule,
} from "../../scripts/offline-check/deferred-sdk-modules";
import { REPO } from "./run-cli";

const DEFERRED = path.join(REPO, "scripts", "offline-check", "deferred-sdk-modules.js");

/** Runs `body` in a fresh Node process from the repository, after deferring the SDK's modules when `defer`. */
function inChild(defer: boolean, body: string): Record<string, unknown> {
    const script = `
        const d = require(${JSON.stringify(DEFERRED)});
        const deferred = ${defer} ? d.deferSdkModules(d.sdkDirectoryFrom(process.cwd())) : [];
        const loaded = (re) => Object.keys(require.cache).some((k) => re.test(k));
        const typescriptLoaded = () => loaded(/node_modules\\/typescript\\/lib\\/typescript\\.js$/);
        const arboristLoaded = () => loaded(/node_modules\\/@npmcli\\/arborist\\//);
        (async () => { ${body} })().then((r) => process.stdout.write(JSON.stringify({ deferred: deferred.length, ...r })));
    `;
    // stderr is piped (the SDK's code-path walk warns about deprecated modules) and shown if the child fails.
    const out = execFileSync(process.execPath, ["-e", script], { cwd: REPO, encoding: "utf8", stdio: "pipe" });
    return JSON.parse(out) as Record<string, unknown>;
}

describe("deferred SDK modules (deferred-sdk-modules.js)", function () {
    this.timeout(120_000);

    it("loading @pulumi/pulumi and @pulumi/aws loads neither TypeScript nor @npmcli/arborist (both load without it)", () => {
        const body = `
            require("@pulumi/pulumi");
            require("@pulumi/aws");
            return { typescript: typescriptLoaded(), arborist: arboristLoaded() };
        `;
        assert.deepStrictEqual(inChild(false, body), { deferred: 0, typescript: true, arborist: true });
        assert.deepStrictEqual(inChild(true, body), {
            deferred: DEFERRED_SDK_MODULES.length,
            typescript: false,
            arborist: false,
        });
    });

    it("serializeFunction and computeCodePaths give what they give without deferring, loading the modules then", () => {
        const body = `
            const pulumi = require("@pulumi/pulumi");
            const before = { typescript: typescriptLoaded(), arborist: arboristLoaded() };
            const offset = 40;
            const serialized = await pulumi.runtime.serializeFunction((x) => x + offset);
            const paths = await pulumi.runtime.computeCodePaths({ extraIncludePackages: ["ioredis"] });
            const sdkDir = require("path").dirname(require.resolve("@pulumi/pulumi"));
            const shim = require(require("path").join(sdkDir, "typescript-shim.js"));
            return {
                before,
                text: serialized.text,
                paths: [...paths.keys()].sort(),
                after: { typescript: typescriptLoaded(), arborist: arboristLoaded() },
                shimIsTypeScript: shim === require("typescript"),
            };
        `;
        const usual = inChild(false, body);
        const deferred = inChild(true, body);
        assert.deepStrictEqual(deferred.before, { typescript: false, arborist: false });
        assert.deepStrictEqual(deferred.after, { typescript: true, arborist: true });
        assert.strictEqual(deferred.shimIsTypeScript, true);
        assert.ok((usual.paths as string[]).length > 1, "computeCodePaths found the package's files");
        assert.deepStrictEqual(
            { text: deferred.text, paths: deferred.paths },
            { text: usual.text, paths: usual.paths },
        );
    });

    describe("the stand-in module", () => {
        let tmp: string;
        let file: string;
        const loads = (): number => (globalThis as { deferredLoads?: number }).deferredLoads ?? 0;
        beforeEach(() => {
            tmp = fs.mkdtempSync(path.join(os.tmpdir(), "check-deferred-"));
            file = path.join(tmp, "real.js");
            fs.writeFileSync(
                file,
                [
                    '"use strict";',
                    'Object.defineProperty(exports, "__esModule", { value: true });',
                    "globalThis.deferredLoads = (globalThis.deferredLoads ?? 0) + 1;",
                    "exports.value = 1;",
                    "exports.twice = function twice(n) { return [this === exports, 2 * n]; };",
                    "exports.self = () => module.exports;",
                ].join("\n"),
            );
            (globalThis as { deferredLoads?: number }).deferredLoads = 0;
        });
        afterEach(() => {
            delete require.cache[file];
            fs.rmSync(tmp, { recursive: true, force: true });
        });

        it("loads the real module on first use, once, and forwards every operation to its exports", () => {
            require.cache[file] = deferredModule(file, ["twice"]);
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module under test is required at run time
            const stand = require(file) as { value: number; added?: number; twice: (n: number) => unknown };
            assert.strictEqual(loads(), 0);
            assert.strictEqual(typeof stand.twice, "function", "an early function is there before the load");
            assert.strictEqual(loads(), 0);
            assert.deepStrictEqual(stand.twice(4), [false, 8]);
            assert.strictEqual(loads(), 1);
            assert.strictEqual(stand.value, 1);
            assert.ok("value" in stand);
            assert.deepStrictEqual(Object.keys(stand), ["value", "twice", "self"]);
            const marker = Object.getOwnPropertyDescriptor(stand, "__esModule");
            assert.deepStrictEqual(marker, { value: true, writable: false, enumerable: false, configurable: false });
            stand.added = 5;
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module under test is required at run time
            const real = require(file) as { added: number; self: () => unknown };
            assert.notStrictEqual(real, stand, "a later require gets the real module");
            assert.strictEqual(real.added, 5, "a write through the stand-in reaches the real exports");
            assert.strictEqual(real.self(), real);
            delete (stand as { added?: number }).added;
            assert.strictEqual("added" in real, false);
            assert.strictEqual(loads(), 1);
        });

        it("deferSdkModules leaves a missing file and a loaded one alone", () => {
            const sdk = fs.mkdtempSync(path.join(tmp, "sdk-"));
            assert.deepStrictEqual(deferSdkModules(sdk), []);
            fs.writeFileSync(path.join(sdk, "typescript-shim.js"), "module.exports = 1;");
            const shim = path.join(sdk, "typescript-shim.js");
            try {
                assert.deepStrictEqual(deferSdkModules(sdk), [shim]);
                assert.deepStrictEqual(deferSdkModules(sdk), [], "already in require.cache");
            } finally {
                delete require.cache[shim];
            }
        });
    });
});
