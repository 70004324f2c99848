import * as assert from "assert";
import { check, fails, passes, UNKNOWN } from "./helpers";

const T = {
    role: "aws:iam/role:Role",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    key: "aws:kms/key:Key",
    parameter: "aws:ssm/parameter:Parameter",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    password: "random:index/randomPassword:RandomPassword",
};
const ASSUME = JSON.stringify({ Version: "2012-10-17", Statement: [] });

describe("provider-check: IAM (internal/service/iam)", () => {
    it("auto-names roles within 64 characters and checks names, paths, durations and policy JSON", () => {
        passes(T.role, { assumeRolePolicy: ASSUME }, "redis-dev-bastion-role");
        const long = check(T.role, { assumeRolePolicy: ASSUME }, "r".repeat(57));
        assert.match(long[0].message, /name 'r{57}-' plus 7 random chars is longer than maximum length 64/);
        fails(
            T.role,
            { name: "a b", assumeRolePolicy: ASSUME },
            /invalid value for name \(must match \[\\w\+=,.@-\]\)/,
        );
        fails(
            T.role,
            { name: "r".repeat(65), assumeRolePolicy: ASSUME },
            /expected length of name to be in the range \(1 - 64\)/,
        );
        fails(
            T.role,
            { namePrefix: "p".repeat(39), assumeRolePolicy: ASSUME },
            /expected length of name_prefix to be in the range \(1 - 38\)/,
        );
        fails(T.role, { name: "a", namePrefix: "b", assumeRolePolicy: ASSUME }, /"name": conflicts with name_prefix/);
        fails(T.role, { assumeRolePolicy: ASSUME, path: "/".repeat(513) }, /expected length of path/);
        fails(T.role, { assumeRolePolicy: ASSUME, description: "d".repeat(1001) }, /expected length of description/);
        fails(
            T.role,
            { assumeRolePolicy: ASSUME, maxSessionDuration: 60 },
            /expected max_session_duration to be in the range \(3600 - 43200\), got 60/,
        );
        fails(
            T.role,
            { assumeRolePolicy: "[]" },
            /"assume_role_policy" contains an invalid JSON policy: contains a JSON array, not a JSON object/,
        );
        fails(T.role, { assumeRolePolicy: "{" }, /"assume_role_policy" contains an invalid JSON policy: /);
        fails(
            T.role,
            { assumeRolePolicy: "" },
            /"assume_role_policy" is an empty string, which is not a valid JSON value/,
        );
    });

    it("ValidIAMPolicyJSON: leading whitespace, JSON strings and duplicate keys (internal/verify/validate.go)", () => {
        fails(
            T.role,
            { assumeRolePolicy: ` ${ASSUME}` },
            /"assume_role_policy" contains an invalid JSON policy: leading space characters are not allowed/,
        );
        fails(T.role, { assumeRolePolicy: `\n${ASSUME}` }, /leading space characters are not allowed/);
        fails(
            T.rolePolicy,
            { role: UNKNOWN, policy: JSON.stringify(ASSUME) },
            /contains a JSON-encoded string, not a JSON-encoded object/,
        );
        fails(
            T.policy,
            {
                policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}]}',
            },
            /"policy" contains duplicate JSON keys: duplicate key "Statement\.0\.Effect"/,
        );
        fails(T.policy, { policy: '{"Version":"1","Version":"2012-10-17"}' }, /duplicate key "Version"/);
        passes(T.policy, { policy: '{"Version":"2012-10-17","Statement":[{"Sid":"A"},{"Sid":"A"}]}' });
    });

    it("IAM name prefixes are the name's maximum less 26 (102 for 128-character names, 38 for roles)", () => {
        passes(T.profile, { namePrefix: "p".repeat(102), role: UNKNOWN });
        fails(T.profile, { namePrefix: "p".repeat(103), role: UNKNOWN }, /name_prefix to be in the range \(1 - 102\)/);
        passes(T.rolePolicy, { namePrefix: "p".repeat(102), role: UNKNOWN, policy: UNKNOWN });
        fails(T.rolePolicy, { namePrefix: "p".repeat(103), role: UNKNOWN, policy: UNKNOWN }, /\(1 - 102\)/);
        passes(T.policy, { namePrefix: "p".repeat(102), policy: UNKNOWN });
        fails(T.policy, { namePrefix: "p".repeat(103), policy: UNKNOWN }, /\(1 - 102\)/);
        passes(T.role, { namePrefix: "p".repeat(38), assumeRolePolicy: ASSUME });
    });

    it("checks instance profiles, inline and managed policies and attachments", () => {
        passes(T.profile, { role: UNKNOWN }, "redis-dev-bastion-profile");
        fails(
            T.profile,
            { name: "p".repeat(129), role: UNKNOWN },
            /expected length of name to be in the range \(1 - 128\)/,
        );
        passes(T.rolePolicy, { role: UNKNOWN, policy: UNKNOWN }, "redis-dev-cache-bastion-read");
        fails(T.rolePolicy, { role: UNKNOWN, name: "a/b", policy: ASSUME }, /invalid value for name/);
        fails(T.policy, { policy: "null" }, /not a JSON object/);
        passes(T.attachment, { role: UNKNOWN, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });
        fails(
            T.attachment,
            { role: UNKNOWN, policyArn: "AmazonSSMManagedInstanceCore" },
            /"policy_arn" \(AmazonSSMManagedInstanceCore\) is an invalid ARN: arn: invalid prefix/,
        );
        fails(T.attachment, { role: UNKNOWN, policyArn: "arn:aws:iam" }, /arn: not enough sections/);
    });

    it("ValidARN: partition, region, account and resource (internal/verify/validate.go ValidARNCheck)", () => {
        const arn = (policyArn: string) => ({ role: UNKNOWN, policyArn });
        passes(T.attachment, arn("arn:aws-iso-e:iam::123456789012:policy/p"));
        passes(T.attachment, arn("arn:aws-iso-f:iam::aws:policy/p"));
        fails(T.attachment, arn("arn::iam::aws:policy/p"), /is an invalid ARN: missing partition value/);
        fails(T.attachment, arn("arn:amazon:iam::aws:policy/p"), /invalid partition value/);
        fails(T.attachment, arn("arn:aws:iam:us_east_1:aws:policy/p"), /invalid region value/);
        fails(T.attachment, arn("arn:aws:iam::12345:policy/p"), /invalid account ID value/);
        fails(T.attachment, arn("arn:aws:iam::aws:"), /missing resource value/);
        fails(
            T.attachment,
            arn("arn:aws:iam:eu-west:1234:"),
            /invalid region value/,
            /invalid account ID value/,
            /missing resource value/,
        );
    });
});

describe("provider-check: KMS, SSM, CloudWatch Logs, random", () => {
    it("checks KMS keys (kms/key.go)", () => {
        passes(T.key, { deletionWindowInDays: 7, enableKeyRotation: true, policy: UNKNOWN, description: "d" });
        fails(
            T.key,
            { deletionWindowInDays: 5 },
            /expected deletion_window_in_days to be in the range \(7 - 30\), got 5/,
        );
        fails(T.key, { rotationPeriodInDays: 30 }, /expected rotation_period_in_days to be in the range \(90 - 2560\)/);
        fails(
            T.key,
            { description: "d".repeat(8193) },
            /expected length of description to be in the range \(0 - 8192\)/,
        );
        fails(T.key, { keyUsage: "ENCRYPT" }, /expected key_usage to be one of/);
        fails(T.key, { customerMasterKeySpec: "AES_256" }, /expected customer_master_key_spec to be one of/);
        passes(T.key, { customerMasterKeySpec: "ECC_NIST_EDWARDS25519", keyUsage: "SIGN_VERIFY" });
        fails(T.key, { policy: "{not json" }, /"policy" contains an invalid JSON policy/);
    });

    it("checks SSM parameters (ssm/parameter.go)", () => {
        passes(T.parameter, {
            name: "/redis-stack/dev/auth-token",
            type: "SecureString",
            keyId: UNKNOWN,
            value: UNKNOWN,
        });
        fails(
            T.parameter,
            { name: "/p", type: "Secure", value: "v" },
            /expected type to be one of \["String" "StringList" "SecureString"\], got Secure/,
        );
        fails(T.parameter, { name: "/p", type: "String", value: "v", tier: "Premium" }, /expected tier to be one of/);
        fails(
            T.parameter,
            { name: "/p", type: "String", value: "v", dataType: "json" },
            /expected data_type to be one of/,
        );
        fails(
            T.parameter,
            { name: "/p", type: "String", value: "v", description: "d".repeat(1025) },
            /expected length of description to be in the range \(0 - 1024\)/,
        );
        fails(
            T.parameter,
            { name: "/p", type: "String", value: "v", allowedPattern: "p".repeat(1025) },
            /expected length of allowed_pattern/,
        );
        fails(
            T.parameter,
            { name: "p".repeat(2049), type: "String", value: "v" },
            /expected length of name to be in the range \(1 - 2048\)/,
        );
        fails(
            T.parameter,
            { name: "/p", type: "String", value: "v", insecureValue: "v" },
            /"insecure_value": only one of `insecure_value,value,value_wo` can be specified, but `insecure_value,value` were specified\./,
        );
        // parameter.go: exactly one of insecure_value, value and value_wo; an unknown one counts as neither.
        fails(
            T.parameter,
            { name: "/p", type: "String" },
            /"insecure_value": one of `insecure_value,value,value_wo` must be specified/,
        );
        passes(T.parameter, { name: "/p", type: "String", value: UNKNOWN });
        passes(T.parameter, { name: "/p", type: "String", valueWo: "v" });
        fails(
            T.parameter,
            { name: "/p", type: "SecureString", insecureValue: "v" },
            /cannot set type = SecureString and provide insecure_value/,
        );
    });

    it("checks log groups (logs/group.go): retention 0 means never expire", () => {
        passes(T.logGroup, { retentionInDays: 14 }, "redis-dev-cache-slow-log");
        passes(T.logGroup, { retentionInDays: 0 });
        passes(T.logGroup, {});
        fails(T.logGroup, { retentionInDays: 10 }, /expected retention_in_days to be one of \[0 1 3 5 7 14 30/);
        fails(
            T.logGroup,
            { name: "a b" },
            /only alphanumeric characters, underscores, hyphens, slashes, hash signs and dots are allowed in "name"/,
        );
        fails(T.logGroup, { name: "l".repeat(513) }, /"name" cannot be longer than 512 characters/);
        fails(T.logGroup, { namePrefix: "l".repeat(484) }, /"name_prefix" cannot be longer than 483 characters/);
        fails(T.logGroup, { name: "a", namePrefix: "b" }, /"name": conflicts with name_prefix/);
        // group.go declares no validator on kms_key_id.
        passes(T.logGroup, { kmsKeyId: "alias/logs" });
        fails(T.logGroup, { logGroupClass: "COLD" }, /expected log_group_class to be one of/);
    });

    it("checks random passwords (terraform-provider-random resource_password.go)", () => {
        passes(T.password, { length: 64, special: true, overrideSpecial: "!&#$^<>-" });
        fails(T.password, { length: 0 }, /Attribute length value must be at least 1, got: 0/);
        fails(T.password, { length: 16, minUpper: -1 }, /Attribute min_upper value must be at least 0, got: -1/);
        fails(
            T.password,
            { length: 3, minUpper: 2, minNumeric: 2 },
            /Attribute length value must be at least sum of min_upper \+ min_lower \+ min_numeric \+ min_special, got: 3/,
        );
        // AtLeastSumOf gives no verdict while a summed minimum is unknown (an unknown is not 0).
        passes(T.password, { length: 3, minUpper: 2, minNumeric: UNKNOWN });
        fails(T.password, { length: 3, minUpper: 2, minNumeric: 2, minSpecial: 0 }, /at least sum of/);
    });

    it("passes types it does not emulate through unchanged", () => {
        passes("aws:s3/bucketV2:BucketV2", { bucket: "x y" });
    });
});
