package dev.clearance.console;

import java.time.Instant;
import java.util.Set;

/**
 * A signed-in person: a server-side record the browser names only by its random id (the cookie).
 *
 * @param id      256 random bits, base64url; the cookie's value
 * @param who     who the record names for changes made in this session, e.g. {@code console:ann}
 * @param roles   what the session may do
 * @param csrf    the token every state change must carry (form field or {@code X-CSRF-Token} header)
 * @param expires when the session ends unless used again (idle expiry)
 * @param ends    when it ends regardless of use (absolute expiry)
 */
record Session(String id, String who, Set<Role> roles, String csrf, Instant expires, Instant ends) {
    Session {
        roles = Set.copyOf(roles);
    }

    boolean may(Role role) {
        return roles.contains(role);
    }
}
