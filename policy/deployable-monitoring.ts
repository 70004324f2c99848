// Deployability of CloudWatch alarms: what the provider's Create (validMetricAlarm) and PutMetricAlarm refuse at
// `pulumi up` although the Check lets it through. Mandatory.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { NO_CONFIG, forTypes, isSet, knownValue, label } from "./lib/util";

export const ALARM_STATISTIC_POLICY = "cloudwatch-alarm-statistic";

/**
 * Sources: terraform-provider-aws internal/service/cloudwatch/metric_alarm.go validMetricAlarm, run by Create and
 * Update ("One of `statistic` or `extended_statistic` must be set for a cloudwatch metric alarm"), and
 * PutMetricAlarm: a single-metric alarm needs exactly one of Statistic and ExtendedStatistic, or Metrics
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
 */
export const cloudwatchAlarmStatistic: ResourceValidationPolicy = {
    name: ALARM_STATISTIC_POLICY,
    description:
        "A metric alarm sets exactly one of statistic and extendedStatistic, or metricQueries; the provider and CloudWatch refuse anything else.",
    enforcementLevel: "mandatory",
    configSchema: NO_CONFIG,
    validateResource: forTypes(["aws:cloudwatch/metricAlarm:MetricAlarm"], (args, report) => {
        const queries = knownValue<unknown[]>(args.props, "metricQueries");
        if (isSet(args.props, "metricQueries") && (queries === undefined || queries.length > 0)) {
            return; // a metric-math alarm (or a list known only at apply): no statistic of its own.
        }
        const statistics = ["statistic", "extendedStatistic"].filter((k) => isSet(args.props, k));
        if (statistics.length !== 1) {
            report(
                `${label(args.type, args.name)}: ${statistics.length === 0 ? "neither statistic nor extendedStatistic nor metricQueries" : "both statistic and extendedStatistic"}; ` +
                    "the provider refuses it at create: One of `statistic` or `extended_statistic` must be set for a cloudwatch metric alarm. " +
                    'Fix: set statistic (e.g. "Average") or extendedStatistic (e.g. "p99"), not both.',
            );
        }
    }),
};
