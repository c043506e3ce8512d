package dev.clearance.store;

/**
 * The store could not do what was asked: the database is unreachable, a constraint was violated, or
 * the request names something that does not exist. Unchecked, and never swallowed into an empty result.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A principal, key, directive version or policy named in a request does not exist. */
    public static final class NotFound extends StoreException {
        private static final long serialVersionUID = 1L;

        public NotFound(String message) {
            super(message);
        }
    }

    /** The request conflicts with what is stored (a duplicate in an import, a forbidden status change). */
    public static class Conflict extends StoreException {
        private static final long serialVersionUID = 1L;

        public Conflict(String message) {
            super(message);
        }
    }

    /**
     * An activation was derived from a policy version that is no longer the active one: another
     * activation (another node, the CLI, a lifecycle step) came first. Nothing was changed; derive the
     * change again from {@link #active()} and retry, or report the conflict.
     */
    public static final class PolicyConflict extends Conflict {
        private static final long serialVersionUID = 1L;
        private final long basedOn;
        private final long active;

        /**
         * @param basedOn the policy number the refused activation was derived from ({@link PolicyVersions#NONE} for none)
         * @param active  the policy number active when it was refused
         */
        public PolicyConflict(long basedOn, long active) {
            super("the policy changed meanwhile: this change was derived from policy version "
                    + (basedOn == PolicyVersions.NONE ? "none (an empty store)" : Long.toString(basedOn))
                    + " but version " + active + " is active now; nothing was changed"
                    + " (read the active policy again and make the change against it)");
            this.basedOn = basedOn;
            this.active = active;
        }

        /** The policy number the refused activation was derived from. */
        public long basedOn() {
            return basedOn;
        }

        /** The policy number that was active when it was refused. */
        public long active() {
            return active;
        }
    }

    /**
     * The same principal id appears twice in one import.
     *
     * @param ordinal 1-based position of the second occurrence among the imported principals
     */
    public static final class DuplicatePrincipal extends StoreException {
        private static final long serialVersionUID = 1L;
        private final String id;
        private final long ordinal;

        public DuplicatePrincipal(String id, long ordinal) {
            super("principal '" + id + "' appears more than once in the import (again as principal #" + ordinal + ")");
            this.id = id;
            this.ordinal = ordinal;
        }

        public String id() {
            return id;
        }

        public long ordinal() {
            return ordinal;
        }
    }
}
