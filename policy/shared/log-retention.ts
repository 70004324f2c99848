// CloudWatch Logs retention, one source for the config layer (`logRetentionDays`) and the offline check's
// provider Check (`aws.cloudwatch.LogGroup.retentionInDays`). Sources: PutRetentionPolicy `retentionInDays`
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html) and
// terraform-provider-aws internal/service/logs/group.go (`retention_in_days`: validation.IntInSlice of the same
// values, plus 0).

/** The retention values CloudWatch Logs accepts, in days; 0 means never expire (the group gets no retention). */
export const LOG_RETENTION_DAYS: readonly number[] = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
