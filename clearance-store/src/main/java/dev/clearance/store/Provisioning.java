package dev.clearance.store;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Users and groups provisioned over SCIM 2.0, beside the principals they provision. A user provisions
 * the principal whose id is its {@code userName}; while the user is active that principal is in the
 * {@link PrincipalRegistry}, where the gateway reads it. Deactivating or deleting a user removes the
 * principal and revokes its API keys in the same transaction, so every node refuses it from the next
 * request. Every write is one transaction, is announced on the change feed (principal and key changes
 * as the registry and the keys announce theirs) and appends who, what and why to the provisioning
 * history.
 *
 * @see ProvisionedUser
 * @see ProvisionedGroup
 */
public interface Provisioning {

    /** The change-feed kind of a write to a provisioned user; the subject is its SCIM id. */
    String USER_CHANGED = "provisioned_user";

    /** The change-feed kind of a write to a provisioned group; the subject is its SCIM id. */
    String GROUP_CHANGED = "provisioned_group";

    /**
     * Creates a user with a new id.
     *
     * @throws StoreException.Conflict when another provisioned user has the same userName (whatever its
     *         case), or a principal with that id exists that was not provisioned
     */
    ProvisionedUser createUser(ProvisionedUser.Draft user, String by, String why);

    Optional<ProvisionedUser> user(String id);

    /**
     * Replaces a user whole (SCIM PUT, and PATCH once applied).
     *
     * @param ifVersion the version the caller last read, if it sent one
     * @throws StoreException.NotFound  when there is no user with this id
     * @throws StaleVersion             when {@code ifVersion} is not the stored version
     * @throws StoreException.Conflict  when the new userName belongs to another user or principal
     */
    ProvisionedUser replaceUser(String id, OptionalLong ifVersion, ProvisionedUser.Draft user, String by, String why);

    /**
     * Deletes a user, its principal and its API keys' validity.
     *
     * @throws StoreException.NotFound when there is no user with this id
     * @throws StaleVersion            when {@code ifVersion} is not the stored version
     */
    void deleteUser(String id, OptionalLong ifVersion, String by, String why);

    /** The users that match, in creation order, from {@code offset} (0-based), at most {@code count}. */
    Page<ProvisionedUser> users(UserQuery query, long offset, int count);

    /**
     * Creates a group and makes its members' principals name it as their organization.
     *
     * @throws StoreException.Conflict when another group has the same display name (whatever its case)
     * @throws StoreException.NotFound when a member names no provisioned user
     */
    ProvisionedGroup createGroup(ProvisionedGroup.Draft group, String by, String why);

    Optional<ProvisionedGroup> group(String id);

    /**
     * Replaces a group whole: users no longer members lose the organization, new members gain it, and a
     * new display name becomes every member's organization.
     */
    ProvisionedGroup replaceGroup(
            String id, OptionalLong ifVersion, ProvisionedGroup.Draft group, String by, String why);

    /** Deletes a group; its members' principals no longer name an organization. */
    void deleteGroup(String id, OptionalLong ifVersion, String by, String why);

    /** The groups that match, in creation order, from {@code offset} (0-based), at most {@code count}. */
    Page<ProvisionedGroup> groups(GroupQuery query, long offset, int count);

    /** The provisioning history of one user or group, oldest first. */
    List<Event> history(String id);

    /**
     * Users whose every given field equals: userName without regard to case, the others exactly. An
     * empty query matches every user.
     */
    record UserQuery(
            Optional<String> id, Optional<String> userName, Optional<String> externalId, Optional<Boolean> active) {
        public static final UserQuery ALL =
                new UserQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Groups whose every given field equals: the display name without regard to case, the others exactly. */
    record GroupQuery(Optional<String> id, Optional<String> displayName, Optional<String> externalId) {
        public static final GroupQuery ALL = new GroupQuery(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** One page of results and how many there are in all. */
    record Page<T>(long total, List<T> items) {
        public Page {
            items = List.copyOf(items);
        }
    }

    /**
     * One entry of the provisioning history.
     *
     * @param operation {@code create}, {@code replace} or {@code delete}
     * @param name      the userName or display name at the time
     * @param change    the sequence number of the change that announced it
     */
    record Event(
            String resourceType,
            String resourceId,
            String name,
            String operation,
            String actor,
            String reason,
            long change,
            java.time.Instant at) {}

    /** A conditional write named a version that is no longer the stored one (SCIM answers 412). */
    final class StaleVersion extends StoreException {
        private static final long serialVersionUID = 1L;

        public StaleVersion(String message) {
            super(message);
        }
    }
}
