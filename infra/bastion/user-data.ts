// Renders the bastion's user-data: infra/bastion/install-redis-cli.sh with its settings prepended as
// single-quoted shell assignments, and infra/bastion/redis-connect.sh embedded the same way. Values are
// never spliced into commands, so no input can change what the script runs; every input is validated
// anyway so that a mistake fails at `pulumi preview`, not minutes later on the instance.
import { readFileSync } from "fs";
import * as path from "path";

export interface RedisCliInstallOptions {
    /** Redis release whose redis-cli is built, e.g. "7.2.15". */
    readonly version: string;
    /** HTTPS (or, for tests, http://127.0.0.1) URL of the source tarball. */
    readonly sourceUrl: string;
    /** Lower-case hex SHA-256 of the tarball. */
    readonly sha256: string;
    /** SSM parameter (String) whose value is "<host>:<port>" of the cache endpoint to connect to. */
    readonly endpointParameterName: string;
    /** SSM parameter (SecureString) holding the AUTH token. */
    readonly authTokenParameterName: string;
}

export const DEFAULT_REDIS_CLI_VERSION = "7.2.15";
/** From redis/redis-hashes: `redis-7.2.15.tar.gz sha256 7bf79753...`. */
export const DEFAULT_REDIS_CLI_SHA256 = "7bf7975331511fdb788e85dae63964b128fccee1df026a10db57444babc9c9c4";

/** EC2 rejects user-data larger than 16 KB (before base64). */
export const EC2_USER_DATA_MAX_BYTES = 16384;

const SHEBANG = "#!/bin/bash\n";
const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/;
const SSM_NAME_MAX_LENGTH = 1011;
const SSM_MAX_DEPTH = 15;

export function defaultRedisCliSourceUrl(version: string): string {
    checkVersion("version", version);
    return `https://download.redis.io/releases/redis-${version}.tar.gz`;
}

/**
 * Quotes a value for bash so that it is always one literal word: single quotes, with each embedded
 * single quote written as '\''. NUL cannot be represented in a shell word, so it is rejected.
 */
export function shellQuote(value: string): string {
    if (value.includes("\0")) {
        throw new Error(
            `shellQuote: ${JSON.stringify(value)} contains a NUL character, which a shell word cannot hold`,
        );
    }
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Throws an Error naming the first invalid field, its value and what is allowed. */
export function validateRedisCliInstallOptions(options: RedisCliInstallOptions): void {
    checkVersion("version", options.version);
    checkSourceUrl("sourceUrl", options.sourceUrl);
    checkSha256("sha256", options.sha256);
    checkSsmParameterName("endpointParameterName", options.endpointParameterName);
    checkSsmParameterName("authTokenParameterName", options.authTokenParameterName);
    if (options.endpointParameterName === options.authTokenParameterName) {
        throw new Error(
            `RedisCliInstallOptions.authTokenParameterName: ${JSON.stringify(options.authTokenParameterName)} is also ` +
                `the endpointParameterName; the AUTH token needs its own (SecureString) parameter`,
        );
    }
}

/** The redis-connect helper with its SSM parameter names assigned at the top. */
export function renderRedisConnect(
    options: Pick<RedisCliInstallOptions, "endpointParameterName" | "authTokenParameterName">,
): string {
    checkSsmParameterName("endpointParameterName", options.endpointParameterName);
    checkSsmParameterName("authTokenParameterName", options.authTokenParameterName);
    return withSettings(template("redis-connect.sh"), [
        ["DEFAULT_ENDPOINT_PARAMETER", options.endpointParameterName],
        ["DEFAULT_AUTH_PARAMETER", options.authTokenParameterName],
    ]);
}

/** The complete user-data (a bash script). It holds no secrets: the AUTH token stays in SSM. */
export function renderUserData(options: RedisCliInstallOptions): string {
    validateRedisCliInstallOptions(options);
    const userData = withSettings(
        template("install-redis-cli.sh"),
        [
            ["REDIS_CLI_VERSION", options.version],
            ["REDIS_CLI_SOURCE_URL", options.sourceUrl],
            ["REDIS_CLI_SHA256", options.sha256],
            ["REDIS_CONNECT_SCRIPT", renderRedisConnect(options)],
        ],
        "# redis-stack bastion user-data, rendered by infra/bastion/user-data.ts. No secrets in here.\n",
    );
    const bytes = Buffer.byteLength(userData, "utf8");
    if (bytes > EC2_USER_DATA_MAX_BYTES) {
        throw new Error(
            `renderUserData: the user-data is ${bytes} bytes; EC2 allows at most ${EC2_USER_DATA_MAX_BYTES}`,
        );
    }
    return userData;
}

const templates = new Map<string, string>();

function template(file: string): string {
    let text = templates.get(file);
    if (text === undefined) {
        text = readFileSync(path.join(__dirname, file), "utf8");
        if (!text.startsWith(SHEBANG) || !text.endsWith("\n")) {
            throw new Error(`${file}: a template must start with ${JSON.stringify(SHEBANG)} and end with a newline`);
        }
        templates.set(file, text);
    }
    return text;
}

function withSettings(script: string, settings: ReadonlyArray<readonly [string, string]>, header = ""): string {
    const assignments = settings
        .map(([name, value]) => {
            // A script's text is literal in its quotes; say so, or shellcheck warns about every $ in it.
            const note = value.includes("$") ? "# shellcheck disable=SC2016 # literal text, expanded by nobody\n" : "";
            return `${note}${name}=${shellQuote(value)}\n`;
        })
        .join("");
    return SHEBANG + header + assignments + script.slice(SHEBANG.length);
}

function fail(field: string, value: unknown, allowed: string): never {
    const shown = typeof value === "string" ? JSON.stringify(value) : `${String(value)} (${typeof value})`;
    throw new Error(`RedisCliInstallOptions.${field}: ${shown} is not valid; ${allowed}`);
}

function checkString(field: string, value: unknown, allowed: string): asserts value is string {
    if (typeof value !== "string" || value.length === 0) fail(field, value, allowed);
}

function checkVersion(field: string, value: unknown): void {
    const allowed = 'expected a Redis release as MAJOR.MINOR.PATCH digits, e.g. "7.2.15"';
    checkString(field, value, allowed);
    if (!/^\d{1,4}\.\d{1,4}\.\d{1,4}$/.test(value)) fail(field, value, allowed);
}

function checkSha256(field: string, value: unknown): void {
    const allowed = "expected the tarball's SHA-256 as 64 lower-case hex digits (as in redis/redis-hashes)";
    checkString(field, value, allowed);
    if (!/^[0-9a-f]{64}$/.test(value)) fail(field, value, allowed);
}

function checkSourceUrl(field: string, value: unknown): void {
    const allowed =
        "expected an https:// URL of the source tarball (plain http:// only on a loopback host: 127.0.0.1, localhost, [::1])";
    checkString(field, value, allowed);
    if (!/^[\x21-\x7e]+$/.test(value)) fail(field, value, "it may hold only printable ASCII without blanks");
    if (value.includes("@")) fail(field, value, "it must not contain '@': credentials never go into user-data");
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return fail(field, value, allowed);
    }
    const https = value.startsWith("https://") && url.protocol === "https:" && url.hostname !== "";
    const loopback = LOOPBACK_HTTP.test(value) && url.protocol === "http:";
    if (!https && !loopback) fail(field, value, allowed);
}

function checkSsmParameterName(field: string, value: unknown): void {
    const allowed =
        "expected an SSM parameter name: letters, digits and _.-/ only, at most 1011 characters, " +
        'a hierarchy starts with "/" and has at most 15 levels, and no name starts with "aws" or "ssm"';
    checkString(field, value, allowed);
    if (value.length > SSM_NAME_MAX_LENGTH || !/^[A-Za-z0-9_.\-/]+$/.test(value)) fail(field, value, allowed);
    const segments = value.startsWith("/") ? value.slice(1).split("/") : value.split("/");
    if (value.includes("/") && !value.startsWith("/")) fail(field, value, allowed);
    if (segments.some((s) => s === "") || segments.length > SSM_MAX_DEPTH) fail(field, value, allowed);
    if (/^(aws|ssm)/i.test(segments[0])) fail(field, value, allowed);
}
