/** Command-line parsing and endpoint resolution for `npm run redis:check`. Pure: no I/O. */
import { type StackOutputs } from "./stack-outputs";

export class UsageError extends Error {}

export interface CliArgs {
    readonly host?: string;
    readonly port?: number;
    readonly tls: boolean;
    readonly ca?: string;
    readonly keys: number;
    readonly json: boolean;
    readonly stack?: string;
    readonly timeoutSec: number;
    readonly failoverWaitSec: number;
    readonly batch: number;
    readonly pipelines: number;
    readonly help: boolean;
}

export const DEFAULTS = { keys: 300, timeoutSec: 5, failoverWaitSec: 30, batch: 500, pipelines: 2 } as const;

export const USAGE = `usage: npm run redis:check -- [--host H] [--port P] [--tls] [--ca FILE] [--keys N] [--json]
                             [--stack S] [--timeout SEC] [--failover-wait SEC] [--batch N] [--pipelines N]
  --host H             endpoint: the configuration endpoint (cluster mode) or primary endpoint
  --port P             port (default 6379)
  --tls                use TLS (system CAs unless --ca); implied when the endpoint comes from stack outputs
  --ca FILE            PEM CA bundle to trust instead of the system CAs (implies --tls)
  --keys N             keys to write, read back and delete, spread over every shard (default ${DEFAULTS.keys})
  --json               print one JSON report instead of text
  --stack S            Pulumi stack whose outputs name the endpoint (default: the selected stack)
  --timeout SEC        bound on each connect and command (default ${DEFAULTS.timeoutSec})
  --failover-wait SEC  how long writes are retried while a shard fails over (default ${DEFAULTS.failoverWaitSec})
  --batch N            commands per pipeline (default ${DEFAULTS.batch})
  --pipelines N        pipelines in flight per shard (default ${DEFAULTS.pipelines})
The AUTH token is read from REDISCLI_AUTH (as redis-cli does), never from a flag.
With no --host: the stack outputs redisEndpoint/redisPort (when the pulumi CLI is on PATH), else REDIS_HOST/REDIS_PORT.`;

const VALUE_FLAGS = [
    "--host",
    "--port",
    "--ca",
    "--keys",
    "--stack",
    "--timeout",
    "--failover-wait",
    "--batch",
    "--pipelines",
];
const BOOL_FLAGS = ["--tls", "--json", "--help", "-h"];

function parseIntFlag(flag: string, raw: string, min: number, max: number): number {
    if (!/^\d+$/.test(raw)) throw new UsageError(`${flag} must be an integer in ${min}..${max}, got '${raw}'`);
    const n = Number(raw);
    if (n < min || n > max) throw new UsageError(`${flag} must be an integer in ${min}..${max}, got '${raw}'`);
    return n;
}

export function parsePort(flag: string, raw: string): number {
    return parseIntFlag(flag, raw, 1, 65535);
}

export function parseArgs(argv: readonly string[]): CliArgs {
    const values = new Map<string, string>();
    const bools = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const eq = arg.indexOf("=");
        const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
        if (VALUE_FLAGS.includes(name)) {
            let value: string | undefined;
            if (name !== arg) value = arg.slice(eq + 1);
            else {
                value = argv[i + 1];
                if (value === undefined || (value.startsWith("--") && value.length > 2)) {
                    throw new UsageError(`${name} needs a value`);
                }
                i++;
            }
            if (values.has(name)) throw new UsageError(`${name} given twice`);
            values.set(name, value);
        } else if (BOOL_FLAGS.includes(arg)) {
            bools.add(arg);
        } else if (arg === "--password" || arg === "-a" || arg.startsWith("--password=") || arg === "--auth") {
            throw new UsageError(
                `${name}: the AUTH token is never a flag (it would show in ps and shell history); set REDISCLI_AUTH`,
            );
        } else {
            throw new UsageError(`unknown argument '${arg}' (allowed: ${[...VALUE_FLAGS, ...BOOL_FLAGS].join(", ")})`);
        }
    }
    const host = values.get("--host");
    if (host !== undefined && (host.trim() === "" || /\s/.test(host))) {
        throw new UsageError(`--host must be a host name or IP address, got '${host}'`);
    }
    const ca = values.get("--ca");
    if (ca !== undefined && ca === "") throw new UsageError("--ca must name a PEM file, got ''");
    const num = (flag: string, def: number, min: number, max: number): number => {
        const raw = values.get(flag);
        return raw === undefined ? def : parseIntFlag(flag, raw, min, max);
    };
    const portRaw = values.get("--port");
    return {
        host,
        port: portRaw === undefined ? undefined : parsePort("--port", portRaw),
        tls: bools.has("--tls") || ca !== undefined,
        ca,
        keys: num("--keys", DEFAULTS.keys, 1, 10_000_000),
        json: bools.has("--json"),
        stack: values.get("--stack"),
        timeoutSec: num("--timeout", DEFAULTS.timeoutSec, 1, 300),
        failoverWaitSec: num("--failover-wait", DEFAULTS.failoverWaitSec, 0, 600),
        batch: num("--batch", DEFAULTS.batch, 1, 100_000),
        pipelines: num("--pipelines", DEFAULTS.pipelines, 1, 64),
        help: bools.has("--help") || bools.has("-h"),
    };
}

export interface Target {
    readonly host: string;
    readonly port: number;
    readonly tls: boolean;
    /** Where host and port came from, for the report. */
    readonly source: "flags" | "stack outputs" | "environment";
}

/**
 * Flags win, then stack outputs, then REDIS_HOST/REDIS_PORT. An endpoint from stack outputs implies
 * TLS: the stack always sets an AUTH token, which ElastiCache only allows with transit encryption.
 */
export function resolveTarget(
    args: CliArgs,
    env: Readonly<Record<string, string | undefined>>,
    stack: StackOutputs | undefined,
    stackProblem?: string,
): Target {
    if (args.host !== undefined) {
        return { host: args.host, port: args.port ?? 6379, tls: args.tls, source: "flags" };
    }
    if (stack !== undefined) {
        return { host: stack.endpoint, port: args.port ?? stack.port, tls: true, source: "stack outputs" };
    }
    const envHost = env.REDIS_HOST;
    if (envHost !== undefined && envHost.trim() !== "") {
        const envPort = env.REDIS_PORT;
        const port = args.port ?? (envPort === undefined || envPort === "" ? 6379 : parsePort("REDIS_PORT", envPort));
        return { host: envHost.trim(), port, tls: args.tls, source: "environment" };
    }
    throw new UsageError(
        "no endpoint: pass --host H --port P [--tls], or set REDIS_HOST and REDIS_PORT, " +
            "or run where the pulumi CLI can read this stack's outputs (redisEndpoint, redisPort)" +
            (stackProblem ? ` (stack outputs: ${stackProblem})` : ""),
    );
}

/** Where to get the token when the endpoint came from stack outputs and AUTH failed. */
export function authTokenHint(parameter: string | undefined): string {
    if (parameter === undefined || parameter === "") return "";
    return `; the token is in SSM parameter ${parameter}: export REDISCLI_AUTH="$(aws ssm get-parameter --name ${parameter} --with-decryption --query Parameter.Value --output text)"`;
}
