package dev.clearance.core;

import java.util.List;
import java.util.Objects;

/**
 * The restricted-party screening result of a principal, as directives see it in
 * {@code principal.screening} and {@code principal.organization_screening}.
 *
 * @param status {@code not_screened}, {@code clear}, {@code potential_match} or {@code confirmed_match}
 * @param lists  names of the lists with a (potential) match
 * @param score  best match score in [0, 1]
 */
public record Screening(String status, List<String> lists, double score) {
    public static final String NOT_SCREENED_STATUS = "not_screened";
    public static final String CLEAR = "clear";
    public static final String POTENTIAL_MATCH = "potential_match";
    public static final String CONFIRMED_MATCH = "confirmed_match";

    /** No screening has run (no list loaded, or the principal is new): never read as clear. */
    public static final Screening NOT_SCREENED = new Screening(NOT_SCREENED_STATUS, List.of(), 0.0);

    public Screening {
        Objects.requireNonNull(status, "status");
        lists = List.copyOf(lists == null ? List.of() : lists);
    }
}
