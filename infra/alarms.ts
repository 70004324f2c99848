import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type AlarmSpec, type CacheTopology, planCacheAlarms } from "./alarm-plan";
import type { AlarmsConfig } from "./config/alarms";

export interface AlarmsArgs extends AlarmsConfig, CacheTopology {
    /**
     * The replication group whose member clusters are watched; their ids follow from it (see
     * `memberClusterSuffixes`), so every alarm exists in a preview before the group does.
     * @example cache.replicationGroupId
     */
    readonly replicationGroupId: pulumi.Input<string>;
    /**
     * The bastion, watched by its system status check and recovered by EC2 when the host fails.
     * @example bastion.instanceId
     */
    readonly bastionInstanceId: pulumi.Input<string>;
    /**
     * An existing SNS topic for alarm and OK notifications (the one that gets ElastiCache events).
     * @default undefined: no existing topic
     * @example "arn:aws:sns:us-east-1:123456789012:ops"
     */
    readonly notificationTopicArn?: string;
}

/**
 * CloudWatch alarms that page: per cache node engine CPU, memory, evictions, replication lag (with replicas)
 * and CPU credits (burstable nodes), plus the bastion's system status check with EC2's recover action. Alarm
 * and OK notifications go to `notificationTopicArn` and, with `email`, to a topic of its own with an email
 * subscription.
 */
export class Alarms extends pulumi.ComponentResource {
    /**
     * The topic created for `email`, if any.
     * @default undefined (no `email`)
     * @example "arn:aws:sns:us-east-1:123456789012:redis-dev-alarms-topic-1a2b3c4"
     */
    readonly topicArn?: pulumi.Output<string>;
    /**
     * Names of every alarm created.
     * @example ["redis-dev-alarms-001-cpu-1a2b3c4", "redis-dev-alarms-bastion-status-5d6e7f8"]
     */
    readonly alarmNames: pulumi.Output<string>[];

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-stack:monitoring:Alarms", name, {}, opts);

        this.topicArn = this.createEmailTopic(name, args);
        const actions = [args.notificationTopicArn, this.topicArn].filter(
            (a): a is NonNullable<typeof a> => a !== undefined,
        );
        this.alarmNames = [
            ...this.createCacheAlarms(name, args, actions),
            this.createBastionAlarm(name, args, actions),
        ];

        this.registerOutputs({ topicArn: this.topicArn, alarmNames: this.alarmNames });
    }

    private createEmailTopic(name: string, args: AlarmsArgs): pulumi.Output<string> | undefined {
        if (args.email === undefined) {
            return undefined;
        }
        const topic = new aws.sns.Topic(`${name}-topic`, {}, { parent: this });
        // AWS mails a confirmation link; nothing is delivered until the recipient follows it.
        new aws.sns.TopicSubscription(
            `${name}-email`,
            { topic: topic.arn, protocol: "email", endpoint: args.email },
            { parent: this },
        );
        return topic.arn;
    }

    private createCacheAlarms(
        name: string,
        args: AlarmsArgs,
        actions: pulumi.Input<string>[],
    ): pulumi.Output<string>[] {
        return planCacheAlarms(args, args.thresholds).map((spec: AlarmSpec) => {
            const alarm = new aws.cloudwatch.MetricAlarm(
                `${name}-${spec.key}`,
                {
                    namespace: "AWS/ElastiCache",
                    metricName: spec.metricName,
                    dimensions: {
                        CacheClusterId: pulumi.interpolate`${args.replicationGroupId}-${spec.member}`,
                        // Each member cluster of a replication group has exactly one node, 0001.
                        CacheNodeId: "0001",
                    },
                    statistic: spec.statistic,
                    comparisonOperator: spec.comparison,
                    threshold: spec.threshold,
                    period: spec.periodSeconds,
                    evaluationPeriods: spec.evaluationPeriods,
                    treatMissingData: spec.treatMissingData,
                    alarmDescription: spec.description,
                    alarmActions: actions,
                    okActions: actions,
                },
                { parent: this },
            );
            return alarm.name;
        });
    }

    private createBastionAlarm(name: string, args: AlarmsArgs, actions: pulumi.Input<string>[]): pulumi.Output<string> {
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const alarm = new aws.cloudwatch.MetricAlarm(
            `${name}-bastion-status`,
            {
                namespace: "AWS/EC2",
                metricName: "StatusCheckFailed_System",
                dimensions: { InstanceId: args.bastionInstanceId },
                statistic: "Maximum",
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                threshold: 1,
                period: 60,
                evaluationPeriods: 2,
                treatMissingData: "missing",
                alarmDescription:
                    "The bastion's host failed its system status check for 2 minutes: EC2 recovers the instance onto new hardware (same id, addresses and volume).",
                // EC2's recover action works on the system status check only (an instance check needs a reboot).
                alarmActions: [pulumi.interpolate`arn:${partition}:automate:${region}:ec2:recover`, ...actions],
                okActions: actions,
            },
            { parent: this },
        );
        return alarm.name;
    }
}
