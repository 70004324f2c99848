// AWS's rules for identifiers the program derives from the stack name. Source: CreateReplicationGroup,
// https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html
// (ReplicationGroupId), enforced by the AWS provider's validateReplicationGroupID in
// terraform-provider-aws internal/service/elasticache/replication_group.go.

export const REPLICATION_GROUP_ID_MAX_LENGTH = 40;

/** Why AWS refuses this replication group ID, or undefined. */
export function replicationGroupIdProblem(id: string): string | undefined {
    if (id.length < 1 || id.length > REPLICATION_GROUP_ID_MAX_LENGTH) {
        return `is ${id.length} characters long; a replication group ID has 1 to ${REPLICATION_GROUP_ID_MAX_LENGTH}`;
    }
    if (!/^[0-9A-Za-z-]+$/.test(id)) {
        return "may contain only letters, digits and hyphens";
    }
    if (!/^[A-Za-z]/.test(id)) {
        return "must begin with a letter";
    }
    if (id.includes("--")) {
        return "cannot contain two consecutive hyphens";
    }
    if (id.endsWith("-")) {
        return "cannot end with a hyphen";
    }
    return undefined;
}

/**
 * The characters EC2 accepts in a security group rule's description
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html); the AWS provider validates inline
 * rules with it (internal/service/ec2/validate.go validSecurityGroupRuleDescription).
 */
export const SECURITY_GROUP_RULE_DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
