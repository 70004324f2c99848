// ElastiCache RBAC rules shared by the pack and the program's config validation. Pure.
// Source: ElastiCache RBAC, "a user group ... must contain the user with the user name default" for Redis OSS
// (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html, CreateUserGroup's
// DefaultUserRequired error, https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateUserGroup.html).

/** The user id ElastiCache gives its built-in default user. */
export const DEFAULT_USER_ID = "default";
/** The user name every Redis OSS user group must contain. */
export const DEFAULT_USER_NAME = "default";

export interface UserGroupShape {
    /** The group's engine; undefined when not known. */
    readonly engine: string | undefined;
    /** The user name behind each of the group's user ids; undefined when it cannot be told in this run. */
    readonly memberNames: readonly (string | undefined)[];
}

/**
 * Whether CreateUserGroup refuses the group for lacking a user named `default` (true), accepts it (false), or
 * cannot be told yet (undefined: a member whose name is not known, or an unknown engine). Only Redis OSS groups
 * need one.
 */
export function userGroupLacksDefaultUser(group: UserGroupShape): boolean | undefined {
    if (group.engine === undefined) {
        return undefined;
    }
    if (group.engine.toLowerCase() !== "redis") {
        return false;
    }
    if (group.memberNames.includes(DEFAULT_USER_NAME)) {
        return false;
    }
    return group.memberNames.includes(undefined) ? undefined : true;
}

/**
 * The user name behind each user id of a group: `default` for the built-in user's id, the program's user with
 * that known userId, and for ids unknown in this run the program's users the group depends on that no known id
 * named (one each); anything else (an existing user outside the program) is undefined.
 */
export function userGroupMemberNames(
    userIds: readonly (string | undefined)[],
    users: readonly { userId: string | undefined; userName: string | undefined }[],
): (string | undefined)[] {
    const byId = new Map(users.filter((u) => u.userId !== undefined).map((u) => [u.userId, u]));
    const named = new Set(userIds.flatMap((id) => (id !== undefined && byId.has(id) ? [byId.get(id)] : [])));
    const unmatched = users.filter((u) => !named.has(u));
    return userIds.map((id) => {
        if (id === DEFAULT_USER_ID) {
            return DEFAULT_USER_NAME;
        }
        if (id !== undefined) {
            return byId.get(id)?.userName;
        }
        return unmatched.shift()?.userName;
    });
}
