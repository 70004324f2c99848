/**
 * The rules and defaults of the bastion's redis-cli pin (`redisCliVersion`, `redisCliSourceUrl`,
 * `redisCliSha256`). Pure. The user-data renderer (infra/bastion/user-data.ts) takes the validated values as
 * they are, so every rule for these keys lives here and is reported with its key among all other problems
 * (issue #8: a rule in two places that disagree).
 */

export const DEFAULT_REDIS_CLI_VERSION = "7.2.15";
/** From redis/redis-hashes: `redis-7.2.15.tar.gz sha256 7bf79753...`. */
export const DEFAULT_REDIS_CLI_SHA256 = "7bf7975331511fdb788e85dae63964b128fccee1df026a10db57444babc9c9c4";

/**
 * Longest source URL accepted: the URL is the only setting of unbounded length in the user-data, and EC2 refuses
 * user-data over 16 KB; 2048 is what browsers and most servers accept anyway.
 */
export const REDIS_CLI_SOURCE_URL_MAX_LENGTH = 2048;

/** download.redis.io's tarball of a release (the release must be valid, see `redisCliVersionProblem`). */
export function defaultRedisCliSourceUrl(version: string): string {
    return `https://download.redis.io/releases/redis-${version}.tar.gz`;
}

/** Redis releases are MAJOR.MINOR.PATCH; the bound keeps the value a plausible release, not a payload. */
export function redisCliVersionProblem(version: string): string | undefined {
    return /^\d{1,4}\.\d{1,4}\.\d{1,4}$/.test(version)
        ? undefined
        : "must be a Redis release such as 7.2.15 (MAJOR.MINOR.PATCH, up to 4 digits each)";
}

/**
 * An https:// URL of a tarball, in printable ASCII (the value goes into a shell script and into curl), without
 * `@`: user-data is stored in plain text in the state and readable from the instance, so credentials never go
 * into it (a URL like https://user:pw@host/ would put them there).
 */
export function redisCliSourceUrlProblem(url: string): string | undefined {
    const allowed = "must be an https:// URL of a Redis source tarball (empty for download.redis.io)";
    if (url.length > REDIS_CLI_SOURCE_URL_MAX_LENGTH) {
        return `${allowed}, at most ${REDIS_CLI_SOURCE_URL_MAX_LENGTH} characters`;
    }
    if (!/^[\x21-\x7e]+$/.test(url)) {
        return `${allowed}, in printable ASCII without blanks (percent-encode anything else)`;
    }
    if (url.includes("@")) {
        return `${allowed}, without '@': credentials never go into user-data, which is stored in plain text`;
    }
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return allowed;
    }
    const https = url.startsWith("https://") && parsed.protocol === "https:" && parsed.hostname !== "";
    return https && parsed.pathname.length > 1 ? undefined : allowed;
}

export function sha256Problem(sha256: string): string | undefined {
    return /^[0-9a-f]{64}$/.test(sha256) ? undefined : "must be 64 hexadecimal characters (a SHA-256)";
}
