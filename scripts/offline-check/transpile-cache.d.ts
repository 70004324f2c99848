// Types of transpile-cache.js (plain JavaScript: ts-node loads it before it can compile TypeScript).
import type { TranspilerModule } from "ts-node";

export const CACHE_FORMAT: number;
/** node_modules/.cache/redis-stack-check of the repository that holds the checker. */
export const DEFAULT_CACHE_DIR: string;

export interface CachedTranspile {
    outputText: string;
    sourceMapText?: string;
}

export class TranspileCache {
    constructor(dir: string, bounds?: { maxBytes?: number; maxAgeMs?: number });
    readonly dir: string;
    /** The file of the entry for `key`. */
    entryFile(key: string): string;
    get(key: string): CachedTranspile | undefined;
    set(key: string, entry: CachedTranspile): void;
    prune(now?: number): void;
}

export function transpileKeyHasher(parts: {
    tsVersion: string;
    tsNodeVersion: string;
    compilerOptions: Record<string, unknown>;
    packageJsonType: "module" | "commonjs";
}): (fileName: string, input: string) => string;

export function transpileCacheOptions(
    env?: NodeJS.ProcessEnv,
    warn?: (line: string) => void,
): { transpiler?: [string, { cacheDir: string }] };

/** Why `dir` is not safe to hold the cache (ownership, permissions, as OpenSSH's StrictModes), else undefined. */
export function cacheDirProblem(dir: string): string | undefined;

export const create: TranspilerModule["create"];
