// Types of precompiled-require.js (plain JavaScript: it runs before TypeScript can be loaded).
export const PRECOMPILED_FORMAT: number;
export function precompiledKeyHasher(
    tsconfig: string,
    extra?: unknown[],
): (fileName: string, source: string, variant?: string) => string;
export const registerPrecompiled: ((
    tsconfig: string,
    options?: { transpiler?: [string, { cacheDir: string }] },
) => boolean) & {
    stats: { hits: number; misses: number };
};
export function precompiledOutput(
    cache: {
        get(key: string): { outputText?: string } | undefined;
        set(key: string, entry: { outputText: string }): void;
    },
    key: string,
    fileName: string,
    source: string,
    service: () => { compile(source: string, fileName: string): string },
    stats: { hits: number; misses: number },
): string;
export function registerTypeScript(tsconfig: string, options?: { transpiler?: [string, { cacheDir: string }] }): void;
