package dev.clearance.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A group provisioned over SCIM: an organization. Its members are the provisioned users whose principal
 * names it ({@code organization} is the group's display name), so a user is a member of one group at most.
 *
 * @param id      the SCIM id, assigned by the store
 * @param version the change sequence number of its last write (the ETag)
 */
public record ProvisionedGroup(
        String id,
        String displayName,
        Optional<String> externalId,
        List<Member> members,
        long version,
        Instant created,
        Instant lastModified) {

    public ProvisionedGroup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        externalId = externalId == null ? Optional.empty() : externalId;
        members = List.copyOf(members);
    }

    /** A member: the user's SCIM id and its userName. */
    public record Member(String userId, String userName) {}

    /**
     * What the identity provider says about a group.
     *
     * @param memberIds the SCIM ids of the users who are its members
     */
    public record Draft(String displayName, Optional<String> externalId, List<String> memberIds) {
        public Draft {
            Objects.requireNonNull(displayName, "displayName");
            externalId = externalId == null ? Optional.empty() : externalId;
            memberIds = List.copyOf(memberIds);
        }
    }
}
