// The one masking function every message path uses (issue #20): whatever a message quotes (a config value, a
// provider's failure reason, a YAML error's snippet, a command-line argument), a secret in it is shown as
// "[secret]". Masking happens where a message is finished, not where each value is quoted, so a new wording of a
// message (or a new message) cannot bring a secret back.

/** What a masked secret reads as, in every output (messages and reports alike). */
export const SECRET_MASK = "[secret]";

/**
 * A URL's userinfo (`scheme://user:password@`): everything from `//` to the last `@` before the URL ends (white
 * space or a quote), so a password holding `/`, `:` or `@` is masked whole. A path holding `@` is masked too:
 * better a host hidden than a password shown.
 */
const URL_USERINFO = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s'"`<>]*@/g;

/** Each secret as it may be quoted: as is, and JSON-quoted (messages show strings with JSON.stringify). */
function quotedForms(secret: string): string[] {
    const json = JSON.stringify(secret).slice(1, -1);
    return json === secret ? [secret] : [secret, json];
}

/**
 * `text` with every URL userinfo and every occurrence of a `secrets` value replaced by "[secret]". Longer secrets
 * are masked first, so a secret that contains another is masked whole; empty strings mask nothing.
 */
export function maskSecrets(text: string, secrets: Iterable<string> = []): string {
    let masked = text.replace(URL_USERINFO, `$1${SECRET_MASK}@`);
    const forms = [...new Set([...secrets].filter((s) => s !== "").flatMap(quotedForms))].sort(
        (a, b) => b.length - a.length,
    );
    for (const form of forms) {
        masked = masked.split(form).join(SECRET_MASK);
    }
    return masked;
}
