// The ElastiCache AUTH token rule, one source for the config layer (`redisAuthToken`), the program's generated
// token (random.RandomPassword's `overrideSpecial`) and the pack (`elasticache-auth-required`). Source:
// https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html ("Authenticating with the Valkey and Redis
// OSS AUTH command": 16 to 128 printable characters; the only non-alphanumeric characters allowed are these).
// The provider's own, looser Check (excluding only @, " and /) is emulated in scripts/offline-check/provider-check.

/** The non-alphanumeric characters an AUTH token may contain. */
export const AUTH_TOKEN_SPECIAL_CHARACTERS = "!&#$^<>-";
export const AUTH_TOKEN_MIN_LENGTH = 16;
export const AUTH_TOKEN_MAX_LENGTH = 128;

/** The distinct characters of `token` that AWS refuses in an AUTH token (none in a valid one). */
export function authTokenRefusedCharacters(token: string): string[] {
    return [...new Set([...token].filter((c) => !/[A-Za-z0-9]/.test(c) && !AUTH_TOKEN_SPECIAL_CHARACTERS.includes(c)))];
}

/** AWS's AUTH token rules. Returns a problem (never containing the token itself), or undefined. */
export function authTokenProblem(token: string): string | undefined {
    if (token.length < AUTH_TOKEN_MIN_LENGTH || token.length > AUTH_TOKEN_MAX_LENGTH) {
        return `it has ${token.length} characters; AWS requires ${AUTH_TOKEN_MIN_LENGTH} to ${AUTH_TOKEN_MAX_LENGTH}`;
    }
    const bad = authTokenRefusedCharacters(token);
    if (bad.length > 0) {
        return `it contains ${bad.length} character(s) AWS refuses (allowed: letters, digits and ${[...AUTH_TOKEN_SPECIAL_CHARACTERS].join(" ")})`;
    }
    return undefined;
}
