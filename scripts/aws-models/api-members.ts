// Hand-kept: which AWS API operation creates each Pulumi type the program declares, and which Pulumi property
// each API member is sent from (read from terraform-provider-aws internal/service/<service>/<resource>.go, whose
// Create function builds the input from the schema's attributes; the Pulumi name is the attribute's camelCase
// unless pulumi-aws provider/resources.go renames it). The generator (generate.ts) reads the members' shapes
// from AWS's models; nothing here states a constraint.

import { type ConstraintTarget } from "../../policy/shared";

export interface MemberMapping {
    /** Path through the operation's input shape: `Path`, `Passwords.member`, `Tags.member.Key`, `Tags.key`. */
    readonly member: string;
    readonly property: string;
    /** Default `value`. */
    readonly target?: ConstraintTarget;
    /**
     * Parts of the model's constraint this entry leaves out, each with why: the Debian model is a snapshot, and
     * an enum AWS has grown since would refuse values AWS now accepts.
     */
    readonly skip?: { readonly enum?: string; readonly minLength?: string; readonly pattern?: string };
    /** An enum of the installed @pulumi/aws SDK (types/enums/<module>) whose values AWS also accepts. */
    readonly sdkEnum?: { readonly module: string; readonly name: string };
    /**
     * How the member gets a value when the program leaves the property out (auto-name, the provider's default,
     * the SDK's own required check). `required` is judged only for members without one.
     */
    readonly filledBy?: string;
}

export interface OperationMapping {
    /** botocore's data directory name. */
    readonly service: string;
    readonly operation: string;
    readonly members: readonly MemberMapping[];
}

const STALE_KEY_SPECS =
    "the provider's own list (kms.ts) is newer: AWS added key specs (ECC_NIST_EDWARDS25519, ML_DSA_*)";
const SDK_REQUIRED = "the SDK refuses a resource without it";
const AUTO_NAME = "auto-named by the provider's Check";
const VALUE_OR_INSECURE = "one of value and insecureValue (the provider's ExactlyOneOf)";
const MANAGED_BY_PULUMI = `the provider's default "Managed by Pulumi"`;

/** Tags as a Pulumi map: each key and value against the service's Tag shape, the count against the list's. */
function tags(keyMember: string, valueMember: string, listMember = "Tags"): MemberMapping[] {
    return [
        { member: listMember, property: "tags" },
        { member: keyMember, property: "tags", target: "keys" },
        { member: valueMember, property: "tags", target: "values" },
    ];
}
const TAG_STRUCT = tags("Tags.member.Key", "Tags.member.Value");

export const API_MEMBERS: Readonly<Record<string, readonly OperationMapping[]>> = {
    "aws:elasticache/replicationGroup:ReplicationGroup": [
        {
            service: "elasticache",
            operation: "CreateReplicationGroup",
            members: [
                { member: "ReplicationGroupId", property: "replicationGroupId", filledBy: AUTO_NAME },
                { member: "ReplicationGroupDescription", property: "description", filledBy: SDK_REQUIRED },
                { member: "UserGroupIds", property: "userGroupIds" },
                { member: "NetworkType", property: "networkType" },
                { member: "IpDiscovery", property: "ipDiscovery" },
                ...TAG_STRUCT,
            ],
        },
    ],
    "aws:elasticache/user:User": [
        {
            service: "elasticache",
            operation: "CreateUser",
            members: [
                { member: "UserId", property: "userId", filledBy: SDK_REQUIRED },
                { member: "UserName", property: "userName", filledBy: SDK_REQUIRED },
                { member: "Engine", property: "engine", filledBy: SDK_REQUIRED },
                { member: "Passwords", property: "passwords" },
                { member: "Passwords.member", property: "passwords", target: "items" },
                { member: "AccessString", property: "accessString", filledBy: SDK_REQUIRED },
                ...TAG_STRUCT,
            ],
        },
    ],
    "aws:elasticache/userGroup:UserGroup": [
        {
            service: "elasticache",
            operation: "CreateUserGroup",
            members: [
                { member: "UserGroupId", property: "userGroupId", filledBy: SDK_REQUIRED },
                { member: "Engine", property: "engine", filledBy: SDK_REQUIRED },
                { member: "UserIds", property: "userIds" },
                { member: "UserIds.member", property: "userIds", target: "items" },
                ...TAG_STRUCT,
            ],
        },
    ],
    "aws:elasticache/subnetGroup:SubnetGroup": [
        {
            service: "elasticache",
            operation: "CreateCacheSubnetGroup",
            members: [
                { member: "CacheSubnetGroupName", property: "name", filledBy: AUTO_NAME },
                { member: "CacheSubnetGroupDescription", property: "description", filledBy: MANAGED_BY_PULUMI },
                { member: "SubnetIds", property: "subnetIds", filledBy: SDK_REQUIRED },
                ...TAG_STRUCT,
            ],
        },
    ],
    "aws:elasticache/parameterGroup:ParameterGroup": [
        {
            service: "elasticache",
            operation: "CreateCacheParameterGroup",
            members: [
                { member: "CacheParameterGroupName", property: "name", filledBy: AUTO_NAME },
                { member: "CacheParameterGroupFamily", property: "family", filledBy: SDK_REQUIRED },
                { member: "Description", property: "description", filledBy: MANAGED_BY_PULUMI },
                ...TAG_STRUCT,
            ],
        },
    ],
    "aws:ssm/parameter:Parameter": [
        {
            service: "ssm",
            operation: "PutParameter",
            members: [
                { member: "Name", property: "name", filledBy: AUTO_NAME },
                { member: "Description", property: "description" },
                { member: "Value", property: "value", filledBy: VALUE_OR_INSECURE },
                { member: "Value", property: "insecureValue", filledBy: VALUE_OR_INSECURE },
                { member: "Type", property: "type", sdkEnum: { module: "ssm", name: "ParameterType" } },
                { member: "KeyId", property: "keyId" },
                { member: "AllowedPattern", property: "allowedPattern" },
                { member: "Tier", property: "tier" },
                { member: "DataType", property: "dataType" },
                { member: "Tags", property: "tags" },
                { member: "Tags.member.Key", property: "tags", target: "keys" },
                {
                    member: "Tags.member.Value",
                    property: "tags",
                    target: "values",
                    skip: {
                        minLength:
                            "the 2022 model's minimum 1 for SSM tag values is not in AWS's current Tag reference (0..256); an empty value is not refused here",
                    },
                },
            ],
        },
    ],
    "aws:iam/role:Role": [
        {
            service: "iam",
            operation: "CreateRole",
            members: [
                { member: "Path", property: "path" },
                { member: "RoleName", property: "name", filledBy: AUTO_NAME },
                { member: "AssumeRolePolicyDocument", property: "assumeRolePolicy", filledBy: SDK_REQUIRED },
                { member: "Description", property: "description" },
                { member: "MaxSessionDuration", property: "maxSessionDuration" },
                { member: "PermissionsBoundary", property: "permissionsBoundary" },
                ...TAG_STRUCT,
            ],
        },
    ],
    "aws:iam/rolePolicy:RolePolicy": [
        {
            service: "iam",
            operation: "PutRolePolicy",
            members: [
                { member: "RoleName", property: "role", filledBy: SDK_REQUIRED },
                { member: "PolicyName", property: "name", filledBy: AUTO_NAME },
                { member: "PolicyDocument", property: "policy", filledBy: SDK_REQUIRED },
            ],
        },
    ],
    "aws:iam/instanceProfile:InstanceProfile": [
        {
            service: "iam",
            operation: "CreateInstanceProfile",
            members: [
                { member: "InstanceProfileName", property: "name", filledBy: AUTO_NAME },
                { member: "Path", property: "path" },
                ...TAG_STRUCT,
            ],
        },
    ],
    "aws:iam/policy:Policy": [
        {
            service: "iam",
            operation: "CreatePolicy",
            members: [
                { member: "PolicyName", property: "name", filledBy: AUTO_NAME },
                { member: "Path", property: "path" },
                { member: "PolicyDocument", property: "policy", filledBy: SDK_REQUIRED },
                { member: "Description", property: "description" },
                ...TAG_STRUCT,
            ],
        },
    ],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": [
        {
            service: "iam",
            operation: "AttachRolePolicy",
            members: [
                { member: "RoleName", property: "role", filledBy: SDK_REQUIRED },
                { member: "PolicyArn", property: "policyArn", filledBy: SDK_REQUIRED },
            ],
        },
    ],
    "aws:cloudwatch/metricAlarm:MetricAlarm": [
        {
            service: "cloudwatch",
            operation: "PutMetricAlarm",
            members: [
                { member: "AlarmName", property: "name", filledBy: AUTO_NAME },
                { member: "AlarmDescription", property: "alarmDescription" },
                { member: "OKActions", property: "okActions" },
                { member: "OKActions.member", property: "okActions", target: "items" },
                { member: "AlarmActions", property: "alarmActions" },
                { member: "AlarmActions.member", property: "alarmActions", target: "items" },
                { member: "InsufficientDataActions", property: "insufficientDataActions" },
                {
                    member: "InsufficientDataActions.member",
                    property: "insufficientDataActions",
                    target: "items",
                },
                { member: "MetricName", property: "metricName" },
                { member: "Namespace", property: "namespace" },
                { member: "Statistic", property: "statistic" },
                { member: "ExtendedStatistic", property: "extendedStatistic" },
                { member: "Dimensions", property: "dimensions" },
                { member: "Dimensions.member.Name", property: "dimensions", target: "keys" },
                { member: "Dimensions.member.Value", property: "dimensions", target: "values" },
                { member: "Period", property: "period" },
                { member: "Unit", property: "unit" },
                { member: "EvaluationPeriods", property: "evaluationPeriods", filledBy: SDK_REQUIRED },
                { member: "DatapointsToAlarm", property: "datapointsToAlarm" },
                { member: "ComparisonOperator", property: "comparisonOperator", filledBy: SDK_REQUIRED },
                { member: "TreatMissingData", property: "treatMissingData" },
                {
                    member: "EvaluateLowSampleCountPercentile",
                    property: "evaluateLowSampleCountPercentiles",
                },
                { member: "ThresholdMetricId", property: "thresholdMetricId" },
                ...TAG_STRUCT,
            ],
        },
    ],
    "aws:sns/topic:Topic": [
        {
            service: "sns",
            operation: "CreateTopic",
            members: [{ member: "Name", property: "name", filledBy: AUTO_NAME }, ...TAG_STRUCT],
        },
    ],
    "aws:sns/topicSubscription:TopicSubscription": [
        {
            service: "sns",
            operation: "Subscribe",
            members: [
                { member: "TopicArn", property: "topic", filledBy: SDK_REQUIRED },
                { member: "Protocol", property: "protocol", filledBy: SDK_REQUIRED },
                { member: "Endpoint", property: "endpoint" },
            ],
        },
    ],
    "aws:ec2/securityGroup:SecurityGroup": [
        {
            service: "ec2",
            operation: "CreateSecurityGroup",
            members: [
                { member: "GroupName", property: "name", filledBy: AUTO_NAME },
                { member: "Description", property: "description", filledBy: MANAGED_BY_PULUMI },
                { member: "VpcId", property: "vpcId" },
            ],
        },
    ],
    "aws:ec2/vpc:Vpc": [
        {
            service: "ec2",
            operation: "CreateVpc",
            members: [
                { member: "CidrBlock", property: "cidrBlock" },
                { member: "Ipv4NetmaskLength", property: "ipv4NetmaskLength" },
                { member: "InstanceTenancy", property: "instanceTenancy" },
            ],
        },
    ],
    "aws:ec2/subnet:Subnet": [
        {
            service: "ec2",
            operation: "CreateSubnet",
            members: [
                { member: "VpcId", property: "vpcId", filledBy: SDK_REQUIRED },
                { member: "CidrBlock", property: "cidrBlock" },
                { member: "AvailabilityZone", property: "availabilityZone" },
                { member: "AvailabilityZoneId", property: "availabilityZoneId" },
            ],
        },
    ],
    "aws:ec2/instance:Instance": [
        {
            service: "ec2",
            operation: "RunInstances",
            members: [
                { member: "ImageId", property: "ami" },
                {
                    member: "InstanceType",
                    property: "instanceType",
                    skip: { enum: "AWS adds instance types every few months; the model's list is a snapshot" },
                },
                { member: "KeyName", property: "keyName" },
                { member: "SubnetId", property: "subnetId" },
                { member: "UserData", property: "userData" },
                { member: "PrivateIpAddress", property: "privateIp" },
            ],
        },
    ],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": [
        {
            service: "ec2",
            operation: "AuthorizeSecurityGroupIngress",
            members: [
                { member: "GroupId", property: "securityGroupId", filledBy: SDK_REQUIRED },
                { member: "IpProtocol", property: "ipProtocol", filledBy: SDK_REQUIRED },
                { member: "FromPort", property: "fromPort" },
                { member: "ToPort", property: "toPort" },
            ],
        },
    ],
    "aws:kms/key:Key": [
        {
            service: "kms",
            operation: "CreateKey",
            members: [
                { member: "Policy", property: "policy" },
                { member: "Description", property: "description" },
                { member: "KeyUsage", property: "keyUsage", skip: { enum: STALE_KEY_SPECS } },
                { member: "CustomerMasterKeySpec", property: "customerMasterKeySpec", skip: { enum: STALE_KEY_SPECS } },
                { member: "CustomKeyStoreId", property: "customKeyStoreId" },
                { member: "XksKeyId", property: "xksKeyId" },
                ...tags("Tags.member.TagKey", "Tags.member.TagValue"),
            ],
        },
    ],
    "aws:cloudwatch/logGroup:LogGroup": [
        {
            service: "logs",
            operation: "CreateLogGroup",
            members: [
                { member: "logGroupName", property: "name", filledBy: AUTO_NAME },
                { member: "kmsKeyId", property: "kmsKeyId" },
                ...tags("tags.key", "tags.value", "tags"),
            ],
        },
    ],
};
