package dev.clearance.store;

import java.time.Instant;

/**
 * A stored API key, without its secret.
 *
 * @param prefix    the public 8-character prefix ({@code clr_<prefix>_...})
 * @param revokedAt when it was revoked, or {@code null} while it is valid
 */
public record ApiKey(
        String prefix, String principalId, Instant createdAt, String createdBy, Instant revokedAt, String revokedBy) {
    public boolean revoked() {
        return revokedAt != null;
    }
}
