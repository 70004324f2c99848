/**
 * ElastiCache IAM authentication for redis:check: the auth token (a SigV4 presigned `connect` request, signed by
 * the AWS SDK's own signer, @smithy/signature-v4), credentials from the standard AWS chain
 * (@aws-sdk/credential-providers fromNodeProviderChain: environment, SSO, shared files, web identity, ECS,
 * instance metadata), and keeping connections authenticated beyond a token's 15 minutes and ElastiCache's
 * 12-hour connection limit (AWS docs, auth-iam: "Limitations").
 */
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type Redis from "ioredis";
import type { Cluster } from "ioredis";

/** What a token is signed for: the replication group ID, the ElastiCache user, the Region. */
export interface IamTokenRequest {
    readonly cacheName: string;
    readonly userId: string;
    readonly region: string;
}

/** A token lives 15 minutes (X-Amz-Expires 900). */
export const TOKEN_LIFETIME_SECONDS = 900;

/** RFC 3986 percent-encoding, as SigV4 canonicalizes query strings (encodeURIComponent leaves !'()* alone). */
function rfc3986(value: string): string {
    return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The IAM auth token: `<cache>/?Action=connect&User=<user>&X-Amz-...&X-Amz-Signature=...`, the presigned URL of
 * `GET http://<cache>/` without its scheme (AWS docs, auth-iam "Connecting"). `signingDate` is for tests.
 */
export async function iamAuthToken(
    request: IamTokenRequest,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
    signingDate: Date = new Date(),
): Promise<string> {
    const cache = request.cacheName.toLowerCase();
    const signer = new SignatureV4({
        service: "elasticache",
        region: request.region,
        credentials,
        sha256: Hash.bind(null, "sha256"),
    });
    const presigned = await signer.presign(
        new HttpRequest({
            method: "GET",
            protocol: "http:",
            hostname: cache,
            path: "/",
            query: { Action: "connect", User: request.userId },
            headers: { host: cache },
        }),
        { expiresIn: TOKEN_LIFETIME_SECONDS, signingDate },
    );
    const query = Object.entries(presigned.query ?? {})
        .flatMap(([k, v]) => (v === null ? [] : Array.isArray(v) ? v : [v]).map((x) => `${rfc3986(k)}=${rfc3986(x)}`))
        .join("&");
    return `${cache}/?${query}`;
}

/** A source of fresh passwords: an IAM token signer, or (tests) a stub standing in for it. */
export type PasswordSigner = () => Promise<string>;

/** Signs tokens for `request` with the standard AWS credential chain (cached and refreshed by the SDK). */
export function chainSigner(request: IamTokenRequest): PasswordSigner {
    const credentials = fromNodeProviderChain();
    return () => iamAuthToken(request, credentials);
}

/** Renews the password of a run's ioredis connections (RedisCheckOptions.renewal). */
export interface CredentialRenewal {
    /** Starts renewing `router`'s connections; the returned function stops it. */
    attach(router: Redis | Cluster): () => void;
}

export interface RenewalTimes {
    /** How often a fresh token replaces the one reconnects would use (< the 15-minute lifetime). */
    readonly refreshMs: number;
    /** How long a connection lives before it is reconnected with a fresh token (< ElastiCache's 12 hours). */
    readonly reconnectMs: number;
}

export const RENEWAL_TIMES: RenewalTimes = { refreshMs: 10 * 60_000, reconnectMs: 11 * 3600_000 };

/** Every ioredis options object whose `password` a (re)connect reads: the client's, or the cluster's and each node's. */
function passwordHolders(router: Redis | Cluster): { password?: string }[] {
    if ("nodes" in router && typeof router.nodes === "function" && "slots" in router) {
        const cluster = router;
        return [cluster.options.redisOptions ?? {}, ...cluster.nodes().map((n) => n.options)];
    }
    return [(router as Redis).options];
}

/**
 * Keeps IAM-authenticated connections valid. `current` is always a token younger than `refreshMs` (a new one is
 * signed every `refreshMs`, within the 15-minute lifetime), so every new connection (the probe, the redirect
 * tour, a reconnect after a failover) authenticates; each attached client's options, which ioredis reads when it
 * reconnects, get it too. Every `reconnectMs` each attached connection is closed and reopened with a fresh token,
 * before ElastiCache closes it at 12 hours; a command in flight there fails like one during a failover and is
 * retried openly. A signing failure keeps the previous token and is kept in `lastError`.
 */
export class IamRenewal implements CredentialRenewal {
    lastError?: Error;
    private readonly holders = new Set<{ password?: string }>();
    private readonly timers: NodeJS.Timeout[] = [];

    private constructor(
        private readonly sign: PasswordSigner,
        private readonly times: RenewalTimes,
        public current: string,
    ) {}

    /** Signs the first token (its failure is the caller's to report) and starts the refresh timer. */
    static async start(sign: PasswordSigner, times: RenewalTimes = RENEWAL_TIMES): Promise<IamRenewal> {
        const renewal = new IamRenewal(sign, times, await sign());
        renewal.every(times.refreshMs, () => void renewal.refresh());
        return renewal;
    }

    /** Signs a new token and hands it to every attached client's options; false when signing failed. */
    async refresh(): Promise<boolean> {
        try {
            this.current = await this.sign();
        } catch (e) {
            this.lastError = e as Error;
            return false;
        }
        for (const holder of this.holders) holder.password = this.current;
        return true;
    }

    attach(router: Redis | Cluster): () => void {
        const holders = passwordHolders(router);
        for (const holder of holders) {
            holder.password = this.current;
            this.holders.add(holder);
        }
        const timer = this.every(this.times.reconnectMs, () => {
            void this.refresh().then((ok) => {
                if (!ok) return;
                for (const holder of passwordHolders(router)) {
                    holder.password = this.current;
                    this.holders.add(holder);
                }
                const nodes = "slots" in router ? router.nodes() : [router];
                for (const node of nodes) if (node.status === "ready") node.disconnect(true);
            });
        });
        return () => {
            clearInterval(timer);
            for (const holder of holders) this.holders.delete(holder);
        };
    }

    stop(): void {
        for (const timer of this.timers) clearInterval(timer);
        this.holders.clear();
    }

    private every(ms: number, fn: () => void): NodeJS.Timeout {
        const timer = setInterval(fn, ms);
        timer.unref();
        this.timers.push(timer);
        return timer;
    }
}
