// Registers TypeScript for a program or a policy pack the way the Pulumi CLI's nodejs hosts do
// (@pulumi/pulumi cmd/run/run.ts for programs, cmd/run-policy-pack/run.ts for packs): the tsconfig.json of the
// directory they run from (a program's: its `main` directory, see programDirectory; a pack's: its own) when there
// is one, else no project file at all (ts-node must not walk up and pick up an
// unrelated tsconfig.json); and in both cases the host's defaults (ES2020, module and moduleResolution nodenext
// for TypeScript >= 4.7, source maps) under the tsconfig's own compilerOptions. One deliberate difference: the
// hosts type-check (unless PULUMI_NODEJS_TRANSPILE_ONLY or noCheck say otherwise), the offline check only
// transpiles: type checking is the project's `tsc` job, and it would add seconds to every run. The transpiled
// output is cached across runs (transpile-cache.js), which changes nothing ts-node emits.
// Plain JavaScript: it runs before TypeScript can be loaded.
"use strict";
const fs = require("fs");
const path = require("path");
const { transpileCacheOptions } = require("./transpile-cache");

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

/** Registers ts-node for code run from `dir` (the program's directory, see programDirectory, or the pack's). */
function registerTypeScript(dir) {
    require("ts-node").register(hostTypeScriptOptions(dir));
}

module.exports = { hostTypeScriptOptions, programDirectory, registerTypeScript };
