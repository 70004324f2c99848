/** Bounds every wait of the check: each connect, command and batch rejects after --timeout. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
        p,
        new Promise<never>((_, reject) => {
            timer = setTimeout(
                () => reject(Object.assign(new Error(`${what} timed out after ${ms} ms`), { code: "ETIMEDOUT" })),
                ms,
            );
        }),
    ]).finally(() => clearTimeout(timer));
}
