package dev.clearance.screening;

import java.util.Locale;

/** A reviewer's verdict on a potential match. */
public enum ReviewVerdict {
    /** The principal is not the listed party: the match no longer counts. */
    FALSE_POSITIVE,
    /** The principal is the listed party: the status becomes {@code confirmed_match}. */
    CONFIRMED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code false_positive}/{@code false-positive} or {@code confirmed}/{@code confirm}. */
    public static ReviewVerdict fromWireName(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "false_positive" -> FALSE_POSITIVE;
            case "confirmed", "confirm" -> CONFIRMED;
            default ->
                throw new IllegalArgumentException("unknown verdict '" + s + "'; expected false_positive or confirmed");
        };
    }
}
