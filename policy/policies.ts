// Every policy of the pack, in report order. Tests and tools import this, never index.ts (which serves).

import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { stackMonthlyBudget } from "./budget";
import { elasticacheBackupRetention, elasticacheWindowsValid } from "./backup";
import { bastionImdsv2Required, bastionRootVolumeEncrypted } from "./compute";
import { ec2FreeTierInstanceType, elasticacheFreeTierHours, elasticacheFreeTierNodeType } from "./free-tier";
import { elasticacheDataProtection } from "./data-protection";
import { elasticacheAuthRequired, elasticacheEncryptionAtRest, elasticacheEncryptionInTransit } from "./encryption";
import {
    elasticacheClusterModeFailover,
    elasticacheCreatable,
    elasticacheParameterGroupFamily,
    elasticacheUserGroupDefaultUser,
} from "./deployable-cache";
import { securityGroupRulesQuota, vpcSubnetGeometry } from "./deployable-geometry";
import { iamPolicyGrammar } from "./deployable-iam";
import { cloudwatchAlarmStatistic } from "./deployable-monitoring";
import { instanceRootVolumeFitsAmi } from "./deployable-instance";
import { kmsKeyPolicyKeepsAdmins } from "./deployable-kms";
import { noDuplicateSecurityGroupRules, securityGroupDescriptions, securityGroupRulePorts } from "./deployable-network";
import { arnsInStackPartition } from "./deployable-partition";
import { elasticacheSupportedEngineVersion } from "./engine";
import { elasticacheDedicatedSecurityGroup, noWorldIngressToSshOrRedis } from "./network";

export const PACK_NAME = "redis-stack-guardrails";
/** The pack's level for a policy that sets none (each policy sets its own; this is only the fallback). */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";

export const policies: Policies = [
    elasticacheFreeTierNodeType,
    ec2FreeTierInstanceType,
    elasticacheDedicatedSecurityGroup,
    elasticacheBackupRetention,
    elasticacheEncryptionInTransit,
    elasticacheEncryptionAtRest,
    elasticacheAuthRequired,
    elasticacheWindowsValid,
    noWorldIngressToSshOrRedis,
    bastionImdsv2Required,
    bastionRootVolumeEncrypted,
    elasticacheSupportedEngineVersion,
    elasticacheFreeTierHours,
    elasticacheDataProtection,
    elasticacheCreatable,
    elasticacheClusterModeFailover,
    elasticacheParameterGroupFamily,
    securityGroupRulePorts,
    securityGroupDescriptions,
    noDuplicateSecurityGroupRules,
    kmsKeyPolicyKeepsAdmins,
    instanceRootVolumeFitsAmi,
    arnsInStackPartition,
    iamPolicyGrammar,
    vpcSubnetGeometry,
    securityGroupRulesQuota,
    elasticacheUserGroupDefaultUser,
    cloudwatchAlarmStatistic,
    stackMonthlyBudget,
];
