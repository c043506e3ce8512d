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
    public static final class Conflict extends StoreException {
        private static final long serialVersionUID = 1L;

        public Conflict(String message) {
            super(message);
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
