/**
 * The command line of `npm run redis:check` (bin redis-stack-redis-check): flags, usage, and the exit status
 * of each outcome (REDIS_CHECK_EXIT_CODES). main() runs one check and returns the exit status.
 */
import * as fs from "fs";
import { type FlagSpec, argTokens } from "../command-line";
import { systemCa } from "./connection";
import { type FailureKind, REDIS_CHECK_EXIT_CODES, RedisCheckError } from "./failures";
import { formatRedisCheckReport, redirectLine } from "./report";
import { runRedisCheck } from "./run";
import { readStackOutputs } from "./stack-outputs";
import { maskSecrets } from "../../policy/shared";
import { authTokenHint, parseIntSetting, parsePort, resolveTarget, type Target } from "./target";

export interface RedisCheckArgs {
    readonly host?: string;
    readonly port?: number;
    readonly tls: boolean;
    readonly ca?: string;
    /** ACL user to AUTH as (ElastiCache RBAC); the password still comes from REDISCLI_AUTH. */
    readonly user?: string;
    readonly keys: number;
    readonly json: boolean;
    readonly stack?: string;
    readonly timeoutSec: number;
    readonly failoverWaitSec: number;
    readonly batch: number;
    readonly pipelines: number;
    readonly help: boolean;
}

export const REDIS_CHECK_DEFAULTS = {
    keys: 300,
    timeoutSec: 5,
    failoverWaitSec: 30,
    batch: 500,
    pipelines: 2,
} as const;

const D = REDIS_CHECK_DEFAULTS;
const X = REDIS_CHECK_EXIT_CODES;

export const REDIS_CHECK_USAGE = `usage: npm run redis:check -- [--host H] [--port P] [--tls] [--ca FILE] [--user NAME] [--keys N]
                             [--json] [--stack S] [--timeout SEC] [--failover-wait SEC] [--batch N] [--pipelines N]
  --host H             endpoint: the configuration endpoint (cluster mode) or primary endpoint
  --port P             port (default 6379)
  --tls                use TLS (system CAs unless --ca); implied when the endpoint comes from stack outputs
  --ca FILE            PEM CA bundle to trust instead of the system CAs (implies --tls)
  --user NAME          ACL user to authenticate as (ElastiCache RBAC), as redis-cli --user; password from REDISCLI_AUTH
  --keys N             keys to write, read back and delete, spread over every shard (default ${D.keys})
  --json               print one JSON report instead of text
  --stack S            Pulumi stack whose outputs name the endpoint (default: the selected stack)
  --timeout SEC        bound on connecting (name, TCP, TLS, AUTH together) and on each command (default ${D.timeoutSec})
  --failover-wait SEC  how long writes are retried while a shard fails over (default ${D.failoverWaitSec})
  --batch N            commands per pipeline (default ${D.batch})
  --pipelines N        pipelines in flight per shard (default ${D.pipelines})
The AUTH token is read from REDISCLI_AUTH (as redis-cli does), never from a flag.
With no --host: the stack outputs redisEndpoint/redisPort (when the pulumi CLI is on PATH), else REDIS_HOST/REDIS_PORT.
Every key written expires on its own (a run killed with SIGKILL leaves nothing permanent).
Exit status: 0 ok; 1 data lost, cleanup incomplete or another failure; ${X.usage} usage; ${X.dns} name not resolved;
${X.refused} refused, unreachable or timed out; ${X.tls} TLS; ${X.auth} authentication; ${X["cluster-down"]} cluster down; ${X.replica} the endpoint is a replica; ${X.interrupted} interrupted.`;

/** The flags that take a value, in the order a usage error lists them: adding one is one entry. */
const VALUE_FLAGS = ["host", "port", "ca", "user", "keys", "stack", "timeout", "failover-wait", "batch", "pipelines"];
/** The flags that take no value, with their one-letter aliases. */
const SWITCHES: Readonly<Record<string, { readonly short?: string }>> = { tls: {}, json: {}, help: { short: "h" } };

const FLAG_SPECS: Record<string, FlagSpec> = {
    ...Object.fromEntries(VALUE_FLAGS.map((name) => [name, { type: "string" } as const])),
    ...Object.fromEntries(
        Object.entries(SWITCHES).map(([name, s]) => [name, { type: "boolean", short: s.short } as const]),
    ),
};
const ALLOWED = [
    ...VALUE_FLAGS.map((f) => `--${f}`),
    ...Object.entries(SWITCHES).flatMap(([name, s]) => [`--${name}`, ...(s.short ? [`-${s.short}`] : [])]),
].join(", ");
/** redis-cli's password flags in every form getopt and Node accept: `-a`, `-aPASS`, `--pass`, `--auth=PASS`... */
const PASSWORD_FLAG = /^(-a|--(?:pass|password|auth|askpass))(?:$|=|(?<=^-a).)/;

function usageError(message: string): RedisCheckError {
    return new RedisCheckError("usage", message);
}

function unknownArgument(arg: string): RedisCheckError {
    return usageError(`unknown argument '${arg}' (allowed: ${ALLOWED})`);
}

/** Parses argv (without node and script); throws RedisCheckError (kind "usage") naming the flag and the bad value. */
export function parseRedisCheckArgs(argv: readonly string[]): RedisCheckArgs {
    const values = new Map<string, string>();
    const bools = new Set<string>();
    for (const token of argTokens(argv, FLAG_SPECS)) {
        if (token.kind === "unknown") {
            const arg = token.arg;
            const password = PASSWORD_FLAG.exec(arg);
            if (password) {
                // Named without its value, whatever the form (`-a PASS`, `-aPASS`, `-a=PASS`, `--auth=PASS`).
                throw usageError(
                    `${password[1]}: the AUTH token is never a flag (it would show in ps and shell history); set REDISCLI_AUTH`,
                );
            }
            // An unknown `--flag=value` is named without its value: the value may be a password.
            const eq = arg.indexOf("=");
            throw unknownArgument(arg.startsWith("--") && eq > 0 ? `${arg.slice(0, eq)}=...` : arg);
        }
        const name = `--${token.name}`;
        if (!VALUE_FLAGS.includes(token.name)) {
            // A switch: `--tls=x` is not one of the flags as typed.
            if (token.inline) throw unknownArgument(`${token.flag}=...`);
            bools.add(token.flag === "-h" ? "--help" : name);
            continue;
        }
        const value = token.value;
        if (value === undefined || (!token.inline && value.startsWith("--") && value.length > 2)) {
            throw usageError(`${name} needs a value`);
        }
        if (values.has(name)) throw usageError(`${name} given twice`);
        values.set(name, value);
    }
    const host = values.get("--host");
    if (host !== undefined && (host.trim() === "" || /\s/.test(host))) {
        throw usageError(`--host must be a host name or IP address, got '${host}'`);
    }
    const ca = values.get("--ca");
    if (ca !== undefined && ca === "") throw usageError("--ca must name a PEM file, got ''");
    const user = values.get("--user");
    if (user !== undefined && (user === "" || /\s/.test(user))) {
        throw usageError(`--user must be an ACL user name without spaces, got '${user}'`);
    }
    const num = (flag: string, def: number, min: number, max: number): number => {
        const raw = values.get(flag);
        return raw === undefined ? def : parseIntSetting(flag, raw, min, max);
    };
    const portRaw = values.get("--port");
    return {
        host,
        port: portRaw === undefined ? undefined : parsePort("--port", portRaw),
        tls: bools.has("--tls") || ca !== undefined,
        ca,
        user,
        keys: num("--keys", D.keys, 1, 10_000_000),
        json: bools.has("--json"),
        stack: values.get("--stack"),
        timeoutSec: num("--timeout", D.timeoutSec, 1, 300),
        failoverWaitSec: num("--failover-wait", D.failoverWaitSec, 0, 600),
        batch: num("--batch", D.batch, 1, 100_000),
        pipelines: num("--pipelines", D.pipelines, 1, 64),
        help: bools.has("--help"),
    };
}

/** The CAs to trust and how the first line describes them. */
function trustFor(args: RedisCheckArgs, target: Target): { ca?: Buffer | string[]; trust: string } {
    if (args.ca !== undefined) {
        let ca: Buffer;
        try {
            ca = fs.readFileSync(args.ca);
        } catch (e) {
            throw usageError(
                `--ca ${args.ca}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
            );
        }
        if (!ca.toString("utf8").includes("-----BEGIN CERTIFICATE-----")) {
            throw usageError(`--ca ${args.ca}: not a PEM certificate file (no BEGIN CERTIFICATE)`);
        }
        return { ca, trust: `, trusting ${args.ca}` };
    }
    if (!target.tls) return { trust: "" };
    const system = systemCa();
    return {
        ca: system.ca,
        trust: `, trusting the system CAs (${system.file ?? "no system bundle found"}) and Node's bundled roots`,
    };
}

/** The AUTH token (and any argument that carries one) masked in everything printed (maskSecrets). */
let secrets: string[] = [];
const masked = (text: string): string => maskSecrets(text, secrets);

function failed(kind: FailureKind, reason: string): number {
    process.stderr.write(`redis-check: ${masked(reason)}\n`);
    return REDIS_CHECK_EXIT_CODES[kind];
}

/** Runs `npm run redis:check` with argv (without node and script); resolves to the exit status. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    let args: RedisCheckArgs;
    let target: Target;
    let tokenParameter: string | undefined;
    let trust: { ca?: Buffer | string[]; trust: string };
    const password = env.REDISCLI_AUTH === "" ? undefined : env.REDISCLI_AUTH;
    secrets = password === undefined ? [] : [password];
    try {
        args = parseRedisCheckArgs(argv);
    } catch (e) {
        if (e instanceof RedisCheckError) return failed(e.kind, `${e.message} (see --help)`);
        throw e;
    }
    if (args.help) {
        process.stdout.write(`${REDIS_CHECK_USAGE}\n`);
        return 0;
    }
    try {
        if (args.user !== undefined && password === undefined) {
            throw usageError(`--user ${args.user}: set the user's password in REDISCLI_AUTH`);
        }
        const stack =
            args.host === undefined ? readStackOutputs(args.stack, args.timeoutSec * 1000 * 4, env) : undefined;
        target = resolveTarget(args, env, stack?.outputs, stack && !stack.outputs ? stack.problem : undefined);
        if (target.source === "stack outputs") tokenParameter = stack?.outputs?.authTokenParameter;
        trust = trustFor(args, target);
    } catch (e) {
        if (e instanceof RedisCheckError) return failed(e.kind, e.message);
        throw e;
    }
    const text = !args.json;
    const as = args.user === undefined ? "" : ` as user ${args.user}`;
    if (text)
        process.stdout.write(`redis-check: ${target.host}:${target.port}${as} (from ${target.source})${trust.trust}\n`);
    // First Ctrl-C: stop writing and clean up what was written; a second one exits at once.
    const interrupt = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
        if (interrupt.signal.aborted) process.exit(REDIS_CHECK_EXIT_CODES.interrupted);
        process.stderr.write(
            `redis-check: ${signal}: stopping, deleting the keys written so far (again to quit now)\n`,
        );
        interrupt.abort();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
        const report = await runRedisCheck(
            {
                host: target.host,
                port: target.port,
                tls: target.tls,
                ca: trust.ca,
                timeoutMs: args.timeoutSec * 1000,
                user: args.user,
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
                    if (env.REDIS_CHECK_PROGRESS === "1") process.stderr.write(`progress ${phase} ${done}/${total}\n`);
                },
            },
        );
        if (args.json) process.stdout.write(`${masked(JSON.stringify(report, null, 2))}\n`);
        else for (const line of formatRedisCheckReport(report)) process.stdout.write(`${masked(line)}\n`);
        if (!report.ok) {
            const kind = (report.failure?.kind as FailureKind | undefined) ?? "error";
            return failed(
                kind,
                (report.failure?.reason ?? "failed") + (kind === "auth" ? authTokenHint(tokenParameter) : ""),
            );
        }
        if (report.cleanupProblem) return failed("error", report.cleanupProblem);
        return 0;
    } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
    }
}
