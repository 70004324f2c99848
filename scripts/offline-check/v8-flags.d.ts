// Types of v8-flags.js (plain JavaScript: the launcher and the child entries run it before TypeScript loads).
export const START_UP_MS: number;
export const START_UP_V8_FLAGS: readonly string[];
export const STEADY_V8_FLAGS: readonly string[];
export function tuningApplies(v8Version?: string): boolean;
export function tuneV8ForCheck(startUpMs?: number): void;
