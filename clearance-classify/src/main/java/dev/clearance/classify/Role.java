package dev.clearance.classify;

/** Who wrote a part of a conversation. */
public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL;

    /** The lower-case name used in JSON and the decision log. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
