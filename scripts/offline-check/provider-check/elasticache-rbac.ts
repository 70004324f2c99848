// ElastiCache RBAC users and user groups: the provider's validators (terraform-provider-aws
// internal/service/elasticache/user.go: engine, authentication_mode.type; user_group.go: engine) and the cross-property rules AWS applies at CreateUser / CreateUserGroup /
// CreateReplicationGroup, from policy/shared/rbac.ts (which names each rule's source). The rules that span
// resources (a group's members, a cache's group) read what `RbacRegistry` remembered of the users and groups
// checked before: the engine steps a resource after everything it depends on, so members come first. The
// generated API-model rules (lengths, patterns, enums of CreateUser/CreateUserGroup) live in their own file.

import {
    accessStringProblems,
    DEFAULT_USER_NAME,
    type AuthenticationType,
    elasticacheUserIdProblem,
    type GroupMember,
    iamCacheProblem,
    iamUserProblem,
    MAX_USER_GROUPS_PER_REPLICATION_GROUP,
    type RbacEngine,
    userGroupProblems,
} from "../../../policy/shared";
import { knownObject, stringInSlice } from "./rules";
import { type CheckFailure, type Inputs, hasUnknown, isSet, knownBool, knownItems, knownString, plain } from "./values";

export const USER_TYPE = "aws:elasticache/user:User";
export const USER_GROUP_TYPE = "aws:elasticache/userGroup:UserGroup";
const REPLICATION_GROUP_TYPE = "aws:elasticache/replicationGroup:ReplicationGroup";

const AUTHENTICATION_TYPES: readonly AuthenticationType[] = ["password", "no-password-required", "iam"];

function engineOf(inputs: Inputs): RbacEngine | undefined {
    const engine = knownString(inputs, "engine")?.toLowerCase();
    return engine === "redis" || engine === "valkey" ? engine : undefined;
}

function authenticationOf(inputs: Inputs): AuthenticationType | undefined {
    const mode = knownObject(plain(inputs.authenticationMode));
    const type = mode ? knownString(mode, "type") : undefined;
    if (type !== undefined) {
        return (AUTHENTICATION_TYPES as readonly string[]).includes(type) ? (type as AuthenticationType) : undefined;
    }
    if (isSet(inputs, "passwords") || isSet(inputs, "passwordsWo")) {
        return "password";
    }
    return knownBool(inputs, "noPasswordRequired", false) ? "no-password-required" : undefined;
}

/** The Check of one aws.elasticache.User. */
export function userFailures(inputs: Inputs): CheckFailure[] {
    const failures: CheckFailure[] = [
        ...stringInSlice("engine", knownString(inputs, "engine"), ["redis", "valkey"], true),
    ];
    const mode = knownObject(plain(inputs.authenticationMode));
    const type = mode ? knownString(mode, "type") : undefined;
    failures.push(
        ...stringInSlice("type", type, AUTHENTICATION_TYPES).map((f) => ({
            ...f,
            property: "authenticationMode.type",
        })),
    );
    // The user ID's pattern and the passwords' length, characters and count are AWS API-model rules (api-model.ts).
    const userId = knownString(inputs, "userId");
    if (userId !== undefined && userId.toLowerCase() === DEFAULT_USER_NAME) {
        failures.push({
            property: "userId",
            reason: `CreateUser: user_id "${userId}" ${elasticacheUserIdProblem(userId)}`,
        });
    }
    const accessString = knownString(inputs, "accessString");
    for (const problem of accessString === undefined ? [] : accessStringProblems(accessString)) {
        failures.push({ property: "accessString", reason: `CreateUser: access_string ${problem}` });
    }
    const userName = knownString(inputs, "userName");
    if (type === "iam" && userId !== undefined && userName !== undefined) {
        const problem = iamUserProblem({ userId, userName });
        if (problem) {
            failures.push({ property: "userName", reason: `CreateUser: ${problem}` });
        }
    }
    return failures;
}

/** The Check of one aws.elasticache.UserGroup, on its own. */
export function userGroupFailures(inputs: Inputs): CheckFailure[] {
    return stringInSlice("engine", knownString(inputs, "engine"), ["redis", "valkey"], true);
}

/**
 * What the checks across resources need to remember: each checked user (by ID) and each user group (by ID).
 * One per run (the provider-check stage holds it).
 */
export class RbacRegistry {
    private readonly users = new Map<string, GroupMember>();
    private readonly groups = new Map<string, { engine: RbacEngine; members: GroupMember[] }>();

    /** Failures that need other resources' inputs; remembers this resource when it is a user or a user group. */
    check(type: string, inputs: Inputs): CheckFailure[] {
        if (type === USER_TYPE) {
            this.rememberUser(inputs);
            return [];
        }
        if (type === USER_GROUP_TYPE) {
            return this.checkGroup(inputs);
        }
        if (type === REPLICATION_GROUP_TYPE) {
            return this.checkReplicationGroup(inputs);
        }
        return [];
    }

    private rememberUser(inputs: Inputs): void {
        const userId = knownString(inputs, "userId");
        const userName = knownString(inputs, "userName");
        const engine = engineOf(inputs);
        const authentication = authenticationOf(inputs);
        if (userId && userName && engine && authentication) {
            this.users.set(userId.toLowerCase(), { userId, userName, engine, authentication });
        }
    }

    /** CreateUserGroup with the members' names, engines and authentication, when every member is known. */
    private checkGroup(inputs: Inputs): CheckFailure[] {
        const groupId = knownString(inputs, "userGroupId");
        const engine = engineOf(inputs);
        if (engine === undefined || hasUnknown(inputs.userIds)) {
            return [];
        }
        const ids = knownItems(inputs, "userIds").flatMap(({ value }) => (typeof value === "string" ? [value] : []));
        const members = ids.map((id) => this.users.get(id.toLowerCase()));
        if (members.some((m) => m === undefined)) {
            // A member this program does not create (an existing user): only AWS knows it.
            return [];
        }
        const group = { engine, members: members as GroupMember[] };
        if (groupId) {
            this.groups.set(groupId.toLowerCase(), group);
        }
        return userGroupProblems(group).map((problem) => ({
            property: "userIds",
            reason: `CreateUserGroup: ${problem}`,
        }));
    }

    /** CreateReplicationGroup: one user group at most; a redis cache takes a redis group; IAM members need 7+ and TLS. */
    private checkReplicationGroup(inputs: Inputs): CheckFailure[] {
        if (!Array.isArray(inputs.userGroupIds)) {
            return [];
        }
        const failures: CheckFailure[] = [];
        if (inputs.userGroupIds.length > MAX_USER_GROUPS_PER_REPLICATION_GROUP) {
            failures.push({
                property: "userGroupIds",
                reason: `CreateReplicationGroup: a replication group takes at most ${MAX_USER_GROUPS_PER_REPLICATION_GROUP} user group, got ${inputs.userGroupIds.length}`,
            });
        }
        const cacheEngine = engineOf(inputs) ?? (isSet(inputs, "engine") ? undefined : "redis");
        const version = knownString(inputs, "engineVersion");
        const transit = knownBool(inputs, "transitEncryptionEnabled", false);
        for (const { index, value } of knownItems(inputs, "userGroupIds")) {
            const group = typeof value === "string" ? this.groups.get(value.toLowerCase()) : undefined;
            if (group === undefined) {
                continue;
            }
            const property = `userGroupIds[${index}]`;
            if (cacheEngine === "redis" && group.engine !== "redis") {
                failures.push({
                    property,
                    reason: `CreateReplicationGroup: a Redis OSS cache takes only a user group of engine redis, got ${group.engine}`,
                });
            }
            // AWS auth-iam: IAM users need Valkey or Redis OSS 7+ and in-transit encryption.
            if (
                cacheEngine !== undefined &&
                transit !== undefined &&
                group.members.some((m) => m.authentication === "iam")
            ) {
                const problem = iamCacheProblem({
                    engine: cacheEngine,
                    engineVersion: version ?? "",
                    transitEncryptionEnabled: transit,
                });
                if (problem) {
                    failures.push({
                        property: transit ? "engineVersion" : "transitEncryptionEnabled",
                        reason: `CreateReplicationGroup: user group ${String(value)} has IAM users: ${problem}`,
                    });
                }
            }
        }
        return failures;
    }
}

export const ELASTICACHE_RBAC_CHECKS: Readonly<Record<string, (inputs: Inputs) => CheckFailure[]>> = {
    [USER_TYPE]: userFailures,
    [USER_GROUP_TYPE]: userGroupFailures,
};
