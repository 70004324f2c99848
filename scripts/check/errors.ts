/**
 * An error the user can fix (bad flag, missing Pulumi.yaml, config type error, program exception, pack that
 * does not start). The CLI prints only its message and exits with 2; a stack trace would bury the cause.
 */
export class CheckError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CheckError";
    }
}

/** Exit codes of redis-stack-check: 0 no mandatory violation, 1 at least one, 2 usage or program error. */
export const EXIT_OK = 0;
export const EXIT_MANDATORY = 1;
export const EXIT_ERROR = 2;
