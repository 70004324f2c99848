// The AWS provider's Check for ElastiCache, from terraform-provider-aws internal/service/elasticache/:
// replication_group.go (schema validators, ConflictsWith, CustomizeDiff), validate.go
// (validReplicationGroupAuthToken), engine_version.go (validRedisVersionString, validValkeyVersionString) and
// internal/verify/validate.go (ValidOnceADayWindowFormat, ValidOnceAWeekWindowFormat).

import { PROVIDER_ENGINE_VERSION_FORMS } from "../../../policy/shared";
import {
    conflictsWith,
    intAtLeast,
    intAtMost,
    knownObject,
    nested,
    stringDoesNotContainAny,
    stringDoesNotMatch,
    stringInSlice,
    stringIsNotEmpty,
    stringLenBetween,
    stringMatch,
    validArn,
} from "./rules";
import { type CheckFailure, type Inputs, isSet, knownBool, knownItems, knownNumber, knownString } from "./values";

type Check = (inputs: Inputs) => CheckFailure[];

/** replication_group.go validateReplicationGroupID. */
export function replicationGroupIdFailures(id: string | undefined): CheckFailure[] {
    const p = "replicationGroupId";
    return [
        ...stringLenBetween(p, id, 1, 40),
        ...stringMatch(p, id, /^[0-9A-Za-z-]+$/, "must contain only alphanumeric characters and hyphens"),
        ...stringMatch(p, id, /^[A-Za-z]/, "must begin with a letter"),
        ...stringDoesNotMatch(p, id, /--/, "cannot contain two consecutive hyphens"),
        ...stringDoesNotMatch(p, id, /-$/, "cannot end with a hyphen"),
    ];
}

/** validate.go validReplicationGroupAuthToken (Go's len counts bytes). */
function authTokenFailures(token: string | undefined): CheckFailure[] {
    if (token === undefined) {
        return [];
    }
    const failures: CheckFailure[] = [];
    const bytes = Buffer.byteLength(token);
    if (bytes < 16 || bytes > 128) {
        failures.push({
            property: "authToken",
            reason: `"auth_token" must contain from 16 to 128 alphanumeric characters or symbols (excluding @, ", and /)`,
        });
    }
    if (!/^[^@"/]+$/.test(token)) {
        failures.push({
            property: "authToken",
            reason: `only alphanumeric characters or symbols (excluding @, ", and /) allowed in "auth_token"`,
        });
    }
    return failures;
}

const REDIS_VERSION_REASON = (v: string) =>
    `engine_version: ${v} is invalid. For Redis v6 or higher, use <major>.<minor>. For Redis v5 or lower, use <major>.<minor>.<patch>.`;
const VALKEY_VERSION_REASON = (v: string) => `engine_version: ${v} is invalid. For Valkey use <major>.<minor>.`;

/**
 * replication_group.go engine_version: `validation.Any(validRedisVersionString, validValkeyVersionString)`, so
 * either engine's form passes whatever the engine (the schema validator cannot see it); when neither does, Any
 * returns both errors (terraform-plugin-sdk helper/validation/meta.go Any).
 */
function replicationGroupEngineVersionFailures(version: string | undefined): CheckFailure[] {
    if (
        version === undefined ||
        PROVIDER_ENGINE_VERSION_FORMS.redis.test(version) ||
        PROVIDER_ENGINE_VERSION_FORMS.valkey.test(version)
    ) {
        return [];
    }
    return [
        { property: "engineVersion", reason: REDIS_VERSION_REASON(version) },
        { property: "engineVersion", reason: VALKEY_VERSION_REASON(version) },
    ];
}

/**
 * engine_version.go validateClusterEngineVersion (cluster.go CustomizeDiff): the form per engine, memcached
 * (also for an absent engine) <major>.<minor>.<patch>. An unknown engine is not judged.
 */
function clusterEngineVersionFailures(inputs: Inputs): CheckFailure[] {
    const version = knownString(inputs, "engineVersion");
    if (version === undefined || (isSet(inputs, "engine") && knownString(inputs, "engine") === undefined)) {
        return [];
    }
    const engine = knownString(inputs, "engine") ?? "";
    if (engine === "" || engine === "memcached") {
        return /^[0-9]+(\.[0-9]+){2}$/.test(version)
            ? []
            : [
                  {
                      property: "engineVersion",
                      reason: "engine_version: must be a version string matching <major>.<minor>.<patch>",
                  },
              ];
    }
    if (engine === "redis" && !PROVIDER_ENGINE_VERSION_FORMS.redis.test(version)) {
        return [{ property: "engineVersion", reason: REDIS_VERSION_REASON(version) }];
    }
    if (engine === "valkey" && !PROVIDER_ENGINE_VERSION_FORMS.valkey.test(version)) {
        return [{ property: "engineVersion", reason: VALKEY_VERSION_REASON(version) }];
    }
    return [];
}

/**
 * internal/verify/validate.go ValidOnceADayWindowFormat / ValidOnceAWeekWindowFormat, through
 * internal/types/timestamp: the patterns end in `|)$`, so an empty window is valid (the provider then sends none).
 */
const DAY_WINDOW = /^(([0-1][0-9]|2[0-3]):([0-5][0-9])-([0-1][0-9]|2[0-3]):([0-5][0-9])|)$/;
const WEEK_WINDOW =
    /^((mon|tue|wed|thu|fri|sat|sun):([0-1][0-9]|2[0-3]):([0-5][0-9])-(mon|tue|wed|thu|fri|sat|sun):([0-1][0-9]|2[0-3]):([0-5][0-9])|)$/;

function windowFailures(inputs: Inputs): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const snapshot = knownString(inputs, "snapshotWindow");
    if (snapshot !== undefined && !DAY_WINDOW.test(snapshot)) {
        failures.push({
            property: "snapshotWindow",
            reason: `"snapshot_window" must satisfy the format of "hh24:mi-hh24:mi".`,
        });
    }
    const maintenance = knownString(inputs, "maintenanceWindow");
    if (maintenance !== undefined && !WEEK_WINDOW.test(maintenance.toLowerCase())) {
        failures.push({
            property: "maintenanceWindow",
            reason: `"maintenance_window" must satisfy the format of "ddd:hh24:mi-ddd:hh24:mi".`,
        });
    }
    return failures;
}

function logDeliveryFailures(inputs: Inputs): CheckFailure[] {
    const items = knownItems(inputs, "logDeliveryConfigurations");
    const failures: CheckFailure[] = [];
    if (Array.isArray(inputs.logDeliveryConfigurations) && inputs.logDeliveryConfigurations.length > 2) {
        failures.push({
            property: "logDeliveryConfigurations",
            reason: `Too many log_delivery_configuration blocks: No more than 2 "log_delivery_configuration" blocks are allowed`,
        });
    }
    for (const { index, value } of items) {
        const item = knownObject(value);
        if (!item) {
            continue;
        }
        failures.push(
            ...nested(`logDeliveryConfigurations[${index}]`, [
                ...stringInSlice("destinationType", knownString(item, "destinationType"), [
                    "cloudwatch-logs",
                    "kinesis-firehose",
                ]),
                ...stringInSlice("logFormat", knownString(item, "logFormat"), ["text", "json"]),
                ...stringInSlice("logType", knownString(item, "logType"), ["slow-log", "engine-log"]),
            ]),
        );
    }
    return failures;
}

/** replication_group.go CustomizeDiff: the checks a real plan runs on the whole resource. */
function customizeDiffFailures(inputs: Inputs): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const multiAz = knownBool(inputs, "multiAzEnabled", false);
    const failover = knownBool(inputs, "automaticFailoverEnabled", false);
    if (multiAz === true && failover === false) {
        failures.push({
            property: "automaticFailoverEnabled",
            reason: "automatic_failover_enabled must be true if multi_az_enabled is true",
        });
    }
    const clusters = knownNumber(inputs, "numCacheClusters");
    if (failover === true && clusters !== undefined && clusters < 2) {
        failures.push({
            property: "numCacheClusters",
            reason: `"num_cache_clusters": must be at least 2 if automatic_failover_enabled is true`,
        });
    }
    const strategy = knownString(inputs, "authTokenUpdateStrategy");
    const tokenConfigured = isSet(inputs, "authToken");
    if (strategy === "DELETE" && tokenConfigured) {
        failures.push({
            property: "authToken",
            reason: `"auth_token" must not be specified when "auth_token_update_strategy" is "DELETE"`,
        });
    } else if (strategy !== undefined && strategy !== "DELETE" && !tokenConfigured) {
        failures.push({
            property: "authTokenUpdateStrategy",
            reason: `"auth_token_update_strategy": "auth_token" must be specified`,
        });
    }
    return failures;
}

const replicationGroup: Check = (inputs) => [
    ...replicationGroupIdFailures(knownString(inputs, "replicationGroupId")),
    ...stringIsNotEmpty("description", knownString(inputs, "description")),
    ...stringInSlice("engine", knownString(inputs, "engine"), ["redis", "valkey"], true),
    ...replicationGroupEngineVersionFailures(knownString(inputs, "engineVersion")),
    ...authTokenFailures(knownString(inputs, "authToken")),
    ...stringInSlice("authTokenUpdateStrategy", knownString(inputs, "authTokenUpdateStrategy"), [
        "SET",
        "ROTATE",
        "DELETE",
    ]),
    ...stringInSlice("clusterMode", knownString(inputs, "clusterMode"), ["enabled", "disabled", "compatible"]),
    ...stringInSlice("ipDiscovery", knownString(inputs, "ipDiscovery"), ["ipv4", "ipv6"]),
    ...stringInSlice("networkType", knownString(inputs, "networkType"), ["ipv4", "ipv6", "dual_stack"]),
    ...stringInSlice("transitEncryptionMode", knownString(inputs, "transitEncryptionMode"), ["preferred", "required"]),
    ...intAtMost("snapshotRetentionLimit", knownNumber(inputs, "snapshotRetentionLimit"), 35),
    ...intAtLeast("replicasPerNodeGroup", knownNumber(inputs, "replicasPerNodeGroup"), 0),
    ...validArn("notificationTopicArn", knownString(inputs, "notificationTopicArn")),
    ...knownItems(inputs, "snapshotArns").flatMap(({ index, value }) =>
        typeof value === "string"
            ? [...validArn("snapshotArns", value), ...stringDoesNotContainAny("snapshotArns", value, ",")].map((f) => ({
                  ...f,
                  property: `snapshotArns[${index}]`,
              }))
            : [],
    ),
    ...windowFailures(inputs),
    ...logDeliveryFailures(inputs),
    ...conflictsWith(inputs, "authToken", ["userGroupIds"]),
    ...conflictsWith(inputs, "userGroupIds", ["authToken"]),
    ...conflictsWith(inputs, "numCacheClusters", ["numNodeGroups", "replicasPerNodeGroup"]),
    ...conflictsWith(inputs, "numNodeGroups", ["numCacheClusters", "globalReplicationGroupId"]),
    ...conflictsWith(inputs, "globalReplicationGroupId", [
        "numNodeGroups",
        "parameterGroupName",
        "engine",
        "engineVersion",
        "nodeType",
        "securityGroupNames",
        "transitEncryptionEnabled",
        "transitEncryptionMode",
        "atRestEncryptionEnabled",
        "snapshotArns",
        "snapshotName",
    ]),
    ...customizeDiffFailures(inputs),
];

/**
 * cluster.go CustomizeDiff: customizeDiffValidateClusterEngineVersion, customizeDiffValidateClusterNumCacheNodes
 * (`engine "<engine>" does not support num_cache_nodes > 1` for any engine but memcached; an unknown or absent
 * engine or count is not judged, as ResourceDiff.GetOk reads neither) and customizeDiffValidateClusterAZMode.
 */
const cacheCluster: Check = (inputs) => {
    const failures = clusterEngineVersionFailures(inputs);
    const engine = knownString(inputs, "engine");
    const nodes = knownNumber(inputs, "numCacheNodes");
    if (engine !== undefined && engine !== "" && engine !== "memcached" && nodes !== undefined && nodes > 1) {
        failures.push({ property: "numCacheNodes", reason: `engine "${engine}" does not support num_cache_nodes > 1` });
    }
    if (knownString(inputs, "azMode") === "cross-az" && nodes === 1) {
        failures.push({ property: "azMode", reason: `az_mode "cross-az" is not supported with num_cache_nodes = 1` });
    }
    return failures;
};

export const ELASTICACHE_CHECKS: Readonly<Record<string, Check>> = {
    "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
    "aws:elasticache/cluster:Cluster": cacheCluster,
    // parameter_group.go and subnet_group.go declare no validators beyond required inputs (which the SDK
    // refuses before the engine sees them); their names are auto-named (autoname.ts).
    "aws:elasticache/parameterGroup:ParameterGroup": () => [],
    "aws:elasticache/subnetGroup:SubnetGroup": () => [],
};
