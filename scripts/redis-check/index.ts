/**
 * The connectivity check (`npm run redis:check`, bin redis-stack-redis-check) as a module: what tests, benchmarks
 * and the launcher use. Layout: cli.ts (flags, usage, exit status) -> run.ts (the check) -> report.ts (its
 * result and text form); see README.md here.
 */
export { parseRedisCheckArgs, REDIS_CHECK_DEFAULTS, REDIS_CHECK_USAGE, type RedisCheckArgs } from "./cli";
export { SYSTEM_CA_FILES, systemCa } from "./connection";
export { classifyError, classifyReply, type FailureKind, REDIS_CHECK_EXIT_CODES, RedisCheckError } from "./failures";
export { type Credentials, type RedisCheckEvents, type RedisCheckOptions } from "./options";
export { authCommand } from "./probe";
export {
    formatRanges,
    formatRedisCheckReport,
    redirectLine,
    type RedisCheckReport,
    type Retry,
    type ShardReport,
} from "./report";
export { keyTtlMs, runRedisCheck } from "./run";
export { parseStackOutputs, readStackOutputs, type StackOutputs } from "./stack-outputs";
export { authTokenHint, parsePort, resolveTarget, type Target } from "./target";
