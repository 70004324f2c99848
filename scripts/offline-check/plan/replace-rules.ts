// When the provider's Diff replaces a resource instead of updating it in place: the Terraform schema's ForceNew
// attributes and the CustomizeDiff rules that force a new resource, for every type the shipped program declares,
// with Terraform attribute names mapped to Pulumi property names (the bridge's camelCase; the test checks each
// name against the installed SDK's declarations). Neither pulumi-aws's schema.json nor the bridge's metadata
// carries ForceNew, so this table is written by hand from the provider's source, one source per row.
// Read on REPLACE_RULES_AS_OF from hashicorp/terraform-provider-aws (main; the provider pulumi-aws v7 bridges)
// and terraform-provider-random. A test fails when the program declares a type this table lacks.

/** The day the sources below were read. */
export const REPLACE_RULES_AS_OF = "2026-12-04";

const TFAWS = "hashicorp/terraform-provider-aws internal/service";
const TFRANDOM = "hashicorp/terraform-provider-random internal/provider";

/** Old and new values of one property (wire form unwrapped: no secrets, no unknowns) and both input bags. */
export interface DiffContext {
    readonly old: unknown;
    readonly new: unknown;
    readonly olds: Readonly<Record<string, unknown>>;
    readonly news: Readonly<Record<string, unknown>>;
}

export interface ReplaceRule {
    /** Pulumi property path (`rootBlockDevice.encrypted` for a nested attribute). */
    readonly property: string;
    readonly rule: "ForceNew" | "CustomizeDiff";
    /** File (and function for CustomizeDiff) the rule is read from. */
    readonly source: string;
    /** CustomizeDiff only: whether this change of the property forces a new resource. */
    readonly forces?: (change: DiffContext) => boolean;
}

function forceNew(source: string, ...properties: string[]): ReplaceRule[] {
    return properties.map((property) => ({ property, rule: "ForceNew", source }));
}

/** `7.1` / `6.2.6` / `6.x` as numbers, for the engine-version downgrade rule. */
function versionParts(v: unknown): number[] | undefined {
    if (typeof v !== "string" || !/^\d+(\.(\d+|x))*$/.test(v)) {
        return undefined;
    }
    return v.split(".").map((p) => (p === "x" ? Number.POSITIVE_INFINITY : Number(p)));
}

/** Whether `next` is a lower version than `prev` (engine_version.go engineVersionIsDowngrade, `6.x` as the top of 6). */
export function isVersionDowngrade(prev: unknown, next: unknown): boolean {
    const [a, b] = [versionParts(prev), versionParts(next)];
    if (!a || !b) {
        return false;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const [x, y] = [a[i] ?? 0, b[i] ?? 0];
        if (x !== y) {
            return y < x;
        }
    }
    return false;
}

const REPLICATION_GROUP = `${TFAWS}/elasticache/replication_group.go`;
const ENGINE_VERSION = `${TFAWS}/elasticache/engine_version.go`;
const INSTANCE = `${TFAWS}/ec2/ec2_instance.go`;

/** Per Pulumi type token: every property whose change replaces the resource. */
export const REPLACE_RULES: Readonly<Record<string, readonly ReplaceRule[]>> = {
    "aws:elasticache/replicationGroup:ReplicationGroup": [
        ...forceNew(
            REPLICATION_GROUP,
            "atRestEncryptionEnabled",
            "dataTieringEnabled",
            "globalReplicationGroupId",
            "kmsKeyId",
            "networkType",
            "port",
            "replicationGroupId",
            "securityGroupNames",
            "snapshotArns",
            "snapshotName",
            "subnetGroupName",
        ),
        {
            // customizeDiffEngineForceNewOnDowngrade: any engine change except redis -> valkey.
            property: "engine",
            rule: "CustomizeDiff",
            source: `${ENGINE_VERSION} customizeDiffEngineForceNewOnDowngrade`,
            forces: (c) => !(c.old === "redis" && c.new === "valkey"),
        },
        {
            property: "engineVersion",
            rule: "CustomizeDiff",
            source: `${ENGINE_VERSION} customizeDiffEngineVersionForceNewOnDowngrade`,
            forces: (c) => isVersionDowngrade(c.old, c.new),
        },
        {
            // ForceNewIf("node_group_configuration"): explicit node group layouts added, removed or re-sharded.
            property: "nodeGroupConfigurations",
            rule: "CustomizeDiff",
            source: `${REPLICATION_GROUP} CustomizeDiff ForceNewIf node_group_configuration`,
            forces: () => true,
        },
    ],
    "aws:elasticache/parameterGroup:ParameterGroup": forceNew(
        `${TFAWS}/elasticache/parameter_group.go`,
        "name",
        "family",
        "description",
    ),
    "aws:elasticache/subnetGroup:SubnetGroup": forceNew(`${TFAWS}/elasticache/subnet_group.go`, "name"),
    // RBAC (redisAuthMode iam): the ids name the user and the group in every API call, and ModifyUser /
    // ModifyUserGroup take neither a new id, name nor engine; access strings, passwords, authentication mode and
    // a group's members change in place.
    "aws:elasticache/user:User": forceNew(`${TFAWS}/elasticache/user.go`, "userId", "userName", "engine"),
    "aws:elasticache/userGroup:UserGroup": forceNew(`${TFAWS}/elasticache/user_group.go`, "userGroupId", "engine"),
    "aws:ec2/vpc:Vpc": forceNew(`${TFAWS}/ec2/vpc_.go`, "cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"),
    "aws:ec2/subnet:Subnet": forceNew(
        `${TFAWS}/ec2/vpc_subnet.go`,
        "vpcId",
        "cidrBlock",
        "availabilityZone",
        "availabilityZoneId",
        "outpostArn",
        "ipv6Native",
    ),
    "aws:ec2/securityGroup:SecurityGroup": forceNew(
        `${TFAWS}/ec2/vpc_security_group.go`,
        "name",
        "namePrefix",
        "description",
        "vpcId",
    ),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": forceNew(
        `${TFAWS}/ec2/vpc_default_security_group.go`,
        "vpcId",
    ),
    // vpc_id attaches and detaches in Update: nothing forces a new gateway.
    "aws:ec2/internetGateway:InternetGateway": [],
    "aws:ec2/routeTable:RouteTable": forceNew(`${TFAWS}/ec2/vpc_route_table.go`, "vpcId"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": forceNew(
        `${TFAWS}/ec2/vpc_route_table_association.go`,
        "subnetId",
        "gatewayId",
    ),
    "aws:ec2/instance:Instance": [
        ...forceNew(
            INSTANCE,
            "ami",
            "associatePublicIpAddress",
            "availabilityZone",
            "subnetId",
            "keyName",
            "privateIp",
            "placementGroup",
            "tenancy",
            "hostId",
            "launchTemplate",
            "ipv6AddressCount",
            "ipv6Addresses",
            "networkInterfaces",
            "ebsBlockDevices",
            "ephemeralBlockDevices",
            "rootBlockDevice.encrypted",
            "rootBlockDevice.kmsKeyId",
        ),
        {
            // CustomizeDiff: user_data (and its base64 form) forces a new instance when user_data_replace_on_change.
            property: "userData",
            rule: "CustomizeDiff",
            source: `${INSTANCE} CustomizeDiff ForceNewIf user_data (user_data_replace_on_change)`,
            forces: (c) => c.news.userDataReplaceOnChange === true,
        },
    ],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": forceNew(
        `${TFAWS}/vpc/security_group_ingress_rule.go (RequiresReplace)`,
        "securityGroupId",
    ),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": forceNew(
        `${TFAWS}/vpc/security_group_egress_rule.go (RequiresReplace)`,
        "securityGroupId",
    ),
    "aws:iam/role:Role": forceNew(`${TFAWS}/iam/role.go`, "name", "namePrefix", "path"),
    "aws:iam/instanceProfile:InstanceProfile": forceNew(
        `${TFAWS}/iam/instance_profile.go`,
        "name",
        "namePrefix",
        "path",
    ),
    "aws:iam/rolePolicy:RolePolicy": forceNew(`${TFAWS}/iam/role_policy.go`, "name", "namePrefix", "role"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": forceNew(
        `${TFAWS}/iam/role_policy_attachment.go`,
        "role",
        "policyArn",
    ),
    "aws:kms/key:Key": forceNew(
        `${TFAWS}/kms/key.go`,
        "customerMasterKeySpec",
        "keyUsage",
        "multiRegion",
        "customKeyStoreId",
        "xksKeyId",
    ),
    "aws:ssm/parameter:Parameter": [
        ...forceNew(`${TFAWS}/ssm/parameter.go`, "name", "dataType"),
        {
            // "You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier."
            property: "tier",
            rule: "CustomizeDiff",
            source: `${TFAWS}/ssm/parameter.go CustomizeDiff ForceNewIfChange tier`,
            forces: (c) => c.old === "Advanced" && c.new === "Standard",
        },
    ],
    "aws:cloudwatch/logGroup:LogGroup": forceNew(`${TFAWS}/logs/group.go`, "name", "namePrefix", "logGroupClass"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": forceNew(`${TFAWS}/cloudwatch/metric_alarm.go`, "name"),
    "aws:sns/topic:Topic": forceNew(`${TFAWS}/sns/topic.go`, "name", "namePrefix", "fifoTopic"),
    "aws:sns/topicSubscription:TopicSubscription": forceNew(
        `${TFAWS}/sns/topic_subscription.go`,
        "topic",
        "endpoint",
        "protocol",
        "endpointAutoConfirms",
        "confirmationTimeoutInMinutes",
    ),
    // Every argument of random_id is RequiresReplace (internal/provider/resource_id.go: keepers, byte_length,
    // prefix); redis-stack's final snapshot suffix.
    "random:index/randomId:RandomId": forceNew(
        `${TFRANDOM}/resource_id.go (RequiresReplace)`,
        "keepers",
        "byteLength",
        "prefix",
    ),
    // Every argument of random_password is RequiresReplace (a new value is a new resource).
    "random:index/randomPassword:RandomPassword": forceNew(
        `${TFRANDOM}/resource_password.go (RequiresReplace)`,
        "keepers",
        "length",
        "special",
        "upper",
        "lower",
        "numeric",
        "minNumeric",
        "minUpper",
        "minLower",
        "minSpecial",
        "overrideSpecial",
    ),
};
