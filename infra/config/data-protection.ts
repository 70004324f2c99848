/**
 * How the cache's data survives a delete or replace (`redisProtect`, `redisFinalSnapshot`,
 * `redisApplyImmediately`) and the final snapshot's name. Pure, like the rest of the config layer (index.ts
 * calls `readDataProtection`).
 */
import type { ConfigKey, Reader } from "./reader";

/**
 * How the cache's data survives a delete or replace. Each `@default` is what the Pulumi.yaml defaults validate
 * to (test/unit/component-docs.test.ts checks it).
 */
export interface DataProtectionConfig {
    /**
     * Pulumi `protect` on the replication group (`redisProtect`): the engine refuses to delete it, or to
     * replace it (a replace deletes the old group). Prod sets true.
     * @default false
     * @example true
     */
    readonly protect: boolean;
    /**
     * Take a final snapshot when the replication group is deleted or replaced (`redisFinalSnapshot`).
     * @default true
     * @example false
     */
    readonly finalSnapshot: boolean;
    /**
     * Apply modifications now (a restart or failover mid-day) instead of in the maintenance window
     * (`redisApplyImmediately`). Dev sets true.
     * @default false
     * @example true
     */
    readonly applyImmediately: boolean;
}

/** A `true`/`false` key (Pulumi stores booleans from YAML as the strings "true" and "false"). */
function readBoolean(r: Reader, key: ConfigKey): boolean {
    const text = r.string(key);
    if (text !== "true" && text !== "false") {
        r.fail(key, text, "must be true or false");
        return false;
    }
    return text === "true";
}

export function readDataProtection(r: Reader): DataProtectionConfig {
    return {
        protect: readBoolean(r, "redisProtect"),
        finalSnapshot: readBoolean(r, "redisFinalSnapshot"),
        applyImmediately: readBoolean(r, "redisApplyImmediately"),
    };
}

/**
 * The final snapshot's name without its per-deploy suffix: the group's logical name (`redis-<stack>-cache-group`)
 * plus `-final`; RedisCluster appends `-<8 hex digits>` drawn once per life of the cache, so a destroy, up and
 * destroy again never asks for a name the first destroy's snapshot still holds (snapshot names are unique per
 * account and region: that delete would fail, the group and its data staying). ElastiCache: letters, digits and
 * single hyphens, starting with a letter, at most 255 characters.
 */
export function finalSnapshotName(groupName: string): string {
    return `${groupName}-final`;
}
