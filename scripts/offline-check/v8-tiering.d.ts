// Types of v8-tiering.js (plain JavaScript: the launcher and the child entries run it before TypeScript loads).
export const START_UP_MS: number;
export const START_UP_V8_FLAGS: readonly string[];
export const STEADY_V8_FLAGS: readonly string[];
export function tuningApplies(v8Version?: string): boolean;
export function tuneTieringForShortRun(startUpMs?: number): void;
