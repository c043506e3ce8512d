package dev.clearance.console;

import java.util.Set;

/**
 * Who is calling a console page: a person signed in with a session, or a client presenting the admin
 * token itself ({@code Authorization: Bearer}, for automation).
 *
 * @param who     what the record names as having made a change, e.g. {@code console:ann}
 * @param session the session, or {@code null} for a bearer caller (which needs no CSRF token: a
 *                browser never adds that header to a forged request by itself)
 */
record Visitor(String who, Set<Role> roles, Session session) {
    /** Who a bearer caller is recorded as; it types no name. */
    static final String BEARER = "console:admin-token";

    Visitor {
        roles = Set.copyOf(roles);
    }

    static Visitor bearer() {
        return new Visitor(BEARER, Role.ALL, null);
    }

    static Visitor of(Session s) {
        return new Visitor(s.who(), s.roles(), s);
    }

    boolean may(Role role) {
        return roles.contains(role);
    }

    /** The CSRF token forms carry; empty for a bearer caller. */
    String csrf() {
        return session == null ? "" : session.csrf();
    }
}
