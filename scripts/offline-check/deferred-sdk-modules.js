// Defers two modules @pulumi/pulumi loads at start-up and uses only when a program serializes a function
// (pulumi.runtime.serializeFunction, computeCodePaths, the closure code behind callback functions): TypeScript,
// through the SDK's `typescript-shim.js` (a parser for function text), and `runtime/closure/codePaths.js`, which
// loads @npmcli/arborist (a package-tree walker). Together they are about 0.6 s of CPU in every process that loads
// the SDK, most of what the SDK costs; a preview of a program that serializes nothing never touches either.
//
// Each is put in require.cache, before the SDK loads, as a module whose exports stand for the real module's: the
// first time anything reads, writes, lists or tests a property, the real file is loaded through Node's own loader
// (from the same path, so the same resolution and the same single instance) and every operation goes to its
// exports from then on. A later `require` of the same path gets the real module itself. The SDK copies
// `computeCodePaths` out of its module as it loads (runtime/index.js), so that one export is a function that
// loads the module when called and calls the real one. So the SDK behaves as before, only later:
// test/offline-check/deferred-sdk-modules.int.test.ts serializes a function and computes code paths through a
// deferred SDK, and checks that loading the SDK alone loads neither module.
// Plain JavaScript: it runs before TypeScript can be loaded.
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");

/**
 * The SDK's files deferred (relative to its package directory), each with the exported functions the SDK reads
 * while it loads (sdk-patch-points.test.ts checks that the installed SDK's modules export these).
 */
const DEFERRED_SDK_MODULES = [
    { file: "typescript-shim.js", functions: [] },
    { file: path.join("runtime", "closure", "codePaths.js"), functions: ["computeCodePaths"] },
];

/** A module standing for the one at `fileName` (absolute) until something uses it; see the file's comment. */
function deferredModule(fileName, functions) {
    const stand = new Module(fileName, null);
    let real;
    const load = () => {
        if (real === undefined) {
            // Out of the cache first, so that Node loads the file itself (and caches the real module).
            if (require.cache[fileName] === stand) {
                delete require.cache[fileName];
            }
            real = Module.createRequire(fileName)(fileName);
        }
        return real;
    };
    const early = new Map(
        functions.map((name) => [
            name,
            {
                [name](...args) {
                    return load()[name].apply(this, args);
                },
            }[name],
        ]),
    );
    const target = {};
    const exports = new Proxy(target, {
        get: (_t, key) => early.get(key) ?? Reflect.get(load(), key),
        set: (_t, key, value) => Reflect.set(load(), key, value),
        has: (_t, key) => Reflect.has(load(), key),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (t, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
            // A proxy may report a property as non-configurable only if its target has it so (the
            // `__esModule` marker TypeScript emits is): mirror such a property on the target.
            if (descriptor && !descriptor.configurable && !Reflect.getOwnPropertyDescriptor(t, key)) {
                Object.defineProperty(t, key, descriptor);
            }
            return descriptor;
        },
        defineProperty: (_t, key, descriptor) => Reflect.defineProperty(load(), key, descriptor),
        deleteProperty: (_t, key) => Reflect.deleteProperty(load(), key),
        getPrototypeOf: () => Reflect.getPrototypeOf(load()),
    });
    stand.filename = fileName;
    stand.paths = Module._nodeModulePaths(path.dirname(fileName));
    stand.exports = exports;
    stand.loaded = true;
    return stand;
}

/**
 * Defers the deferrable modules of the @pulumi/pulumi package at `sdkDir` (its directory) in this process. A file
 * that is missing (another SDK version) or already loaded is left alone. Returns the files deferred.
 */
function deferSdkModules(sdkDir) {
    const deferred = [];
    for (const { file, functions } of DEFERRED_SDK_MODULES) {
        const fileName = path.join(sdkDir, file);
        if (require.cache[fileName] || !fs.existsSync(fileName)) {
            continue;
        }
        require.cache[fileName] = deferredModule(fileName, functions);
        deferred.push(fileName);
    }
    return deferred;
}

/** The directory of the @pulumi/pulumi that code in `fromDir` loads, or undefined when there is none. */
function sdkDirectoryFrom(fromDir) {
    try {
        return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [fromDir] }));
    } catch {
        return undefined;
    }
}

module.exports = { DEFERRED_SDK_MODULES, deferSdkModules, deferredModule, sdkDirectoryFrom };
