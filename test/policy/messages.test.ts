// Whole messages, written out: a message asserted only by a fragment lets a mutated fix, a dropped note or
// a note where it must not be go unnoticed. Each case also pins the branch it sits on (a boundary, a type
// that is or is not checked), with the expected verdict written here rather than derived from the policy.

import { strict as assert } from "assert";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { elasticacheBackupRetention, elasticacheWindowsValid } from "../../policy/backup";
import { bastionImdsv2Required, bastionRootVolumeEncrypted } from "../../policy/compute";
import {
    elasticacheAuthRequired,
    elasticacheEncryptionAtRest,
    elasticacheEncryptionInTransit,
} from "../../policy/encryption";
import { elasticacheSupportedEngineVersion } from "../../policy/engine";
import { noWorldIngressToSshOrRedis } from "../../policy/network";
import { type StackResource, UNKNOWN, runResource, runStack, stackUrn } from "./harness";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CL = "aws:elasticache/cluster:Cluster";
const EC2 = "aws:ec2/instance:Instance";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
// The world-ingress policy is a stack policy: it judges the union of a group's rules.
const VPC_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

interface Case {
    why: string;
    policy: ResourceValidationPolicy;
    type: string;
    props: Record<string, unknown>;
    config?: Record<string, unknown>;
    violations: string[];
    notApplicable?: string[];
}

const CASES: Case[] = [
    {
        why: "retention 0 with the default minimum names the backups-off reading",
        policy: elasticacheBackupRetention,
        type: RG,
        props: { snapshotRetentionLimit: 0 },
        violations: [
            'aws.elasticache.ReplicationGroup "x": snapshotRetentionLimit is 0; at least 1 day(s) required. Fix: set snapshotRetentionLimit between 1 and 35 (0 turns automatic backups off).',
        ],
    },
    {
        why: "retention below a raised minimum, not 0: no backups-off note",
        policy: elasticacheBackupRetention,
        type: RG,
        props: { snapshotRetentionLimit: 2 },
        config: { "elasticache-backup-retention": { minDays: 3 } },
        violations: [
            'aws.elasticache.ReplicationGroup "x": snapshotRetentionLimit is 2; at least 3 day(s) required. Fix: set snapshotRetentionLimit between 3 and 35.',
        ],
    },
    {
        why: "retention exactly 35 under a lower maxDays: no AWS-limit note",
        policy: elasticacheBackupRetention,
        type: RG,
        props: { snapshotRetentionLimit: 35 },
        config: { "elasticache-backup-retention": { maxDays: 30 } },
        violations: [
            'aws.elasticache.ReplicationGroup "x": snapshotRetentionLimit is 35; at most 30 day(s) allowed. Fix: set snapshotRetentionLimit between 1 and 30, or raise policy/config/<stack>.json ("elasticache-backup-retention": { "maxDays": ... }) (at most 35).',
        ],
    },
    {
        why: "retention 36: over AWS's own limit too",
        policy: elasticacheBackupRetention,
        type: RG,
        props: { snapshotRetentionLimit: 36 },
        violations: [
            'aws.elasticache.ReplicationGroup "x": snapshotRetentionLimit is 36; at most 35 day(s) allowed (AWS\'s own limit is 35). Fix: set snapshotRetentionLimit between 1 and 35, or raise policy/config/<stack>.json ("elasticache-backup-retention": { "maxDays": ... }) (at most 35).',
        ],
    },
    {
        why: "a replication group member is left to its group",
        policy: elasticacheBackupRetention,
        type: CL,
        props: { replicationGroupId: "rg" },
        violations: [],
        notApplicable: ["the cluster belongs to a replication group, which is checked for its retention"],
    },
    {
        why: "a Redis cache cluster is checked like a replication group",
        policy: elasticacheBackupRetention,
        type: CL,
        props: { engine: "redis", snapshotRetentionLimit: 0 },
        violations: [
            'aws.elasticache.Cluster "x": snapshotRetentionLimit is 0; at least 1 day(s) required. Fix: set snapshotRetentionLimit between 1 and 35 (0 turns automatic backups off).',
        ],
    },
    {
        why: "a replication group's engine is not read for the memcached exemption",
        policy: elasticacheBackupRetention,
        type: RG,
        props: { engine: "memcached", snapshotRetentionLimit: 0 },
        violations: [
            'aws.elasticache.ReplicationGroup "x": snapshotRetentionLimit is 0; at least 1 day(s) required. Fix: set snapshotRetentionLimit between 1 and 35 (0 turns automatic backups off).',
        ],
    },
    {
        why: "overlapping windows: one combined message, no field prefix",
        policy: elasticacheWindowsValid,
        type: RG,
        props: { maintenanceWindow: "mon:03:00-mon:04:00", snapshotWindow: "03:30-04:30" },
        violations: [
            'aws.elasticache.ReplicationGroup "x": snapshot window "03:30-04:30" overlaps maintenance window "mon:03:00-mon:04:00" (AWS rejects this at deploy time); move one of them. Fix: pick windows that do not share a minute on any day, e.g. maintenanceWindow "mon:00:00-mon:01:00" with snapshotWindow "03:00-04:00".',
        ],
    },
    {
        why: "both windows too short: one message each, each with its own fix",
        policy: elasticacheWindowsValid,
        type: RG,
        props: { maintenanceWindow: "mon:03:00-mon:03:30", snapshotWindow: "05:00-05:30" },
        violations: [
            'aws.elasticache.ReplicationGroup "x": maintenanceWindow "mon:03:00-mon:03:30" lasts 30 min; it must last at least 1 h. Fix: set maintenanceWindow as ddd:hh24:mi-ddd:hh24:mi (UTC) lasting 60-1440 minutes.',
            'aws.elasticache.ReplicationGroup "x": snapshotWindow "05:00-05:30" lasts 30 min; it must last at least 1 h. Fix: set snapshotWindow as hh24:mi-hh24:mi (UTC) lasting at least 60 minutes.',
        ],
    },
    {
        why: "a maintenance window of exactly 24 hours passes",
        policy: elasticacheWindowsValid,
        type: RG,
        props: { maintenanceWindow: "mon:00:00-tue:00:00" },
        violations: [],
    },
    {
        why: "a maintenance window one minute over 24 hours fails",
        policy: elasticacheWindowsValid,
        type: RG,
        props: { maintenanceWindow: "mon:00:00-tue:00:01" },
        violations: [
            'aws.elasticache.ReplicationGroup "x": maintenanceWindow "mon:00:00-tue:00:01" lasts 1441 min; it must last at most 24 h. Fix: set maintenanceWindow as ddd:hh24:mi-ddd:hh24:mi (UTC) lasting 60-1440 minutes.',
        ],
    },
    {
        why: "a replication group member's windows are left to its group",
        policy: elasticacheWindowsValid,
        type: CL,
        props: { replicationGroupId: "rg", maintenanceWindow: "x" },
        violations: [],
        notApplicable: ["the cluster belongs to a replication group, which is checked for its windows"],
    },
    {
        why: "6.2 passes",
        policy: elasticacheSupportedEngineVersion,
        type: RG,
        props: { engineVersion: "6.2" },
        violations: [],
    },
    {
        why: "a version with spaces around it is read trimmed",
        policy: elasticacheSupportedEngineVersion,
        type: RG,
        props: { engineVersion: " 7.1 " },
        violations: [],
    },
    {
        why: "a bare major version passes",
        policy: elasticacheSupportedEngineVersion,
        type: RG,
        props: { engineVersion: "6" },
        violations: [],
    },
    {
        why: "digits with junk after them are not a version",
        policy: elasticacheSupportedEngineVersion,
        type: RG,
        props: { engineVersion: "61x" },
        violations: [
            'aws.elasticache.ReplicationGroup "x": engineVersion "61x" is not a version (expected e.g. 7.1 or 6.x). Fix: set engineVersion to 7.1.',
        ],
    },
    {
        why: "memcached is not Redis OSS",
        policy: elasticacheSupportedEngineVersion,
        type: CL,
        props: { engine: "memcached" },
        violations: [],
        notApplicable: ['engine "memcached" is not Redis OSS'],
    },
    {
        why: "an empty engine is named as not set",
        policy: elasticacheSupportedEngineVersion,
        type: CL,
        props: { engine: "" },
        violations: [],
        notApplicable: ['engine "(not set)" is not Redis OSS'],
    },
    {
        why: "a replication group member's engine is left to its group",
        policy: elasticacheSupportedEngineVersion,
        type: CL,
        props: { replicationGroupId: "rg" },
        violations: [],
        notApplicable: ["the cluster belongs to a replication group, which is checked for its engine"],
    },
    {
        why: "hop limit 3 over the default 1",
        policy: bastionImdsv2Required,
        type: EC2,
        props: { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 3 } },
        violations: [
            'aws.ec2.Instance "x": metadataOptions.httpPutResponseHopLimit is 3; at most 1 allowed. Fix: lower it, or raise policy/config/<stack>.json ("bastion-imdsv2-required": { "maxHopLimit": ... }).',
        ],
    },
    {
        why: "hop limit 2, just over the default 1",
        policy: bastionImdsv2Required,
        type: EC2,
        props: { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } },
        violations: [
            'aws.ec2.Instance "x": metadataOptions.httpPutResponseHopLimit is 2; at most 1 allowed. Fix: lower it, or raise policy/config/<stack>.json ("bastion-imdsv2-required": { "maxHopLimit": ... }).',
        ],
    },
    {
        why: "a null hop limit is not set, so it passes",
        policy: bastionImdsv2Required,
        type: EC2,
        props: { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: null } },
        violations: [],
    },
    {
        why: "metadata options from a launch template are left to it",
        policy: bastionImdsv2Required,
        type: EC2,
        props: { launchTemplate: { id: "lt-1" } },
        violations: [],
        notApplicable: ["metadata options come from the launch template, which is checked"],
    },
    {
        why: "metadata options set beside a launch template are checked",
        policy: bastionImdsv2Required,
        type: EC2,
        props: { launchTemplate: { id: "lt-1" }, metadataOptions: { httpTokens: "optional" } },
        violations: [
            'aws.ec2.Instance "x": metadataOptions.httpTokens is "optional"; it must be "required". Fix: set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" }.',
        ],
    },
    {
        why: "optional tokens fail",
        policy: bastionImdsv2Required,
        type: EC2,
        props: { metadataOptions: { httpTokens: "optional" } },
        violations: [
            'aws.ec2.Instance "x": metadataOptions.httpTokens is "optional"; it must be "required". Fix: set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" }.',
        ],
    },
    {
        why: "each extra EBS volume names its own index and device",
        policy: bastionRootVolumeEncrypted,
        type: EC2,
        props: {
            rootBlockDevice: { encrypted: true },
            ebsBlockDevices: [{ deviceName: "/dev/sdf" }, { encrypted: false }],
        },
        violations: [
            'aws.ec2.Instance "x": ebsBlockDevices[0] (/dev/sdf): encrypted is not set (defaults to false); it must be true. Fix: set encrypted: true, or turn off policy/config/<stack>.json ("bastion-root-volume-encrypted": { "checkAdditionalVolumes": ... }).',
            'aws.ec2.Instance "x": ebsBlockDevices[1] (no device name): encrypted is false; it must be true. Fix: set encrypted: true, or turn off policy/config/<stack>.json ("bastion-root-volume-encrypted": { "checkAdditionalVolumes": ... }).',
        ],
    },
    {
        why: 'a string "true" is not the boolean the provider sends',
        policy: bastionRootVolumeEncrypted,
        type: EC2,
        props: {
            rootBlockDevice: { encrypted: "true" },
            ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: "true" }],
        },
        violations: [
            'aws.ec2.Instance "x": rootBlockDevice.encrypted is the string "true"; it must be the boolean true. Fix: set rootBlockDevice: { encrypted: true } (this replaces the instance).',
            'aws.ec2.Instance "x": ebsBlockDevices[0] (/dev/sdf): encrypted is the string "true"; it must be the boolean true. Fix: set encrypted: true, or turn off policy/config/<stack>.json ("bastion-root-volume-encrypted": { "checkAdditionalVolumes": ... }).',
        ],
    },
    {
        why: "no root block device: unencrypted by default",
        policy: bastionRootVolumeEncrypted,
        type: EC2,
        props: {},
        violations: [
            'aws.ec2.Instance "x": rootBlockDevice is not set, so the root volume is unencrypted (the provider\'s default). Fix: set rootBlockDevice: { encrypted: true }.',
        ],
    },
    {
        why: "a root volume from a launch template is left to it",
        policy: bastionRootVolumeEncrypted,
        type: EC2,
        props: { launchTemplate: { id: "lt-1" } },
        violations: [],
        notApplicable: ["the root volume comes from the launch template, which is checked"],
    },
    {
        why: "a root volume set beside a launch template is checked",
        policy: bastionRootVolumeEncrypted,
        type: EC2,
        props: { launchTemplate: { id: "lt-1" }, rootBlockDevice: { encrypted: false } },
        violations: [
            'aws.ec2.Instance "x": rootBlockDevice.encrypted is false; it must be true. Fix: set rootBlockDevice: { encrypted: true } (this replaces the instance).',
        ],
    },
    {
        why: "launch template mappings: each unencrypted one, none for a null or encrypted ebs",
        policy: bastionRootVolumeEncrypted,
        type: LT,
        props: {
            blockDeviceMappings: [
                { deviceName: "/dev/xvda", ebs: { encrypted: "false" } },
                { deviceName: "/dev/sdb", ebs: {} },
                { ebs: null },
                { deviceName: "/dev/sdc", ebs: { encrypted: "true" } },
            ],
        },
        violations: [
            'aws.ec2.LaunchTemplate "x": blockDeviceMappings[0] (/dev/xvda) has ebs.encrypted "false"; it must be "true". Fix: set ebs: { encrypted: "true" }.',
            'aws.ec2.LaunchTemplate "x": blockDeviceMappings[1] (/dev/sdb) has ebs.encrypted not set; it must be "true". Fix: set ebs: { encrypted: "true" }.',
        ],
    },
    {
        why: "a launch template with an encrypted root passes",
        policy: bastionRootVolumeEncrypted,
        type: LT,
        props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true } }] },
        violations: [],
    },
    {
        why: "transit encryption off",
        policy: elasticacheEncryptionInTransit,
        type: RG,
        props: { transitEncryptionEnabled: false },
        violations: [
            'aws.elasticache.ReplicationGroup "x": transitEncryptionEnabled is false; it must be true. Fix: set transitEncryptionEnabled: true (and connect with TLS, e.g. redis-cli --tls).',
        ],
    },
    {
        why: "preferred transit mode fails by default",
        policy: elasticacheEncryptionInTransit,
        type: RG,
        props: { transitEncryptionEnabled: true, transitEncryptionMode: "preferred" },
        violations: [
            'aws.elasticache.ReplicationGroup "x": transitEncryptionMode is "preferred"; it must be "required" (preferred still accepts plain-text connections). Fix: set transitEncryptionMode: "required"; while migrating an existing cache, allow one "preferred" deploy with policy/config/<stack>.json ("elasticache-encryption-in-transit": { "allowPreferredMode": ... }).',
        ],
    },
    {
        why: "preferred transit mode passes when the stack allows it",
        policy: elasticacheEncryptionInTransit,
        type: RG,
        props: { transitEncryptionEnabled: true, transitEncryptionMode: "preferred" },
        config: { "elasticache-encryption-in-transit": { allowPreferredMode: true } },
        violations: [],
    },
    {
        why: "a cache cluster's transit mode is not read",
        policy: elasticacheEncryptionInTransit,
        type: CL,
        props: { transitEncryptionEnabled: true, transitEncryptionMode: "preferred" },
        violations: [],
    },
    {
        why: "at-rest encryption off",
        policy: elasticacheEncryptionAtRest,
        type: RG,
        props: { atRestEncryptionEnabled: false },
        violations: [
            'aws.elasticache.ReplicationGroup "x": atRestEncryptionEnabled is false; it must be true. Fix: set atRestEncryptionEnabled: true (this replaces an existing cache).',
        ],
    },
    {
        why: "a customer managed key required and missing",
        policy: elasticacheEncryptionAtRest,
        type: RG,
        props: { atRestEncryptionEnabled: true },
        config: { "elasticache-encryption-at-rest": { requireCustomerManagedKey: true } },
        violations: [
            'aws.elasticache.ReplicationGroup "x": kmsKeyId is not set, so the AWS managed key is used; this stack requires a customer managed key. Fix: set kmsKeyId, or turn off policy/config/<stack>.json ("elasticache-encryption-at-rest": { "requireCustomerManagedKey": ... }).',
        ],
    },
    {
        why: "no auth token and no user groups",
        policy: elasticacheAuthRequired,
        type: RG,
        props: { transitEncryptionEnabled: true },
        violations: [
            'aws.elasticache.ReplicationGroup "x": neither authToken nor userGroupIds is set, so any client that reaches the port can use the cache. Fix: set authToken from a secret (e.g. random.RandomPassword, or pulumi config set --secret) with authTokenUpdateStrategy, and transitEncryptionEnabled: true.',
        ],
    },
    {
        why: "user groups pass when RBAC is allowed",
        policy: elasticacheAuthRequired,
        type: RG,
        props: { transitEncryptionEnabled: true, userGroupIds: ["g"] },
        violations: [],
    },
    {
        why: "user groups fail when RBAC is not allowed",
        policy: elasticacheAuthRequired,
        type: RG,
        props: { transitEncryptionEnabled: true, userGroupIds: ["g"] },
        config: { "elasticache-auth-required": { allowRbacUserGroups: false } },
        violations: [
            'aws.elasticache.ReplicationGroup "x": neither authToken nor authTokenWo is set, so any client that reaches the port can use the cache. Fix: set authToken from a secret (e.g. random.RandomPassword, or pulumi config set --secret) with authTokenUpdateStrategy, and transitEncryptionEnabled: true.',
        ],
    },
    {
        why: "a short auth token: its length, never its value",
        policy: elasticacheAuthRequired,
        type: RG,
        props: { transitEncryptionEnabled: true, authToken: "short" },
        violations: [
            'aws.elasticache.ReplicationGroup "x": authToken (secret, not shown) is invalid: it has 5 characters; AWS requires 16 to 128. Fix: generate one with random.RandomPassword({ length: 32, overrideSpecial: "!&#$^<>-" }).',
        ],
    },
];

/** The world-ingress fix and config hint, the same after every finding. */
const WORLD_TAIL =
    'no world ingress is allowed to [22, 6379]. Fix: allow only known CIDRs (e.g. your office /32) or another security group, or use SSM Session Manager instead of SSH. Guarded ports are set in policy/config/<stack>.json ("no-world-ingress-to-ssh-or-redis": { "ports": ... }).';

/** The group rules attach to, as the program builds them: securityGroupId comes from it (unknown in preview). */
const GROUP: StackResource = { type: SG, name: "sg", props: {} };
const ruleOf = (type: string, props: Record<string, unknown>): StackResource => ({
    type,
    name: "x",
    props: { securityGroupId: UNKNOWN.string, ...props },
    propertyDependencies: { securityGroupId: [stackUrn(GROUP)] },
});

interface StackCase {
    why: string;
    resources: StackResource[];
    violations: string[];
}

const WORLD_INGRESS_CASES: StackCase[] = [
    {
        why: "world ingress to SSH over IPv4 and IPv6, one finding per family; port 80 open to the world is fine",
        resources: [
            {
                type: SG,
                name: "x",
                props: {
                    ingress: [
                        {
                            protocol: "tcp",
                            fromPort: 22,
                            toPort: 22,
                            cidrBlocks: ["0.0.0.0/0"],
                            ipv6CidrBlocks: ["::/0"],
                        },
                        { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
                    ],
                },
            },
        ],
        violations: [
            `aws.ec2.SecurityGroup "x": ingress[0] (tcp port 22) admits 0.0.0.0/0 to port(s) 22; ${WORLD_TAIL}`,
            `aws.ec2.SecurityGroup "x": ingress[0] (tcp port 22) admits ::/0 to port(s) 22; ${WORLD_TAIL}`,
        ],
    },
    {
        why: "an all-traffic rule reaches every guarded port, reported on its group",
        resources: [GROUP, ruleOf(SG_RULE, { type: "ingress", protocol: "-1", cidrBlocks: ["0.0.0.0/0"] })],
        violations: [
            `aws.ec2.SecurityGroup "sg": rule aws.ec2.SecurityGroupRule "x" (all traffic (protocol -1)) admits 0.0.0.0/0 to port(s) 22, 6379; ${WORLD_TAIL}`,
        ],
    },
    {
        why: "egress rules are not ingress",
        resources: [GROUP, ruleOf(SG_RULE, { type: "egress", protocol: "-1", cidrBlocks: ["0.0.0.0/0"] })],
        violations: [],
    },
    {
        why: "a VPC ingress rule to the cache port from ::/0",
        resources: [GROUP, ruleOf(VPC_RULE, { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv6: "::/0" })],
        violations: [
            `aws.ec2.SecurityGroup "sg": rule aws.vpc.SecurityGroupIngressRule "x" (tcp port 6379) admits ::/0 to port(s) 6379; ${WORLD_TAIL}`,
        ],
    },
    {
        why: "a VPC ingress rule from a private range passes",
        resources: [
            GROUP,
            ruleOf(VPC_RULE, { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "10.0.0.0/8" }),
        ],
        violations: [],
    },
    {
        why: "a VPC ingress rule to an unguarded port passes",
        resources: [GROUP, ruleOf(VPC_RULE, { ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" })],
        violations: [],
    },
];

describe("policy messages, whole", () => {
    for (const c of WORLD_INGRESS_CASES) {
        it(`${noWorldIngressToSshOrRedis.name}: ${c.why}`, async () => {
            const o = await runStack(noWorldIngressToSshOrRedis, c.resources);
            assert.deepEqual(
                { violations: o.violations, notApplicable: o.notApplicable, unknowns: o.unknowns },
                { violations: c.violations, notApplicable: [], unknowns: [] },
            );
            // Every finding is reported on the group (the first resource), whichever resource declares the rule.
            assert.deepEqual(
                o.violationUrns,
                c.violations.map(() => stackUrn(c.resources[0])),
            );
        });
    }

    for (const c of CASES) {
        it(`${c.policy.name}: ${c.why}`, async () => {
            const o = await runResource(c.policy, { type: c.type, name: "x", props: c.props, config: c.config });
            assert.deepEqual(
                { violations: o.violations, notApplicable: o.notApplicable, unknowns: o.unknowns },
                { violations: c.violations, notApplicable: c.notApplicable ?? [], unknowns: [] },
            );
        });
    }
});
