// Child-process entry of a policy pack host: one process serving the pack for one or more stacks (pack-process.ts
// PackHost). Takes the stacks and the environment the engine would give the pack for each from a private file
// (argv[3]: `[{ stack, env }, ...]`; a large stack config in the real environment makes spawn fail with E2BIG),
// stops with the checker (its IPC channel closes when the checker is gone, even SIGKILLed), registers TypeScript
// the way the CLI's policy pack host does (typescript-host.js: the pack's tsconfig.json, else the host's defaults,
// so a published pack without a tsconfig.json starts as under `pulumi preview --policy-pack`), then loads the
// pack's entry (argv[2]) once per stack, in order. Each load starts an Analyzer server of its own.
//
// Per stack, as @pulumi/pulumi's automation API runs several programs in one process (runtime/state.js
// withLocalStorage, automation/server.js): process.env is set to the stack's environment, then the entry is
// required inside `global.asyncLocalStorage.run(new LocalStore(), ...)` of the pack's own @pulumi/pulumi (the
// copy its @pulumi/policy loads). A LocalStore reads PULUMI_CONFIG, PULUMI_NODEJS_STACK, ... when it is built,
// and the SDK reads config, stack and project from the store of the current async context, so `new
// pulumi.Config()`, `pulumi.getStack()` and `getProject()` give that stack's values at load time and in the
// Analyzer handlers. The handlers need help: the context reaches the gRPC server's HTTP/2 session and its
// 'stream' event, but not the stream's 'data' events, from which grpc-js decodes a request and calls its handler
// (measured on Node 20 and grpc-js 1.14: a handler sees no store at all, and the SDK falls back to one global
// store built from process.env, the last loaded stack's; nodejs/node#55376 reports the same loss on the client
// side). So the service handlers are bound to the context they were added in (`addService` of the grpc-js the
// pack's @pulumi/policy loads, wrapped below with AsyncResource.bind), which is the stack's: every call then runs,
// and every await in a policy resumes, in that stack's context (pack-host.int.test.ts). Before each load after
// the first, @pulumi/policy's modules and the pack's own (files outside node_modules) leave require.cache: each
// stack gets a fresh @pulumi/policy (a module instance serves once: `servingPolicyPack`) and fresh pack state,
// while @pulumi/pulumi, TypeScript, grpc-js and google-protobuf stay loaded once.
//
// The one deviation from a process per stack: process.env holds the last loaded stack's environment after
// loading, so a pack reading process.env directly when it analyzes (not at load time, not through the SDK) sees
// that stack's. Everything read through @pulumi/pulumi is per stack. (And, as for any process, what ends it, a
// policy calling process.exit or throwing outside its promise, ends it for every stack it serves.)
//
// Stdout is the checker's channel, one JSON line per stack: `{"stack":"dev","port":1234}` once the stack's server
// prints its port (the first line of only digits the stack's code writes to stdout, as the engine reads a pack's
// port), or `{"stack":"dev","error":"<Node's report of the error>"}` when its entry throws while loading. Anything
// else a pack writes to stdout is dropped (the checker never used it). A load that throws when no stack is served
// and none is left to load is not caught: Node reports it on stderr and exits 1, as a pack process of its own.
"use strict";
require("../v8-flags").tuneV8ForCheck();
const fs = require("fs");
const path = require("path");
const util = require("util");
const { AsyncLocalStorage, AsyncResource } = require("async_hooks");

// The file is private to the checker's temp dir; nothing needs it once read (the checker may be SIGKILLed).
// The checker says so with argv[4] ("remove-env-dir"): run by hand with any other file, its folder stays.
const stacks = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
if (process.argv[4] === "remove-env-dir") {
    fs.rmSync(path.dirname(process.argv[3]), { recursive: true, force: true });
}
if (process.channel) {
    process.channel.unref();
    process.on("disconnect", () => {
        require("../own-group").killOwnGroup();
        process.exit(1);
    });
}

/** Of a line a stack's code writes before its port, only this much is kept until its newline. */
const MAX_PORT_LINE = 64;
/** Of an error report sent to the checker: its start and its end (the checker shows the first error line and the
 * last 20 lines). */
const MAX_REPORT_PART = 16 * 1024;

const writeChannel = process.stdout.write.bind(process.stdout);
function send(message) {
    writeChannel(JSON.stringify(message) + "\n");
}

/** The stack whose code is running (its record), for attributing what it writes to stdout. */
const current = new AsyncLocalStorage();
process.stdout.write = function (chunk, encoding, callback) {
    const record = current.getStore();
    if (record !== undefined && !record.served) {
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        const lines = (record.line + text).split("\n");
        record.line = lines.pop().slice(-MAX_PORT_LINE);
        const port = lines.map((l) => /^(\d{1,5})\s*$/.exec(l)).find((m) => m !== null);
        if (port) {
            record.served = true;
            send({ stack: record.stack, port: Number(port[1]) });
        }
    }
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") {
        process.nextTick(done);
    }
    return true;
};

/** What Node prints for an uncaught error, bounded. */
function errorReport(e) {
    const text = e instanceof Error ? util.inspect(e) : `Uncaught ${util.inspect(e)}`;
    if (text.length <= 2 * MAX_REPORT_PART) {
        return text;
    }
    const left = text.length - 2 * MAX_REPORT_PART;
    return `${text.slice(0, MAX_REPORT_PART)}\n[... ${left} characters left out ...]\n${text.slice(-MAX_REPORT_PART)}`;
}

function resolveFrom(request, dir) {
    try {
        return require.resolve(request, { paths: [dir] });
    } catch {
        return undefined;
    }
}

const packDir = process.cwd();
const entry = path.resolve(process.argv[2]);
let stackEnv = {};
function setStackEnv(env) {
    for (const k of Object.keys(stackEnv)) {
        delete process.env[k];
    }
    Object.assign(process.env, env);
    stackEnv = env;
}

setStackEnv(stacks[0]?.env ?? {});
require("../typescript-host").registerTypeScript(packDir);

// The pack's @pulumi/policy and the @pulumi/pulumi it loads (a pack without them still loads, without a store),
// which starts without what only serializing a function needs (deferred-sdk-modules.js).
const policyPackage = resolveFrom("@pulumi/policy/package.json", packDir);
const policyDir = policyPackage && path.dirname(policyPackage);
const { deferSdkModules, sdkDirectoryFrom } = require("../deferred-sdk-modules");
const sdkDir = sdkDirectoryFrom(policyDir ?? packDir);
if (sdkDir) {
    deferSdkModules(sdkDir);
}
const stateModule = resolveFrom("@pulumi/pulumi/runtime/state", policyDir ?? packDir);
const sdkState = stateModule && require(stateModule);

// Handlers added while a stack loads run in that stack's context (see the top of this file).
const grpcModule = policyDir && resolveFrom("@grpc/grpc-js", policyDir);
if (grpcModule) {
    const { Server } = require(grpcModule);
    const addService = Server.prototype.addService;
    Server.prototype.addService = function (service, implementation) {
        if (current.getStore() === undefined) {
            return addService.call(this, service, implementation);
        }
        const bound = {};
        for (const [name, handler] of Object.entries(implementation)) {
            bound[name] = typeof handler === "function" ? AsyncResource.bind(handler) : handler;
        }
        return addService.call(this, service, bound);
    };
}

const hostModules = new Set(Object.keys(require.cache));
/** Drops @pulumi/policy's modules and the pack's own from require.cache: the next load gets fresh ones. */
function forgetPackModules() {
    for (const file of Object.keys(require.cache)) {
        const policyModule = policyDir !== undefined && file.startsWith(policyDir + path.sep);
        // The pack's own: in its directory but not its node_modules (a pack may be installed in a node_modules),
        // or anywhere outside a node_modules.
        const inPack =
            file.startsWith(packDir + path.sep) &&
            !path.relative(packDir, file).split(path.sep).includes("node_modules");
        const ownModule = !hostModules.has(file) && (inPack || !file.split(path.sep).includes("node_modules"));
        if (policyModule || ownModule) {
            delete require.cache[file];
        }
    }
}

let loaded = 0;
stacks.forEach(({ stack, env }, i) => {
    if (i > 0) {
        forgetPackModules();
    }
    setStackEnv(env);
    const record = { stack, line: "", served: false };
    const load = () =>
        current.run(record, () =>
            sdkState && global.asyncLocalStorage
                ? global.asyncLocalStorage.run(new sdkState.LocalStore(), () => require(entry))
                : require(entry),
        );
    if (i === stacks.length - 1 && loaded === 0) {
        // Nothing served and nothing left to load: the host has no reason to live, and Node's own report and
        // exit 1 say what a pack process of its own would.
        load();
        loaded++;
        return;
    }
    try {
        load();
        loaded++;
    } catch (e) {
        send({ stack, error: errorReport(e) });
    }
});
