// The AWS provider's Check for CloudWatch Logs groups, from terraform-provider-aws internal/service/logs/
// group.go and validate.go (validLogGroupName, validLogGroupNamePrefix). Retention 0 means never expire;
// kms_key_id has no validator in group.go (any key id, ARN or alias passes the Check).

import { LOG_RETENTION_DAYS } from "../../../policy/shared";
import { conflictsWith, intInSlice, stringInSlice } from "./rules";
import { type CheckFailure, type Inputs, knownNumber, knownString } from "./values";

function nameFailures(property: "name" | "namePrefix", v: string | undefined, max: number): CheckFailure[] {
    if (v === undefined) {
        return [];
    }
    const key = property === "name" ? "name" : "name_prefix";
    const failures: CheckFailure[] = [];
    if (v.length > max) {
        failures.push({ property, reason: `"${key}" cannot be longer than ${max} characters: "${v}"` });
    }
    if (!/^[.\-_/#A-Za-z0-9]+$/.test(v)) {
        failures.push({
            property,
            reason: `only alphanumeric characters, underscores, hyphens, slashes, hash signs and dots are allowed in "${key}": "${v}"`,
        });
    }
    return failures;
}

const logGroup = (inputs: Inputs): CheckFailure[] => [
    ...nameFailures("name", knownString(inputs, "name"), 512),
    ...nameFailures("namePrefix", knownString(inputs, "namePrefix"), 483),
    ...conflictsWith(inputs, "name", ["namePrefix"]),
    // group.go retention_in_days: validation.IntInSlice of CloudWatch's values (policy/shared/log-retention.ts).
    ...intInSlice("retentionInDays", knownNumber(inputs, "retentionInDays"), LOG_RETENTION_DAYS),
    ...stringInSlice("logGroupClass", knownString(inputs, "logGroupClass"), [
        "STANDARD",
        "INFREQUENT_ACCESS",
        "DELIVERY",
    ]),
];

export const LOGS_CHECKS: Readonly<Record<string, (inputs: Inputs) => CheckFailure[]>> = {
    "aws:cloudwatch/logGroup:LogGroup": logGroup,
};
