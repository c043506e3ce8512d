package dev.clearance.lifecycle;

/** A lifecycle step that the rules or the version's status do not allow; nothing was changed. */
public final class LifecycleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LifecycleException(String message) {
        super(message);
    }
}
