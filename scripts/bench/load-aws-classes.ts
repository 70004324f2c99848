// Preload for the start-up bench: touches the @pulumi/aws classes a pack written with
// validateResourceOfType(aws.x.Y, ...) would reference (each touch loads that service module).
import * as aws from "@pulumi/aws";

export const classes = [
    aws.elasticache.ReplicationGroup,
    aws.elasticache.Cluster,
    aws.ec2.Instance,
    aws.ec2.LaunchTemplate,
    aws.ec2.SecurityGroup,
    aws.ec2.SecurityGroupRule,
    aws.ec2.DefaultSecurityGroup,
    aws.vpc.SecurityGroupIngressRule,
];
