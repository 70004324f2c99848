// AWS API rules that no model states as a constraint, only in prose: the documentation strings of the same
// models (botocore service-2.json, quoted as "model doc") and AWS's documentation pages. Each rule names its
// source. AWS judges them when `pulumi up` calls the API. Unknown values are never judged; secret values are
// never printed.

import { type Failure, type IsUnknown } from "./constraints";

type Inputs = Readonly<Record<string, unknown>>;
type Rule = (inputs: Inputs, isUnknown: IsUnknown) => Failure[];

const SOURCES = {
    putParameter: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
    createSecurityGroup: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
    createCacheSubnetGroup:
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html",
    parameterGroupNaming: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Creating.html",
    createTopic: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
    subscribe: "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html",
    putMetricAlarm: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    rbacPasswords: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html",
    tagging: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
    elasticacheTags: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Tagging-Resources.html",
} as const;

function known(inputs: Inputs, key: string, isUnknown: IsUnknown): unknown {
    const v = inputs[key];
    return v === undefined || v === null || isUnknown(v) ? undefined : v;
}
function knownString(inputs: Inputs, key: string, isUnknown: IsUnknown): string | undefined {
    const v = known(inputs, key, isUnknown);
    return typeof v === "string" ? v : undefined;
}
function knownNumber(inputs: Inputs, key: string, isUnknown: IsUnknown): number | undefined {
    const v = known(inputs, key, isUnknown);
    return typeof v === "number" ? v : undefined;
}
const refuse = (property: string, what: string, source: string): Failure => ({
    property,
    reason: `AWS would refuse it at \`pulumi up\`: ${what} (${source})`,
});

/** SSM parameter names: PutParameter's Name (model doc and SOURCES.putParameter). */
export function ssmParameterNameProblem(name: string): string | undefined {
    if (/\s/.test(name)) {
        return "a parameter name can't include spaces";
    }
    if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) {
        return "a parameter name can include only a-zA-Z0-9_.- and / between hierarchy levels";
    }
    if (name.includes("/") && !name.startsWith("/")) {
        return "a name in a hierarchy must begin with a forward slash (/)";
    }
    if (/^\/?(aws|ssm)/i.test(name)) {
        return `a parameter name can't be prefixed with "aws" or "ssm" (case-insensitive)`;
    }
    if (name.split("/").filter((level) => level !== "").length > 15) {
        return "parameter hierarchies are limited to a maximum depth of fifteen levels";
    }
    // 1011 characters including the ARN before the name; the shortest such prefix
    // (arn:aws:ssm:us-east-1:123456789012:parameter/) takes 45.
    if (name.length > 1011 - 45) {
        return "the maximum length for a parameter name, including the ARN before it, is 1011 characters";
    }
    return undefined;
}

/** Value size per tier (model doc): Standard 4 KB, Advanced 8 KB; Intelligent-Tiering promotes up to 8 KB. */
const SSM_VALUE_LIMIT: Readonly<Record<string, number>> = {
    Standard: 4096,
    Advanced: 8192,
    "Intelligent-Tiering": 8192,
};

const ssmParameter: Rule = (inputs, isUnknown) => {
    const out: Failure[] = [];
    const name = knownString(inputs, "name", isUnknown);
    const nameProblem = name === undefined ? undefined : ssmParameterNameProblem(name);
    if (nameProblem) {
        out.push(refuse("name", nameProblem, SOURCES.putParameter));
    }
    const tier = knownString(inputs, "tier", isUnknown) ?? "Standard";
    const limit = SSM_VALUE_LIMIT[tier];
    for (const key of ["value", "insecureValue"]) {
        const value = knownString(inputs, key, isUnknown);
        const bytes = value === undefined ? 0 : Buffer.byteLength(value, "utf8");
        if (limit !== undefined && bytes > limit) {
            out.push(
                refuse(
                    key,
                    `the value is ${bytes} bytes; ${tier} parameters have a value limit of ${limit / 1024} KB${tier === "Standard" ? " (tier Advanced allows 8 KB)" : ""}`,
                    SOURCES.putParameter,
                ),
            );
        }
    }
    return out;
};

/** EC2-VPC security group names (CreateSecurityGroup GroupName, model doc). */
const SECURITY_GROUP_NAME = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

const securityGroup: Rule = (inputs, isUnknown) =>
    (["name", "namePrefix"] as const).flatMap((key) => {
        const v = knownString(inputs, key, isUnknown);
        if (v === undefined) {
            return [];
        }
        if (v.startsWith("sg-")) {
            return [refuse(key, "a security group name cannot start with sg-", SOURCES.createSecurityGroup)];
        }
        if (!SECURITY_GROUP_NAME.test(v)) {
            return [
                refuse(
                    key,
                    "a VPC security group name may contain only a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
                    SOURCES.createSecurityGroup,
                ),
            ];
        }
        return [];
    });

const cacheSubnetGroup: Rule = (inputs, isUnknown) => {
    const name = knownString(inputs, "name", isUnknown);
    return name !== undefined && !/^[A-Za-z0-9-]{1,255}$/.test(name)
        ? [
              refuse(
                  "name",
                  "a cache subnet group name must contain no more than 255 alphanumeric characters or hyphens",
                  SOURCES.createCacheSubnetGroup,
              ),
          ]
        : [];
};

/** ElastiCache parameter group names: a letter first, letters, digits, hyphens; no `--`, no trailing `-`. */
export function cacheParameterGroupNameProblem(name: string): string | undefined {
    if (!/^[A-Za-z][A-Za-z0-9-]{0,254}$/.test(name)) {
        return "a parameter group name must begin with a letter and contain only 1 to 255 ASCII letters, digits and hyphens";
    }
    if (name.includes("--") || name.endsWith("-")) {
        return "a parameter group name cannot end with a hyphen or contain two consecutive hyphens";
    }
    return undefined;
}

const cacheParameterGroup: Rule = (inputs, isUnknown) => {
    const name = knownString(inputs, "name", isUnknown);
    const problem = name === undefined ? undefined : cacheParameterGroupNameProblem(name);
    return problem ? [refuse("name", problem, SOURCES.parameterGroupNaming)] : [];
};

/** SNS topic names (CreateTopic Name, model doc): ASCII letters, digits, `_`, `-`, 1-256; FIFO ends with `.fifo`. */
const snsTopic: Rule = (inputs, isUnknown) => {
    const name = knownString(inputs, "name", isUnknown);
    const fifoSet = inputs.fifoTopic !== undefined && inputs.fifoTopic !== null;
    const fifo = known(inputs, "fifoTopic", isUnknown);
    if (name === undefined || (fifoSet && typeof fifo !== "boolean")) {
        return [];
    }
    if (fifo === true) {
        return /^[A-Za-z0-9_-]{1,251}\.fifo$/.test(name)
            ? []
            : [
                  refuse(
                      "name",
                      "a FIFO topic's name must end with the .fifo suffix (set `name` ending in `.fifo`, or leave it to the auto-name, which appends it), before it 1 to 251 ASCII letters, digits, underscores and hyphens",
                      SOURCES.createTopic,
                  ),
              ];
    }
    return /^[A-Za-z0-9_-]{1,256}$/.test(name)
        ? []
        : [
              refuse(
                  "name",
                  "topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long",
                  SOURCES.createTopic,
              ),
          ];
};

/** SNS subscription protocols (Subscribe Protocol, model doc and SOURCES.subscribe). */
export const SNS_PROTOCOLS = [
    "http",
    "https",
    "email",
    "email-json",
    "sms",
    "sqs",
    "application",
    "lambda",
    "firehose",
] as const;

const snsSubscription: Rule = (inputs, isUnknown) => {
    const protocol = knownString(inputs, "protocol", isUnknown);
    return protocol !== undefined && !(SNS_PROTOCOLS as readonly string[]).includes(protocol)
        ? [
              refuse(
                  "protocol",
                  `supported protocols are ${SNS_PROTOCOLS.join(", ")} (got "${protocol}")`,
                  SOURCES.subscribe,
              ),
          ]
        : [];
};

/**
 * CloudWatch alarms (PutMetricAlarm, SOURCES.putMetricAlarm; the 2022 model doc lists 10, 30 and multiples of 60,
 * the current page adds 20): Period is 10, 20, 30 or a multiple of 60;
 * Period × EvaluationPeriods is at most one day (86,400 s); TreatMissingData is one of four values.
 */
export const TREAT_MISSING_DATA = ["breaching", "notBreaching", "ignore", "missing"] as const;

const metricAlarm: Rule = (inputs, isUnknown) => {
    const out: Failure[] = [];
    const period = knownNumber(inputs, "period", isUnknown);
    if (period !== undefined && ![10, 20, 30].includes(period) && (period <= 0 || period % 60 !== 0)) {
        out.push(
            refuse(
                "period",
                `valid periods are 10, 20, 30, and any multiple of 60 (got ${period})`,
                SOURCES.putMetricAlarm,
            ),
        );
    }
    const periods = knownNumber(inputs, "evaluationPeriods", isUnknown);
    if (period !== undefined && periods !== undefined && period * periods > 86_400) {
        out.push(
            refuse(
                "evaluationPeriods",
                `an alarm's total evaluation period can be no longer than one day: period × evaluationPeriods = ${period * periods} s > 86400 s`,
                SOURCES.putMetricAlarm,
            ),
        );
    }
    const treat = knownString(inputs, "treatMissingData", isUnknown);
    if (treat !== undefined && !(TREAT_MISSING_DATA as readonly string[]).includes(treat)) {
        out.push(
            refuse(
                "treatMissingData",
                `valid values are ${TREAT_MISSING_DATA.join(" | ")} (got "${treat}")`,
                SOURCES.putMetricAlarm,
            ),
        );
    }
    return out;
};

/**
 * ElastiCache RBAC user passwords (SOURCES.rbacPasswords; the model doc of CreateUser.Passwords allows two): 16 to
 * 128 printable characters without `,` `"` `/` `@`.
 */
const cacheUser: Rule = (inputs, isUnknown) => {
    // A list's size and its known items are judged even while other items are unknown.
    const passwords = inputs.passwords;
    if (!Array.isArray(passwords)) {
        return [];
    }
    const out: Failure[] = [];
    if (passwords.length > 2) {
        out.push(refuse("passwords", "you can create up to two passwords for each user", SOURCES.rbacPasswords));
    }
    passwords.forEach((p, i) => {
        if (typeof p !== "string" || isUnknown(p)) {
            return;
        }
        if (p.length < 16 || p.length > 128) {
            out.push(
                refuse(
                    `passwords[${i}]`,
                    `a password has 16 to 128 characters (this one has ${p.length})`,
                    SOURCES.rbacPasswords,
                ),
            );
        } else if (!/^[\x21-\x7e]+$/.test(p) || /[,"/@]/.test(p)) {
            out.push(
                refuse(
                    `passwords[${i}]`,
                    'a password has only printable ASCII characters other than , " / @',
                    SOURCES.rbacPasswords,
                ),
            );
        }
    });
    return out;
};

/**
 * Tags of services whose API model states no pattern or length (SOURCES.tagging: keys 1 to 128 characters, values
 * up to 256, the `aws:` prefix reserved; "letters, numbers, and spaces representable in UTF-8, and the following
 * characters: _ . : / = + - @" where the service restricts characters). ElastiCache, like EC2, "allows for any
 * character in its tags" (SOURCES.elasticacheTags): lengths and the prefix only.
 */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const tagRule =
    (restrictsCharacters: boolean): Rule =>
    (inputs, isUnknown) => {
        // The map's known entries are judged even while others are unknown (the unknown sentinel is a string).
        const t = inputs.tags;
        if (typeof t !== "object" || t === null || Array.isArray(t)) {
            return [];
        }
        return Object.entries(t as Record<string, unknown>).flatMap(([key, value]) => {
            const out: Failure[] = [];
            const chars = restrictsCharacters ? "letters, numbers, spaces and _ . : / = + - @" : undefined;
            if (key.length < 1 || key.length > 128) {
                out.push(
                    refuse(
                        `tags.${key}`,
                        `a tag key has 1 to 128 characters (this one has ${key.length})`,
                        SOURCES.tagging,
                    ),
                );
            } else if (key.toLowerCase().startsWith("aws:")) {
                out.push(refuse(`tags.${key}`, "the aws: prefix is reserved for AWS use", SOURCES.tagging));
            } else if (chars && !TAG_CHARS.test(key)) {
                out.push(refuse(`tags.${key}`, `a tag key may contain only ${chars}`, SOURCES.tagging));
            }
            if (typeof value !== "string" || isUnknown(value)) {
                return out;
            }
            if (value.length > 256) {
                out.push(
                    refuse(
                        `tags.${key}`,
                        `a tag value has at most 256 characters (this one has ${value.length})`,
                        SOURCES.tagging,
                    ),
                );
            } else if (chars && !TAG_CHARS.test(value)) {
                out.push(refuse(`tags.${key}`, `a tag value may contain only ${chars}`, SOURCES.tagging));
            }
            return out;
        });
    };
const tags = tagRule(true);
const elasticacheTags = tagRule(false);

const both =
    (...rules: Rule[]): Rule =>
    (inputs, isUnknown) =>
        rules.flatMap((r) => r(inputs, isUnknown));

/** Per Pulumi type, the documented rules beside the generated constraints. */
export const DOCUMENTED_RULES: Readonly<Record<string, Rule>> = {
    "aws:ssm/parameter:Parameter": ssmParameter,
    "aws:ec2/securityGroup:SecurityGroup": securityGroup,
    "aws:elasticache/subnetGroup:SubnetGroup": both(cacheSubnetGroup, elasticacheTags),
    "aws:elasticache/parameterGroup:ParameterGroup": both(cacheParameterGroup, elasticacheTags),
    "aws:elasticache/replicationGroup:ReplicationGroup": elasticacheTags,
    "aws:elasticache/user:User": both(cacheUser, elasticacheTags),
    "aws:elasticache/userGroup:UserGroup": elasticacheTags,
    "aws:sns/topic:Topic": both(snsTopic, tags),
    "aws:sns/topicSubscription:TopicSubscription": snsSubscription,
    "aws:cloudwatch/metricAlarm:MetricAlarm": both(metricAlarm, tags),
    "aws:kms/key:Key": tags,
};
