/** Where `npm run redis:check` connects: flags, then stack outputs, then REDIS_HOST/REDIS_PORT. Pure: no I/O. */
import { RedisCheckError } from "./failures";
import { type StackOutputs } from "./stack-outputs";

export interface Target {
    readonly host: string;
    readonly port: number;
    readonly tls: boolean;
    /** Where host and port came from, for the report. */
    readonly source: "flags" | "stack outputs" | "environment";
}

/** What resolveTarget needs from the command line. */
export interface TargetArgs {
    readonly host?: string;
    readonly port?: number;
    readonly tls: boolean;
}

/** An integer flag or variable in min..max; a RedisCheckError (usage) naming it and the bad value otherwise. */
export function parseIntSetting(name: string, raw: string, min: number, max: number): number {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
        throw new RedisCheckError("usage", `${name} must be an integer in ${min}..${max}, got '${raw}'`);
    }
    return n;
}

export function parsePort(name: string, raw: string): number {
    return parseIntSetting(name, raw, 1, 65535);
}

/**
 * Flags win, then stack outputs, then REDIS_HOST/REDIS_PORT. An endpoint from stack outputs implies
 * TLS: the stack always sets an AUTH token, which ElastiCache only allows with transit encryption.
 */
export function resolveTarget(
    args: TargetArgs,
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
    throw new RedisCheckError(
        "usage",
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
