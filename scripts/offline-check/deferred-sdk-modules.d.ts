// Types of deferred-sdk-modules.js (plain JavaScript: it runs before TypeScript can be loaded).
export const DEFERRED_SDK_MODULES: readonly { file: string; functions: string[] }[];
export function deferSdkModules(sdkDir: string): string[];
export function deferredModule(fileName: string, functions: string[]): NodeJS.Module;
export function sdkDirectoryFrom(fromDir: string): string | undefined;
