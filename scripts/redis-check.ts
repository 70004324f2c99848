/**
 * npm run redis:check -- --host H --port P [--tls] [--ca FILE] [--keys N] [--json]
 * The tutorial's last step (redis-cli -c against the endpoint) as a program; see scripts/redis-check/.
 */
import * as fs from "fs";
import { authTokenHint, parseArgs, resolveTarget, UsageError, USAGE } from "./redis-check/args";
import { runCheck } from "./redis-check/check";
import { EXIT_CODES, type FailureKind } from "./redis-check/errors";
import { formatReport, redirectLine } from "./redis-check/format";
import { systemCa } from "./redis-check/connection";
import { readStackOutputs } from "./redis-check/stack-outputs";

function fail(kind: FailureKind, reason: string): never {
    process.stderr.write(`redis-check: ${reason}\n`);
    process.exit(EXIT_CODES[kind]);
}

async function main(): Promise<void> {
    let args;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (e) {
        if (e instanceof UsageError) fail("usage", `${e.message} (see --help)`);
        throw e;
    }
    if (args.help) {
        process.stdout.write(`${USAGE}\n`);
        return;
    }
    let target;
    let tokenParameter: string | undefined;
    try {
        const stack = args.host === undefined ? readStackOutputs(args.stack, args.timeoutSec * 1000 * 4) : undefined;
        target = resolveTarget(args, process.env, stack?.outputs, stack && !stack.outputs ? stack.problem : undefined);
        if (target.source === "stack outputs") tokenParameter = stack?.outputs?.authTokenParameter;
    } catch (e) {
        if (e instanceof UsageError) fail("usage", e.message);
        throw e;
    }
    let ca: Buffer | string[] | undefined;
    let trust = "";
    if (args.ca !== undefined) {
        trust = `, trusting ${args.ca}`;
        try {
            ca = fs.readFileSync(args.ca);
        } catch (e) {
            fail(
                "usage",
                `--ca ${args.ca}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
            );
        }
        if (!ca.toString("utf8").includes("-----BEGIN CERTIFICATE-----")) {
            fail("usage", `--ca ${args.ca}: not a PEM certificate file (no BEGIN CERTIFICATE)`);
        }
    } else if (target.tls) {
        const system = systemCa();
        ca = system.ca;
        trust = `, trusting the system CAs (${system.file ?? "no system bundle found"}) and Node's bundled roots`;
    }
    const password = process.env.REDISCLI_AUTH === "" ? undefined : process.env.REDISCLI_AUTH;
    const text = !args.json;
    if (text) process.stdout.write(`redis-check: ${target.host}:${target.port} (from ${target.source})${trust}\n`);
    // First Ctrl-C: stop writing and clean up what was written; a second one exits at once.
    const interrupt = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
        if (interrupt.signal.aborted) process.exit(130);
        process.stderr.write(
            `redis-check: ${signal}: stopping, deleting the keys written so far (again to quit now)\n`,
        );
        interrupt.abort();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    const report = await runCheck(
        {
            host: target.host,
            port: target.port,
            tls: target.tls,
            ca,
            timeoutMs: args.timeoutSec * 1000,
            password,
            keys: args.keys,
            batch: args.batch,
            pipelines: args.pipelines,
            signal: interrupt.signal,
            failoverWaitMs: args.failoverWaitSec * 1000,
        },
        {
            redirect: (r) => {
                if (text) process.stdout.write(`${redirectLine(r)}\n`);
            },
            progress: (phase, done, total) => {
                // Machine-readable progress on stderr (tests use it to fail a node mid-run).
                if (process.env.REDIS_CHECK_PROGRESS === "1")
                    process.stderr.write(`progress ${phase} ${done}/${total}\n`);
            },
        },
    );
    if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else for (const line of formatReport(report)) process.stdout.write(`${line}\n`);
    if (!report.ok) {
        const kind = (report.failure?.kind as FailureKind | undefined) ?? "error";
        fail(kind, (report.failure?.reason ?? "failed") + (kind === "auth" ? authTokenHint(tokenParameter) : ""));
    }
    if (report.cleanupProblem) fail("error", report.cleanupProblem);
}

main().catch((e: unknown) => fail("error", `unexpected: ${(e as Error).stack ?? String(e)}`));
