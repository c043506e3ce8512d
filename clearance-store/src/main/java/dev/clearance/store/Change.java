package dev.clearance.store;

import java.time.Instant;

/**
 * One entry of the change feed.
 *
 * @param sequence strictly increasing, in commit order
 * @param kind     what changed; other modules may add their own kinds (see {@link Database#recordChange})
 * @param subject  what it changed: a principal id, a key prefix, a policy number, an import's count
 */
public record Change(long sequence, String kind, String subject, Instant at) {

    /** The kinds the store itself writes. */
    public static final class Kind {
        public static final String PRINCIPAL_PUT = "principal_put";
        public static final String PRINCIPAL_DELETED = "principal_deleted";
        /** Many principals changed at once; subject is the count. Caches should drop every principal. */
        public static final String PRINCIPALS_IMPORTED = "principals_imported";

        public static final String KEY_CREATED = "key_created";
        public static final String KEY_REVOKED = "key_revoked";
        /** A directive version was proposed, approved or withdrawn without changing the active policy. */
        public static final String DIRECTIVE_CHANGED = "directive_changed";
        /** A new policy version is in force; subject is its number. */
        public static final String POLICY_ACTIVATED = "policy_activated";

        private Kind() {}
    }
}
