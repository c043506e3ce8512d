package dev.clearance.store;

import dev.clearance.core.Principal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A user provisioned over SCIM: the identity provider's record of one principal.
 *
 * @param id           the SCIM id, assigned by the store when the user was created and never reused
 * @param version      the change sequence number of its last write: greater after every write (the ETag)
 */
public record ProvisionedUser(String id, Draft user, long version, Instant created, Instant lastModified) {

    public ProvisionedUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
    }

    /**
     * What the identity provider says about a user.
     *
     * @param userName   the principal's id; unique among provisioned users whatever its case
     * @param externalId the provider's own id for the user, if it sent one
     * @param active     an inactive user keeps its record but has no principal and no API keys
     * @param attributes the SCIM attributes that are not facts (name, emails, ...), as one JSON object
     * @param principal  the facts; its id must be {@code userName}
     */
    public record Draft(
            String userName, Optional<String> externalId, boolean active, String attributes, Principal principal) {
        public Draft {
            Objects.requireNonNull(userName, "userName");
            externalId = externalId == null ? Optional.empty() : externalId;
            attributes = attributes == null || attributes.isBlank() ? "{}" : attributes;
            Objects.requireNonNull(principal, "principal");
            if (!principal.id().equals(userName)) {
                throw new IllegalArgumentException(
                        "the principal's id '" + principal.id() + "' must be the userName '" + userName + "'");
            }
        }
    }
}
