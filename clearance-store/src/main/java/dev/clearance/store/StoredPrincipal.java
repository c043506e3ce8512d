package dev.clearance.store;

import dev.clearance.core.Principal;
import java.time.Instant;

/**
 * A principal as stored.
 *
 * @param version   the change sequence number of its last write: strictly greater after every write
 * @param updatedAt when it was last written
 */
public record StoredPrincipal(Principal principal, long version, Instant updatedAt) {}
