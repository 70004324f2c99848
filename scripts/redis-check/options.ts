/** What a connectivity check is given: the endpoint, credentials, sizes and bounds, and whom to tell as it goes. */
import { type EndpointOptions } from "./connection";
import { type CredentialRenewal } from "./iam";

/** AUTH as redis-cli sends it: `AUTH password`, or `AUTH user password` with an ACL user (ElastiCache RBAC). */
export interface Credentials {
    readonly user?: string;
    readonly password?: string;
}

export interface RedisCheckOptions extends EndpointOptions, Credentials {
    readonly keys: number;
    readonly batch: number;
    readonly failoverWaitMs: number;
    /** Pipelines in flight per shard (default 1). */
    readonly pipelines?: number;
    /** Stops the write/read phases early (e.g. on Ctrl-C); the cleanup still runs. */
    readonly signal?: AbortSignal;
    /** How many single GET round trips to time (at most one per key). */
    readonly latencySamples?: number;
    /** IAM authentication: keeps the run's ioredis connections authenticated with fresh tokens (--iam). */
    readonly renewal?: CredentialRenewal;
}

/** A MOVED redirect the check followed, as `redis-cli -c` prints it: the key, its slot and the node it moved to. */
export interface Redirect {
    readonly key: string;
    readonly slot: number;
    readonly to: string;
}

export interface RedisCheckEvents {
    redirect?(r: Redirect): void;
    progress?(phase: Phase, done: number, total: number): void;
}

export type Phase = "write" | "read" | "delete";
