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
    /** The group's user ids: a string when known, undefined when not known in this run. */
    readonly userIds: readonly (string | undefined)[];
    /** The user names of the program's users the group's ids come from (undefined when not known). */
    readonly userNames: readonly (string | undefined)[];
}

/**
 * Whether CreateUserGroup refuses the group for lacking a user named `default` (true), accepts it (false), or
 * cannot be told yet (undefined: an unknown name or id that could be the default user, or an unknown engine).
 * Only Redis OSS groups need one.
 */
export function userGroupLacksDefaultUser(group: UserGroupShape): boolean | undefined {
    if (group.engine === undefined) {
        return undefined;
    }
    if (group.engine.toLowerCase() !== "redis") {
        return false;
    }
    if (group.userIds.includes(DEFAULT_USER_ID) || group.userNames.includes(DEFAULT_USER_NAME)) {
        return false;
    }
    // A known id other than "default" may name a user outside the program whose name is default; an unknown id
    // is told only when the program's users account for every one.
    const unknownIds = group.userIds.filter((id) => id === undefined).length;
    if (
        group.userIds.some((id) => id !== undefined) ||
        group.userNames.includes(undefined) ||
        unknownIds > group.userNames.length
    ) {
        return undefined;
    }
    return true;
}
