// Renders the bastion's user-data: infra/bastion/install-redis-cli.sh with its settings prepended as
// single-quoted shell assignments, and infra/bastion/redis-connect.sh embedded the same way. Values are
// never spliced into commands, so no input can change what the script runs. The values come validated from
// the config layer (infra/config/redis-cli.ts: version, URL, hash, each reported with its key among all other
// problems); the renderer judges none of them again, so that a rule has one place.
import { readFileSync } from "fs";
import * as path from "path";

export interface RedisCliInstallOptions {
    /** Redis release whose redis-cli is built, e.g. "7.2.15". */
    readonly version: string;
    /** URL of the source tarball (https:// from the config layer; tests serve it on http://127.0.0.1). */
    readonly sourceUrl: string;
    /** Lower-case hex SHA-256 of the tarball. */
    readonly sha256: string;
    /** SSM parameter (String) whose value is "<host>:<port>" of the cache endpoint to connect to. */
    readonly endpointParameterName: string;
    /** SSM parameter (SecureString) holding the AUTH token (token mode). */
    readonly authTokenParameterName: string;
    /** How redis-connect authenticates; token when absent. */
    readonly authMode?: "token" | "iam";
    /** IAM mode: the ElastiCache user redis-connect signs its token for and authenticates as. */
    readonly redisUserId?: string;
    /** IAM mode: SSM parameter (String) holding the replication group ID, the cache name of the token. */
    readonly cacheNameParameterName?: string;
}

/** EC2 rejects user-data larger than 16 KB (before base64). */
export const EC2_USER_DATA_MAX_BYTES = 16384;

const SHEBANG = "#!/bin/bash\n";

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

/**
 * The redis-connect helper with its settings assigned at the top: the SSM parameter names, and in iam mode the
 * user, the cache-name parameter and the token signer (infra/bastion/iam-auth-token.py, run with python3 -c).
 * Token mode assigns what it always did.
 */
export function renderRedisConnect(
    options: Pick<
        RedisCliInstallOptions,
        "endpointParameterName" | "authTokenParameterName" | "authMode" | "redisUserId" | "cacheNameParameterName"
    >,
): string {
    // EC2's 16 KB leaves no room for the script's comments (they stay in the repository's file).
    if (options.authMode !== "iam") {
        return withSettings(withoutComments(template("redis-connect.sh")), [
            ["DEFAULT_ENDPOINT_PARAMETER", options.endpointParameterName],
            ["DEFAULT_AUTH_PARAMETER", options.authTokenParameterName],
        ]);
    }
    if (options.redisUserId === undefined || options.cacheNameParameterName === undefined) {
        throw new Error("renderRedisConnect: iam mode needs redisUserId and cacheNameParameterName");
    }
    return withSettings(withoutComments(template("redis-connect.sh")), [
        ["DEFAULT_ENDPOINT_PARAMETER", options.endpointParameterName],
        ["DEFAULT_AUTH_MODE", "iam"],
        ["DEFAULT_USER", options.redisUserId],
        ["DEFAULT_CACHE_NAME_PARAMETER", options.cacheNameParameterName],
        ["IAM_AUTH_TOKEN_SIGNER", iamAuthTokenSigner()],
    ]);
}

/** The token signer's Python source (test/bastion/iam-auth-token.test.ts runs it against known answers). */
export function iamAuthTokenSigner(): string {
    return withoutComments(readFileSync(path.join(__dirname, "iam-auth-token.py"), "utf8"));
}

/**
 * A script without its full-line comments and blank lines (the first line, a shebang, stays). Only for scripts
 * with no heredocs or multi-line strings, where a line starting with # is always a comment.
 */
export function withoutComments(script: string): string {
    const [first, ...rest] = script.split("\n");
    return [first, ...rest.filter((line) => line.trim() !== "" && !/^\s*#/.test(line))].join("\n") + "\n";
}

/** The complete user-data (a bash script). It holds no secrets: the AUTH token stays in SSM, IAM needs none. */
export function renderUserData(options: RedisCliInstallOptions): string {
    // Iam mode embeds the token signer too: EC2's 16 KB then leaves no room for the scripts' comments (they stay
    // in the repository's files), so that a source URL of REDIS_CLI_SOURCE_URL_MAX_LENGTH still fits.
    const install = template("install-redis-cli.sh");
    const userData = withSettings(
        options.authMode === "iam" ? withoutComments(install) : install,
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
