/**
 * The config layer's reader: the project namespace, every key the program reads, and the typed reader that
 * records each problem. Every concern module (`network.ts`, `bastion.ts`, `cache.ts`, ...) reads its keys
 * through it; `index.ts` assembles them. Importing nothing of infra/ keeps the layer free of cycles (policy/shared
 * imports nothing outside policy/).
 */
import { maskSecrets } from "../../policy/shared";

export const PROJECT = "redis-stack";

/** Every key this program reads, so that a typo in a stack file is an error rather than a silent default. */
export const CONFIG_KEYS = [
    "vpcCidr",
    "availabilityZoneCount",
    "vpcId",
    "privateSubnetIds",
    "publicSubnetId",
    "bastionInstanceType",
    "bastionKeyName",
    "sshAllowedCidrs",
    "redisCliVersion",
    "redisCliSourceUrl",
    "redisCliSha256",
    "redisEngine",
    "redisEngineVersion",
    "redisNodeType",
    "redisClusterMode",
    "redisShards",
    "redisReplicasPerShard",
    "redisPort",
    "redisAuthToken",
    "redisAuthTokenUpdateStrategy",
    // Authentication (auth.ts).
    "redisAuthMode",
    "redisUsers",
    "snapshotRetentionDays",
    "snapshotWindow",
    "maintenanceWindow",
    "logRetentionDays",
    "notificationTopicArn",
    "snapshotArns",
    "clientSecurityGroupIds",
    // Day two: the bastion's image (bastion-image.ts), data protection (data-protection.ts), alarms (alarms.ts).
    "bastionAmiId",
    "redisProtect",
    "redisFinalSnapshot",
    "redisApplyImmediately",
    "alarmEmail",
    "alarmCpuPercent",
    "alarmMemoryPercent",
    "alarmEvictions",
    "alarmReplicationLagSeconds",
    "alarmCpuCreditBalance",
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Reads typed values out of the raw config (all strings, as the Pulumi CLI passes them) and records problems. */
export class Reader {
    readonly problems: string[] = [];

    constructor(private readonly raw: Readonly<Record<string, string | undefined>>) {}

    private value(key: ConfigKey): string {
        const value = this.raw[`${PROJECT}:${key}`];
        if (value === undefined) {
            this.problems.push(
                `${PROJECT}:${key} is missing (Pulumi.yaml declares its default; is the project file intact?)`,
            );
            return "";
        }
        return value;
    }

    fail(key: ConfigKey, value: unknown, allowed: string): void {
        // A value is echoed to say what is wrong: credentials in it never are (maskSecrets, the one masking rule).
        this.problems.push(maskSecrets(`${PROJECT}:${key} ${allowed}, got ${JSON.stringify(value)}`));
    }

    string(key: ConfigKey): string {
        return this.value(key).trim();
    }

    /** A string that must match `pattern` unless it is empty. */
    optional(key: ConfigKey, pattern: RegExp, allowed: string): string | undefined {
        const value = this.string(key);
        if (value === "") {
            return undefined;
        }
        if (!pattern.test(value)) {
            this.fail(key, value, allowed);
        }
        return value;
    }

    /** On a bad value, returns `fallback` so that checks depending on this key raise no follow-on problems. */
    oneOf<T extends string>(key: ConfigKey, choices: readonly T[], fallback: T): T {
        const value = this.string(key);
        if (!(choices as readonly string[]).includes(value)) {
            this.fail(key, value, `must be one of ${choices.join(", ")}`);
            return fallback;
        }
        return value as T;
    }

    integer(key: ConfigKey, min: number, max: number): number {
        const text = this.string(key);
        const value = Number(text);
        if (!/^-?\d+$/.test(text) || value < min || value > max) {
            this.fail(key, text, `must be a whole number from ${min} to ${max}`);
            return min;
        }
        return value;
    }

    /**
     * A structured value (a list or an object in the stack file reaches the program as JSON text); undefined when
     * unset, the text itself when it is not JSON.
     */
    structured(key: ConfigKey): unknown {
        const text = this.string(key);
        if (text === "") {
            return undefined;
        }
        try {
            return JSON.parse(text);
        } catch {
            return text;
        }
    }

    list(key: ConfigKey): string[] {
        const value = this.structured(key);
        if (value === undefined) {
            return [];
        }
        if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
            this.fail(key, value, "must be a list of strings (YAML list in the stack file)");
            return [];
        }
        return value.map((item: string) => item.trim());
    }

    /** Each item of a list must match; the message names the offending item. */
    listOf(key: ConfigKey, pattern: RegExp, allowed: string): string[] {
        const items = this.list(key);
        for (const item of items.filter((i) => !pattern.test(i))) {
            this.fail(key, item, `items ${allowed}`);
        }
        return items;
    }
}
