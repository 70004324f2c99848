// ElastiCache users and user groups through the real provider check: one resource's Check (providerCheck) and
// the rules across resources through the stage, fed in registration order as the checker does.
import * as assert from "assert";
import { ProviderCheckStage, seededSuffix } from "../../../scripts/offline-check/provider-check";
import { fails, passes, UNKNOWN, urnOf } from "./helpers";

const USER = "aws:elasticache/user:User";
const GROUP = "aws:elasticache/userGroup:UserGroup";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";

const DEFAULT_USER = {
    userId: "redis-prod-default",
    userName: "default",
    engine: "redis",
    accessString: "off -@all",
    authenticationMode: { type: "no-password-required" },
};
const BASTION = {
    userId: "redis-prod-bastion",
    userName: "redis-prod-bastion",
    engine: "redis",
    accessString: "on ~* &* +@all -@dangerous +info",
    authenticationMode: { type: "iam" },
};
const GROUP_INPUTS = {
    userGroupId: "redis-prod-users",
    engine: "redis",
    userIds: [DEFAULT_USER.userId, BASTION.userId],
};
const CACHE = {
    replicationGroupId: "redis-prod-cache-group-1a2b3c4",
    description: "cache",
    engine: "redis",
    engineVersion: "7.1",
    transitEncryptionEnabled: true,
    userGroupIds: ["redis-prod-users"],
    authTokenUpdateStrategy: "DELETE",
};

/** Runs the stage over registrations in order; returns its problem lines. */
function stage(...resources: [string, string, Record<string, unknown>][]): string[] {
    const s = new ProviderCheckStage(seededSuffix("rbac"));
    for (const [type, name, inputs] of resources) {
        s.add({ urn: urnOf(type, name), type, name, inputs, custom: true });
    }
    return s.problems;
}

describe("provider-check: ElastiCache users and user groups (user.go, user_group.go, AWS RBAC rules)", () => {
    it("passes the prod stack's users, group and cache", () => {
        passes(USER, DEFAULT_USER);
        passes(USER, BASTION);
        passes(GROUP, GROUP_INPUTS);
        assert.deepStrictEqual(
            stage([USER, "d", DEFAULT_USER], [USER, "b", BASTION], [GROUP, "g", GROUP_INPUTS], [RG, "c", CACHE]),
            [],
        );
    });

    it("user: engine, authentication type, the reserved default ID (its charset and passwords: api-model.test.ts)", () => {
        fails(USER, { ...BASTION, engine: "memcached" }, /engine to be one of \["redis" "valkey"\], got memcached/);
        fails(USER, { ...BASTION, authenticationMode: { type: "token" } }, /got token.*authenticationMode\.type/);
        fails(USER, { ...DEFAULT_USER, userId: "default" }, /ElastiCache's own "default" user/);
        fails(USER, { ...DEFAULT_USER, userId: "Default" }, /ElastiCache's own "default" user/);
    });

    it("user: access string grammar (no passwords, no reset, known rules)", () => {
        fails(USER, { ...BASTION, accessString: "on >s3cret-password ~* +@all" }, /sets a password/);
        fails(USER, { ...BASTION, accessString: "on nopass ~* +@all" }, /sets a password/);
        fails(USER, { ...BASTION, accessString: "reset on ~* +@all" }, /"reset"/);
        fails(
            USER,
            { ...BASTION, accessString: "on ~* +@all allthethings" },
            /"allthethings", which is not an ACL rule/,
        );
        fails(USER, { ...BASTION, accessString: "   " }, /is blank/);
        fails(USER, { ...BASTION, accessString: "on ~* ~app:* +@all" }, /key pattern "~app:\*" after full key access/);
        fails(
            USER,
            { ...BASTION, accessString: "on allchannels &news +@all" },
            /channel pattern "&news" after full channel/,
        );
        passes(USER, { ...BASTION, accessString: "on ~* resetkeys ~app:* & %r~ +@all" });
        passes(USER, { ...BASTION, accessString: "on %R~app:* &chan +get|x -@all +@read -debug" });
        passes(USER, { ...BASTION, accessString: UNKNOWN });
    });

    it("user: an IAM user's name equals its ID", () => {
        fails(USER, { ...BASTION, userName: "bastion" }, /IAM-authenticated user's name must equal its ID/);
        passes(USER, { ...BASTION, userName: BASTION.userId });
    });

    it("user group: engine", () => {
        fails(GROUP, { ...GROUP_INPUTS, engine: "memcached" }, /engine to be one of/);
    });

    it("across resources: unique names and redis members in a redis group (its default user: the pack's rule)", () => {
        assert.deepStrictEqual(
            stage([USER, "b", BASTION], [GROUP, "g", { ...GROUP_INPUTS, userIds: [BASTION.userId] }]),
            [],
            "left to elasticache-user-group-default-user, reported once",
        );
        const second = { ...DEFAULT_USER, userId: "redis-prod-default2" };
        assert.match(
            stage(
                [USER, "d", DEFAULT_USER],
                [USER, "d2", second],
                [GROUP, "g", { ...GROUP_INPUTS, userIds: [DEFAULT_USER.userId, second.userId] }],
            ).join("\n"),
            /two users of the group are named "default"/,
        );
        assert.match(
            stage(
                [USER, "d", DEFAULT_USER],
                [USER, "v", { ...BASTION, engine: "valkey" }],
                [GROUP, "g", GROUP_INPUTS],
            ).join("\n"),
            /holds only redis users; redis-prod-bastion is valkey/,
        );
        // A member this program does not create is AWS's to judge.
        assert.deepStrictEqual(stage([GROUP, "g", { ...GROUP_INPUTS, userIds: ["someone-elses"] }]), []);
    });

    it("across resources: a valkey group holds no password-less user", () => {
        assert.match(
            stage(
                [USER, "d", { ...DEFAULT_USER, engine: "valkey" }],
                [GROUP, "g", { ...GROUP_INPUTS, engine: "valkey", userIds: [DEFAULT_USER.userId] }],
            ).join("\n"),
            /valkey user group holds only users that authenticate/,
        );
    });

    it("across resources: one user group per replication group; a Redis OSS cache takes a redis group", () => {
        assert.match(
            stage([RG, "c", { ...CACHE, userGroupIds: ["a", "b"] }]).join("\n"),
            /at most 1 user group, got 2/,
        );
        const valkeyGroup = { ...GROUP_INPUTS, engine: "valkey", userIds: [BASTION.userId] };
        assert.match(
            stage([USER, "b", BASTION], [GROUP, "g", valkeyGroup], [RG, "c", CACHE]).join("\n"),
            /a Redis OSS cache takes only a user group of engine redis, got valkey/,
        );
    });

    it("across resources: IAM users need redis >= 7.0 (valkey >= 7.2) and TLS", () => {
        const users: [string, string, Record<string, unknown>][] = [
            [USER, "d", DEFAULT_USER],
            [USER, "b", BASTION],
            [GROUP, "g", GROUP_INPUTS],
        ];
        assert.match(
            stage(...users, [RG, "c", { ...CACHE, engineVersion: "6.2" }]).join("\n"),
            /IAM authentication needs redis 7.0 or later, got 6.2/,
        );
        assert.match(
            stage(...users, [RG, "c", { ...CACHE, transitEncryptionEnabled: false }]).join("\n"),
            /IAM authentication needs in-transit encryption/,
        );
        assert.deepStrictEqual(stage(...users, [RG, "c", { ...CACHE, engine: "valkey", engineVersion: "8.0" }]), []);
    });
});
