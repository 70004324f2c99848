// Backups and maintenance: snapshot retention bounds, well-formed non-overlapping windows.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type PolicyConfigSchema } from "./shared/policy-config";
import {
    CACHE_TYPES,
    T,
    cacheEngine,
    configHint,
    forTypes,
    isSet,
    label,
    policyConfig,
    rawProps,
    skipReplicationGroupMembers,
} from "./lib/util";
import { MIN_WINDOW_MINUTES, MINUTES_PER_DAY, checkWindows } from "./shared/windows";

/** ElastiCache's own ceiling for snapshotRetentionLimit. */
export const MAX_RETENTION_DAYS = 35;

// --- elasticache-backup-retention ---

export const RETENTION_POLICY = "elasticache-backup-retention";
export interface RetentionConfig {
    minDays: number;
    maxDays: number;
}
export const retentionSchema: PolicyConfigSchema = {
    properties: {
        minDays: {
            type: "integer",
            minimum: 0,
            maximum: MAX_RETENTION_DAYS,
            default: 1,
            description: "Fewest days of automatic backups (1 = backups on; 0 allows turning them off).",
        },
        maxDays: {
            type: "integer",
            minimum: 0,
            maximum: MAX_RETENTION_DAYS,
            default: MAX_RETENTION_DAYS,
            description: `Most days of automatic backups (snapshot storage costs money); at most ${MAX_RETENTION_DAYS}, AWS's limit.`,
        },
    },
};

interface RetentionProps {
    snapshotRetentionLimit?: number;
    engine?: string;
}

export const elasticacheBackupRetention: ResourceValidationPolicy = {
    name: RETENTION_POLICY,
    description:
        "ElastiCache snapshotRetentionLimit must be between minDays (default 1: backups on) and maxDays (default 35).",
    enforcementLevel: "mandatory",
    configSchema: retentionSchema,
    validateResource: forTypes(CACHE_TYPES, (args, report) => {
        skipReplicationGroupMembers(args, "retention");
        const props = args.props as RetentionProps;
        if (args.type === T.cacheCluster && cacheEngine(args.type, props) === "memcached") {
            args.notApplicable("memcached has no backups");
        }
        const { minDays, maxDays } = policyConfig<RetentionConfig>(args, RETENTION_POLICY, retentionSchema);
        const who = label(args.type, args.name);
        const set = isSet(args.props, "snapshotRetentionLimit");
        // AWS's API default is 0: no backups at all.
        const days = set ? Number(props.snapshotRetentionLimit) : 0;
        const found = set ? `${days}` : "not set (AWS default 0: backups off)";
        if (days < minDays) {
            report(
                `${who}: snapshotRetentionLimit is ${found}; at least ${minDays} day(s) required. ` +
                    `Fix: set snapshotRetentionLimit between ${minDays} and ${maxDays}` +
                    (minDays > 0 && days === 0 ? " (0 turns automatic backups off)." : "."),
            );
        } else if (days > maxDays) {
            report(
                `${who}: snapshotRetentionLimit is ${found}; at most ${maxDays} day(s) allowed` +
                    (days > MAX_RETENTION_DAYS ? ` (AWS's own limit is ${MAX_RETENTION_DAYS})` : "") +
                    `. Fix: set snapshotRetentionLimit between ${minDays} and ${maxDays}, or raise ` +
                    `${configHint(RETENTION_POLICY, "maxDays")} (at most ${MAX_RETENTION_DAYS}).`,
            );
        }
    }),
};

// --- elasticache-windows-valid ---

export const WINDOWS_POLICY = "elasticache-windows-valid";
export interface WindowsConfig {
    minMinutes: number;
    maxMaintenanceMinutes: number;
}
export const windowsSchema: PolicyConfigSchema = {
    properties: {
        minMinutes: {
            type: "integer",
            minimum: MIN_WINDOW_MINUTES,
            maximum: MINUTES_PER_DAY - 1,
            default: MIN_WINDOW_MINUTES,
            description: "Shortest allowed maintenance and snapshot window, in minutes (AWS's minimum is 60).",
        },
        maxMaintenanceMinutes: {
            type: "integer",
            minimum: MIN_WINDOW_MINUTES,
            maximum: MINUTES_PER_DAY,
            default: MINUTES_PER_DAY,
            description: "Longest allowed maintenance window, in minutes (24 h).",
        },
    },
};

interface WindowProps {
    maintenanceWindow?: string;
    snapshotWindow?: string;
}

export const elasticacheWindowsValid: ResourceValidationPolicy = {
    name: WINDOWS_POLICY,
    description:
        "ElastiCache maintenance (ddd:hh24:mi-ddd:hh24:mi) and snapshot (hh24:mi-hh24:mi) windows must be " +
        "well formed, at least 60 minutes each, and must not overlap.",
    enforcementLevel: "mandatory",
    configSchema: windowsSchema,
    validateResource: forTypes(CACHE_TYPES, (args, report) => {
        skipReplicationGroupMembers(args, "windows");
        const props = args.props as WindowProps;
        const config = policyConfig<WindowsConfig>(args, WINDOWS_POLICY, windowsSchema);
        const who = label(args.type, args.name);
        const windows: WindowProps = {};
        // An empty window is no window: the provider sends none (d.GetOk), and AWS picks one.
        const given = (key: keyof WindowProps) => isSet(args.props, key) && rawProps(args.props)[key] !== "";
        if (given("maintenanceWindow")) windows.maintenanceWindow = String(props.maintenanceWindow);
        if (given("snapshotWindow")) windows.snapshotWindow = String(props.snapshotWindow);
        for (const p of checkWindows(windows, config)) {
            const fix =
                p.field === "maintenanceWindow+snapshotWindow"
                    ? 'pick windows that do not share a minute on any day, e.g. maintenanceWindow "mon:00:00-mon:01:00" ' +
                      'with snapshotWindow "03:00-04:00"'
                    : p.field === "maintenanceWindow"
                      ? `set maintenanceWindow as ddd:hh24:mi-ddd:hh24:mi (UTC) lasting ${config.minMinutes}-${config.maxMaintenanceMinutes} minutes`
                      : `set snapshotWindow as hh24:mi-hh24:mi (UTC) lasting at least ${config.minMinutes} minutes`;
            report(
                `${who}: ${p.field === "maintenanceWindow+snapshotWindow" ? "" : `${p.field} `}${p.message}. Fix: ${fix}.`,
            );
        }
    }),
};
