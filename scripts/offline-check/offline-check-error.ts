import { escapeControl, maskSecrets } from "../../policy/shared";

/**
 * An error the user can fix (bad flag, missing Pulumi.yaml, config type error, program exception, pack that
 * does not start). The CLI prints only its message and exits with OFFLINE_CHECK_EXIT.error; a stack trace
 * would bury the cause.
 */
export class OfflineCheckError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "OfflineCheckError";
    }
}

/**
 * Exit codes of redis-stack-check (documented in the usage text and README.md): 0 no mandatory violation,
 * 1 at least one, 2 usage, config, program or pack error.
 */
export const OFFLINE_CHECK_EXIT = { ok: 0, mandatoryViolation: 1, error: 2 } as const;

/**
 * Control characters as \xNN (policy/shared escapeControl). Messages quote config files and pack output, which are
 * not ours to trust: raw, an escape sequence could rewrite the terminal or a CI log, and the message would not show
 * what the file holds.
 */
export { escapeControl };

/** The secret values of this run (secret stack config), masked in every message the CLI prints. */
const knownSecrets = new Set<string>();

/** Adds values every later message must mask (the stack's secret config values). */
export function addKnownSecrets(values: Iterable<string>): void {
    for (const v of values) {
        knownSecrets.add(v);
    }
}

/**
 * A message as the CLI prints it: URL credentials and this run's secrets masked (maskSecrets, the one masking
 * function), then control characters escaped.
 */
export function userMessage(text: string, secrets: Iterable<string> = []): string {
    return escapeControl(maskSecrets(text, [...knownSecrets, ...secrets]));
}
