// Registers TypeScript for a program or a policy pack the way the Pulumi CLI's nodejs hosts do
// (@pulumi/pulumi cmd/run/run.ts for programs, cmd/run-policy-pack/run.ts for packs): the tsconfig.json of the
// directory they run from (a program's: its `main` directory, see programDirectory; a pack's: its own) when there
// is one, else no project file at all (ts-node must not walk up and pick up an
// unrelated tsconfig.json); and in both cases the host's defaults (ES2020, module and moduleResolution nodenext
// for TypeScript >= 4.7, source maps) under the tsconfig's own compilerOptions. One deliberate difference: the
// hosts type-check (unless PULUMI_NODEJS_TRANSPILE_ONLY or noCheck say otherwise), the offline check only
// transpiles: type checking is the project's `tsc` job, and it would add seconds to every run. The transpiled
// output is cached across runs (transpile-cache.js), which changes nothing ts-node emits.
//
// And what ts-node emits is served without ts-node where that is sure to be the same (registerPrecompiledHost):
// loading TypeScript to read the tsconfig is most of ts-node's cost (about 0.4 s of CPU in each child), and a
// warm check needs neither for a program of plain `.ts` files.
// Plain JavaScript: it runs before TypeScript can be loaded.
"use strict";
const fs = require("fs");
const path = require("path");
const { TranspileCache, transpileCacheOptions } = require("./transpile-cache");
const { precompiledKeyHasher, precompiledOutput } = require("./precompiled-require");

/**
 * TypeScript, loaded the way ts-node loads it (through its v8-compile-cache-lib): V8 then reuses the compiled code
 * of the 9 MB module from an earlier run instead of compiling it again in every child (~0.2 s of CPU each). ts-node
 * finds the module already loaded. A plain require if that library is not where ts-node has it.
 */
function loadTypeScript() {
    let codeCache;
    try {
        const tsNodeDir = path.dirname(require.resolve("ts-node"));
        codeCache = require(require.resolve("v8-compile-cache-lib", { paths: [tsNodeDir] })).install();
    } catch {
        // Compiled without a code cache: slower, same module.
    }
    try {
        return require("typescript");
    } finally {
        codeCache?.uninstall();
    }
}

/** The compilerOptions of a tsconfig.json (without `extends`, as the CLI's loadTypeScriptCompilerOptions). */
function tsconfigCompilerOptions(ts, file) {
    try {
        return ts.parseConfigFileTextToJson(file, fs.readFileSync(file, "utf8")).config.compilerOptions ?? {};
    } catch {
        // The CLI ignores a tsconfig it cannot parse here too (ts-node then reports it).
        return {};
    }
}

/** The ts-node options the CLI's hosts use for a working directory `dir`. */
function hostTypeScriptOptions(dir) {
    const tsconfig = path.join(dir, "tsconfig.json");
    const skipProject = !fs.existsSync(tsconfig);
    const ts = loadTypeScript();
    const [major, minor] = ts.version.split(".").map(Number);
    const nodeNext = major > 4 || (major === 4 && minor >= 7);
    return {
        transpileOnly: true,
        project: tsconfig,
        skipProject,
        ...transpileCacheOptions(),
        compilerOptions: {
            target: "ES2020",
            module: nodeNext ? "nodenext" : "commonjs",
            moduleResolution: nodeNext ? "nodenext" : "node",
            sourceMap: true,
            ...(skipProject ? {} : tsconfigCompilerOptions(ts, tsconfig)),
        },
    };
}

/**
 * The directory the CLI runs a program from, for the program entry `entry` (Pulumi.yaml `main` resolved against
 * the project, or the project itself): a directory entry is it, a file entry its directory (pulumi/pulumi
 * pkg/engine getPwdMain). `main: infra/` compiles with infra/tsconfig.json, not the project root's.
 */
function programDirectory(entry) {
    return fs.existsSync(entry) && fs.statSync(entry).isDirectory() ? entry : path.dirname(entry);
}

/**
 * The tsconfig files whose text decides what ts-node emits for code run from `dir`: its tsconfig.json and what
 * that `extends`, in order; [] when there is none (the host's defaults alone). Undefined when the precompiled
 * path cannot stand in for ts-node: a tsconfig that extends a package or a list, one ts-node would not find, or
 * one that sets what widens ts-node's hooks beyond `.ts` files (`allowJs`, `jsx`) or ts-node's own options (a
 * `ts-node` section). Read as text, without a parser: a word in a comment only makes this more careful.
 */
function precompilableTsconfigs(dir) {
    const chain = [];
    let file = path.join(dir, "tsconfig.json");
    if (!fs.existsSync(file)) {
        return chain;
    }
    while (file !== undefined) {
        let text;
        try {
            text = fs.readFileSync(file, "utf8");
        } catch {
            return undefined;
        }
        if (/"(ts-node|allowJs|jsx)"/.test(text) || chain.some((c) => c.file === file)) {
            return undefined;
        }
        chain.push({ file, text });
        const extendsValues = [...text.matchAll(/"extends"\s*:\s*("(?:[^"\\]|\\.)*"|[^\s,}]+)/g)].map((m) => m[1]);
        if (extendsValues.length === 0) {
            return chain;
        }
        const target =
            extendsValues.length === 1 && /^"\.{0,2}\//.test(extendsValues[0]) && JSON.parse(extendsValues[0]);
        if (!target) {
            return undefined;
        }
        const resolved = path.resolve(path.dirname(file), target);
        file = [resolved, `${resolved}.json`].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
        if (file === undefined) {
            return undefined;
        }
    }
    return chain;
}

/** The `type` of the package.json that decides a file's module kind (the nearest, as Node's readPackageScope). */
function packageTypeOf(fileName, memo) {
    let dir = path.dirname(fileName);
    const seen = [];
    let type;
    for (;;) {
        if (memo.has(dir)) {
            type = memo.get(dir);
            break;
        }
        seen.push(dir);
        const manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest)) {
            try {
                type = JSON.parse(fs.readFileSync(manifest, "utf8")).type ?? "none";
            } catch {
                type = "unreadable";
            }
            break;
        }
        const parent = path.dirname(dir);
        if (parent === dir || path.basename(dir) === "node_modules") {
            type = "none";
            break;
        }
        dir = parent;
    }
    for (const d of seen) {
        memo.set(d, type);
    }
    return type;
}

/**
 * Serves the `.ts` files of code run from `dir` as ts-node registered with hostTypeScriptOptions(dir) would
 * compile them, from the transpile cache's directory, without loading ts-node or TypeScript when every file is a
 * hit. The key holds everything ts-node's output depends on here: the TypeScript and ts-node versions, the
 * tsconfig texts (precompilableTsconfigs), the host's defaults, the file's path, content and package type. A miss compiles with
 * ts-node's own service (`create(hostTypeScriptOptions(dir)).compile`, what its require hook calls) and stores
 * the result. What ts-node's hook does besides compiling is kept: files it ignores (a node_modules path relative
 * to the tsconfig's directory, or the working directory without one) go to Node's `.js` loader as under ts-node,
 * and stack traces are source-mapped by the same @cspotcode/source-map-support, which ts-node installs. Anything
 * else ts-node would handle differently (a `.mts` or `.cts` file, a file of an ESM package, which ts-node
 * refuses with its own error) hands the process to ts-node's registration from then on. Returns false (nothing
 * installed) where ts-node must register from the start: no cache, TS_NODE_* settings in the environment, or a
 * tsconfig precompilableTsconfigs refuses.
 */
function registerPrecompiledHost(dir) {
    const options = transpileCacheOptions();
    const tsconfigs = precompilableTsconfigs(dir);
    if (
        !options.transpiler ||
        tsconfigs === undefined ||
        Object.keys(process.env).some((k) => k.startsWith("TS_NODE_"))
    ) {
        return false;
    }
    const cache = new TranspileCache(options.transpiler[1].cacheDir);
    // The host's defaults are code: their text is part of the key too.
    const key = precompiledKeyHasher(path.join(dir, "tsconfig.json"), [
        "host",
        hostTypeScriptOptions.toString(),
        ...tsconfigs.map((c) => [c.file, c.text]),
    ]);
    const ignoreBase = tsconfigs.length > 0 ? dir : process.cwd();
    const ignored = (fileName) =>
        /(?:^|\/)node_modules\//.test(path.relative(ignoreBase, fileName).split(path.sep).join("/"));
    const packageTypes = new Map();
    const jsLoader = require.extensions[".js"];
    const served = new Map();
    let service;
    const tsNode = () => (service ??= require("ts-node").create(hostTypeScriptOptions(dir)));
    let handedOver = false;
    const handOver = () => {
        if (!handedOver) {
            handedOver = true;
            delete require.extensions[".ts"];
            require.extensions[".js"] = jsLoader;
            require("ts-node").register(hostTypeScriptOptions(dir));
        }
    };
    require("@cspotcode/source-map-support").install({
        environment: "node",
        retrieveFile: (fileName) => served.get(fileName) ?? "",
        redirectConflictingLibrary: true,
    });
    require.extensions[".ts"] = function precompiledHostTs(module, fileName) {
        if (ignored(fileName)) {
            return jsLoader(module, fileName);
        }
        const packageType = packageTypeOf(fileName, packageTypes);
        if (packageType !== "none" && packageType !== "commonjs") {
            handOver();
            return require.extensions[".ts"](module, fileName);
        }
        const source = fs.readFileSync(fileName, "utf8");
        const k = key(fileName, source, packageType);
        const code = precompiledOutput(cache, k, fileName, source, tsNode, registerPrecompiledHost.stats);
        served.set(fileName, code);
        module._compile(code, fileName);
    };
    // Node loads a file of an extension it does not know (`.mts`, `.cts`) with its `.js` loader; ts-node hooks
    // that loader to compile them.
    require.extensions[".js"] = function precompiledHostJs(module, fileName) {
        const ext = path.extname(fileName);
        if ((ext === ".mts" || ext === ".cts") && !ignored(fileName)) {
            handOver();
            return require.extensions[".js"](module, fileName);
        }
        return jsLoader(module, fileName);
    };
    return true;
}
registerPrecompiledHost.stats = { hits: 0, misses: 0 };

/**
 * Registers TypeScript for code run from `dir` (the program's directory, see programDirectory, or the pack's):
 * precompiled where it can (registerPrecompiledHost), else ts-node as the CLI's hosts register it.
 */
function registerTypeScript(dir) {
    if (!registerPrecompiledHost(dir)) {
        require("ts-node").register(hostTypeScriptOptions(dir));
    }
}

module.exports = {
    hostTypeScriptOptions,
    precompilableTsconfigs,
    programDirectory,
    registerPrecompiledHost,
    registerTypeScript,
};
