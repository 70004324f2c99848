/**
 * Failure kinds of `npm run redis:check`, their exit codes (documented in README.md here), and turning
 * Node/ioredis/Redis errors into one-line reasons.
 */

export type FailureKind =
    | "usage"
    | "dns"
    | "refused"
    | "timeout"
    | "tls"
    | "auth"
    | "cluster-down"
    | "replica"
    | "data"
    | "interrupted"
    | "error";

export const REDIS_CHECK_EXIT_CODES: Readonly<Record<FailureKind, number>> = {
    data: 1,
    error: 1,
    usage: 2,
    dns: 3,
    refused: 4,
    timeout: 4,
    tls: 5,
    auth: 6,
    "cluster-down": 7,
    replica: 8,
    interrupted: 130,
};

/** A failure of the connectivity check (or of its command line, kind "usage"): one line, one exit code. */
export class RedisCheckError extends Error {
    constructor(
        readonly kind: FailureKind,
        message: string,
    ) {
        super(message);
    }
}

const CERT_CODES = new Set([
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_UNTRUSTED",
    "CERT_REJECTED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
]);

interface ErrorLike {
    message?: unknown;
    code?: unknown;
}

function fields(err: unknown): { message: string; code: string } {
    if (typeof err === "object" && err !== null) {
        const e = err as ErrorLike;
        return { message: String(e.message ?? ""), code: typeof e.code === "string" ? e.code : "" };
    }
    return { message: String(err), code: "" };
}

/** A Redis error reply (from the probe or ioredis) as a failure, or undefined if it is not one we know. */
export function classifyReply(message: string, where: string, user?: string): RedisCheckError | undefined {
    if (message.startsWith("WRONGPASS") || /invalid (username-)?password/i.test(message)) {
        // Redis gives one answer for an unknown user, a disabled one and a wrong password (no user enumeration).
        return new RedisCheckError(
            "auth",
            user === undefined
                ? `authentication to ${where} failed: wrong password (check REDISCLI_AUTH)`
                : `authentication to ${where} as user ${user} failed: no such user, user disabled or wrong password (check --user and REDISCLI_AUTH)`,
        );
    }
    if (message.startsWith("NOAUTH")) {
        return new RedisCheckError("auth", `${where} requires a password: set REDISCLI_AUTH to the AUTH token`);
    }
    if (/AUTH.*called without any password configured/i.test(message)) {
        return new RedisCheckError(
            "auth",
            `${where} has no password configured but REDISCLI_AUTH is set: unset it or check the endpoint`,
        );
    }
    if (message.startsWith("CLUSTERDOWN")) {
        return new RedisCheckError("cluster-down", `cluster at ${where} is down: ${message}`);
    }
    if (message.startsWith("READONLY")) {
        return new RedisCheckError(
            "replica",
            `${where} is a read-only replica: use the primary or configuration endpoint`,
        );
    }
    return undefined;
}

/** One line for any error from connecting or talking to `where` (host:port). */
export function classifyError(err: unknown, where: string, timeoutSec: number, user?: string): RedisCheckError {
    if (err instanceof RedisCheckError) return err;
    const { message, code } = fields(err);
    const reply = classifyReply(message, where, user);
    if (reply) return reply;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME" || code === "EAI_NODATA") {
        const host = where.slice(0, where.lastIndexOf(":"));
        return new RedisCheckError(
            "dns",
            `cannot resolve ${host} (${code}): check the host name; ElastiCache names resolve only inside the VPC`,
        );
    }
    if (code === "ECONNREFUSED") {
        return new RedisCheckError("refused", `connection refused by ${where}: nothing listens there (check --port)`);
    }
    if (code === "ERESPTIMEOUT") {
        return new RedisCheckError(
            "timeout",
            `${where} accepted the connection but sent no reply within ${timeoutSec}s (${message})`,
        );
    }
    if (code === "ETIMEDOUT" || code === "ECONNECTTIMEOUT" || /connect ETIMEDOUT|timed out/i.test(message)) {
        return new RedisCheckError(
            "timeout",
            `connecting to ${where} timed out after ${timeoutSec}s: check the security group and the network path`,
        );
    }
    if (code === "EHOSTUNREACH" || code === "ENETUNREACH") {
        return new RedisCheckError("timeout", `${where} is unreachable (${code}): check routes and the security group`);
    }
    if (CERT_CODES.has(code)) {
        const hint =
            code === "ERR_TLS_CERT_ALTNAME_INVALID"
                ? "the certificate does not name this host (connect by the endpoint name, not an IP)"
                : "the certificate is not trusted (pass --ca FILE with the issuing CA, or use the system CAs)";
        return new RedisCheckError("tls", `TLS handshake with ${where} failed: ${hint} [${code}]`);
    }
    if (
        code.startsWith("ERR_SSL_") ||
        code === "EPROTO" ||
        /SSL routines|wrong version number|handshake/i.test(message)
    ) {
        return new RedisCheckError("tls", `TLS handshake with ${where} failed: ${message.split("\n")[0]}`);
    }
    if (code === "ECONNRESET" || code === "EPIPE") {
        return new RedisCheckError("error", `${where} reset the connection (${code})`);
    }
    return new RedisCheckError("error", `${where}: ${message.split("\n")[0] || code || "unknown error"}`);
}
