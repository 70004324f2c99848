// Types of typescript-host.js (plain JavaScript: it runs before TypeScript is registered).
export interface HostTypeScriptOptions {
    transpileOnly: true;
    project: string;
    skipProject: boolean;
    /** The transpile cache (transpile-cache.js), unless disabled. */
    transpiler?: [string, { cacheDir: string }];
    compilerOptions: Record<string, unknown>;
}
export function hostTypeScriptOptions(dir: string): HostTypeScriptOptions;
export function programDirectory(entry: string): string;
export function registerTypeScript(dir: string): void;
export function precompilableTsconfigs(dir: string): { file: string; text: string }[] | undefined;
export const registerPrecompiledHost: ((dir: string) => boolean) & {
    stats: { hits: number; misses: number };
};
