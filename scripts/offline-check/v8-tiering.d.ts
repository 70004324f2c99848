// Types of v8-tiering.js (plain JavaScript: the launcher and the child entries run it before TypeScript loads).
export const CHECK_V8_FLAGS: readonly string[];
export function tuneTieringForShortRun(): void;
