package dev.clearance.console;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a signed-in person may do in the console. The admin token grants every role; an identity
 * provider (OIDC) signing people in later maps its groups to these, so pages and steps already ask
 * for the role they need rather than for the token.
 */
enum Role {
    /** Reads every page. */
    VIEWER,
    /** Proposes directive versions, runs impact simulations, reviews screening matches. */
    PROPOSER,
    /** Approves, activates (enforce, shadow, scheduled) and withdraws directive versions. */
    APPROVER;

    static final Set<Role> ALL = EnumSet.allOf(Role.class);
}
