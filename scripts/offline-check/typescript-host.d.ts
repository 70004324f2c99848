// Types of typescript-host.js (plain JavaScript: it runs before TypeScript is registered).
export interface HostTypeScriptOptions {
    transpileOnly: true;
    project: string;
    skipProject: boolean;
    compilerOptions: Record<string, unknown>;
}
export function hostTypeScriptOptions(dir: string): HostTypeScriptOptions;
export function programDirectory(entry: string): string;
export function registerTypeScript(dir: string): void;
