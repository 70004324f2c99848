// Data protection on the cache: TLS, encryption at rest, authentication.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AUTH_TOKEN_SPECIAL_CHARACTERS, authTokenProblem } from "./shared/auth-token";
import { type PolicyConfigSchema } from "./shared/policy-config";
import {
    CACHE_TYPES,
    T,
    cacheEngine,
    configHint,
    forTypes,
    isSet,
    isUnknown,
    label,
    policyConfig,
    rawProps,
    skipReplicationGroupMembers,
} from "./lib/util";

// --- elasticache-encryption-in-transit ---

export const TRANSIT_POLICY = "elasticache-encryption-in-transit";
export interface TransitConfig {
    allowPreferredMode: boolean;
}
export const transitSchema: PolicyConfigSchema = {
    properties: {
        allowPreferredMode: {
            type: "boolean",
            default: false,
            description:
                'Allow transitEncryptionMode "preferred" (plain-text clients still accepted): only for the one ' +
                'deploy that migrates an existing cache to TLS, before switching to "required".',
        },
    },
};

interface TransitProps {
    transitEncryptionEnabled?: boolean;
    transitEncryptionMode?: string;
}

export const elasticacheEncryptionInTransit: ResourceValidationPolicy = {
    name: TRANSIT_POLICY,
    description:
        'ElastiCache caches must require TLS: transitEncryptionEnabled true, transitEncryptionMode not "preferred".',
    enforcementLevel: "mandatory",
    configSchema: transitSchema,
    validateResource: forTypes(CACHE_TYPES, (args, report) => {
        skipReplicationGroupMembers(args, "encryption and authentication");
        const props = args.props as TransitProps;
        const { allowPreferredMode } = policyConfig<TransitConfig>(args, TRANSIT_POLICY, transitSchema);
        const who = label(args.type, args.name);
        if (props.transitEncryptionEnabled !== true) {
            const found = isSet(args.props, "transitEncryptionEnabled")
                ? String(props.transitEncryptionEnabled)
                : "not set (defaults to false)";
            report(
                `${who}: transitEncryptionEnabled is ${found}; it must be true. Fix: set transitEncryptionEnabled: true ` +
                    `(and connect with TLS, e.g. redis-cli --tls).`,
            );
            return;
        }
        // Mode only exists on replication groups; absent means AWS's default, "required".
        if (args.type === T.replicationGroup && isSet(args.props, "transitEncryptionMode")) {
            const mode = String(props.transitEncryptionMode);
            if (mode !== "required" && !(mode === "preferred" && allowPreferredMode)) {
                report(
                    `${who}: transitEncryptionMode is "${mode}"; it must be "required" (preferred still accepts ` +
                        `plain-text connections). Fix: set transitEncryptionMode: "required"; while migrating an existing cache, ` +
                        `allow one "preferred" deploy with ${configHint(TRANSIT_POLICY, "allowPreferredMode")}.`,
                );
            }
        }
    }),
};

// --- elasticache-encryption-at-rest ---

export const AT_REST_POLICY = "elasticache-encryption-at-rest";
export interface AtRestConfig {
    requireCustomerManagedKey: boolean;
}
export const atRestSchema: PolicyConfigSchema = {
    properties: {
        requireCustomerManagedKey: {
            type: "boolean",
            default: false,
            description: "Also require kmsKeyId (a customer managed KMS key) instead of the AWS managed key.",
        },
    },
};

interface AtRestProps {
    atRestEncryptionEnabled?: boolean;
    kmsKeyId?: string;
    engine?: string;
}

export const elasticacheEncryptionAtRest: ResourceValidationPolicy = {
    name: AT_REST_POLICY,
    description: "ElastiCache data must be encrypted at rest (atRestEncryptionEnabled).",
    enforcementLevel: "mandatory",
    configSchema: atRestSchema,
    validateResource: forTypes(CACHE_TYPES, (args, report) => {
        skipReplicationGroupMembers(args, "encryption and authentication");
        const props = args.props as AtRestProps;
        const { requireCustomerManagedKey } = policyConfig<AtRestConfig>(args, AT_REST_POLICY, atRestSchema);
        const who = label(args.type, args.name);
        if (args.type === T.cacheCluster) {
            report(
                `${who}: a standalone aws.elasticache.Cluster cannot encrypt data at rest. ` +
                    `Fix: use an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled: true.`,
            );
            return;
        }
        let enabled: boolean;
        let found: string;
        if (isSet(args.props, "atRestEncryptionEnabled")) {
            enabled = props.atRestEncryptionEnabled === true;
            found = String(props.atRestEncryptionEnabled);
        } else {
            // The provider's default depends on the engine: true for valkey, false for redis.
            const engine = cacheEngine(args.type, props);
            enabled = engine === "valkey";
            found = `not set (defaults to ${enabled} for engine ${engine})`;
        }
        if (!enabled) {
            report(
                `${who}: atRestEncryptionEnabled is ${found}; it must be true. Fix: set atRestEncryptionEnabled: true ` +
                    `(this replaces an existing cache).`,
            );
            return;
        }
        if (requireCustomerManagedKey && !isSet(args.props, "kmsKeyId")) {
            report(
                `${who}: kmsKeyId is not set, so the AWS managed key is used; this stack requires a customer managed key. ` +
                    `Fix: set kmsKeyId, or turn off ${configHint(AT_REST_POLICY, "requireCustomerManagedKey")}.`,
            );
        }
    }),
};

// --- elasticache-auth-required ---

export const AUTH_POLICY = "elasticache-auth-required";
export interface AuthConfig {
    allowRbacUserGroups: boolean;
    checkTokenFormat: boolean;
}
export const authSchema: PolicyConfigSchema = {
    properties: {
        allowRbacUserGroups: {
            type: "boolean",
            default: true,
            description: "Accept an RBAC user group (userGroupIds) instead of an AUTH token.",
        },
        checkTokenFormat: {
            type: "boolean",
            default: true,
            description: `Check the AUTH token as AWS will: 16-128 printable characters, non-alphanumerics only from ${AUTH_TOKEN_SPECIAL_CHARACTERS}.`,
        },
    },
};

interface AuthProps {
    authToken?: string;
    authTokenWo?: string;
    userGroupIds?: string[];
}

export const elasticacheAuthRequired: ResourceValidationPolicy = {
    name: AUTH_POLICY,
    description: "ElastiCache caches must require authentication: an AUTH token or an RBAC user group.",
    enforcementLevel: "mandatory",
    configSchema: authSchema,
    validateResource: forTypes(CACHE_TYPES, (args, report) => {
        skipReplicationGroupMembers(args, "encryption and authentication");
        const props = args.props as AuthProps;
        const { allowRbacUserGroups, checkTokenFormat } = policyConfig<AuthConfig>(args, AUTH_POLICY, authSchema);
        const who = label(args.type, args.name);
        if (args.type === T.cacheCluster) {
            report(
                `${who}: a standalone aws.elasticache.Cluster cannot require AUTH or RBAC. ` +
                    `Fix: use an aws.elasticache.ReplicationGroup with authToken (or userGroupIds).`,
            );
            return;
        }
        const raw = rawProps(args.props);
        // A user group decides on its own; only when there is none does the (secret) token matter.
        if (
            allowRbacUserGroups &&
            isSet(args.props, "userGroupIds") &&
            Array.isArray(raw.userGroupIds) &&
            raw.userGroupIds.length > 0
        ) {
            return;
        }
        // Write-only tokens never reach the engine's inputs in a readable form; their presence is the signal.
        if (isSet(args.props, "authTokenWo")) {
            return;
        }
        if (!isSet(args.props, "authToken")) {
            if (allowRbacUserGroups && isSet(args.props, "userGroupIds")) {
                // The whole list is unknown in this preview: reading it lets the engine report that, rather
                // than a false "no authentication" violation.
                void props.userGroupIds;
            }
            report(
                `${who}: neither authToken nor ${allowRbacUserGroups ? "userGroupIds" : "authTokenWo"} is set, ` +
                    `so any client that reaches the port can use the cache. Fix: set authToken from a secret ` +
                    `(e.g. random.RandomPassword, or pulumi config set --secret) with authTokenUpdateStrategy, ` +
                    `and transitEncryptionEnabled: true.`,
            );
            return;
        }
        // A token generated in this same preview (random.RandomPassword) is unknown but certainly set, which is
        // all this policy requires; like a write-only token, only AWS sees its format, at deploy time.
        if (isUnknown(raw.authToken)) {
            return;
        }
        // Secrets reach analyzers unwrapped.
        const token = String(props.authToken);
        if (token.length === 0) {
            report(`${who}: authToken is empty. Fix: set a 16-128 character token from a secret.`);
            return;
        }
        if (checkTokenFormat) {
            const problem = authTokenProblem(token);
            if (problem) {
                report(
                    `${who}: authToken (secret, not shown) is invalid: ${problem}. Fix: generate one with ` +
                        `random.RandomPassword({ length: 32, overrideSpecial: "${AUTH_TOKEN_SPECIAL_CHARACTERS}" }).`,
                );
            }
        }
    }),
};
