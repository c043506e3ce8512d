package dev.clearance.screening;

import java.util.Objects;

/**
 * What is screened: a name, and optionally what kind of party it is, a country and a date of birth.
 *
 * @param name        the name as written, in any script and order
 * @param kind        person or organisation when known, otherwise {@link PartyType#UNKNOWN}
 * @param country     ISO 3166 alpha-2 code or English country name, or empty
 * @param dateOfBirth {@code yyyy-mm-dd} or {@code yyyy}, or empty
 */
public record ScreeningQuery(String name, PartyType kind, String country, String dateOfBirth) {
    public ScreeningQuery {
        Objects.requireNonNull(name, "name");
        kind = kind == null ? PartyType.UNKNOWN : kind;
        country = country == null ? "" : country.trim();
        dateOfBirth = dateOfBirth == null ? "" : dateOfBirth.trim();
    }

    /** A query with only a name. */
    public static ScreeningQuery ofName(String name) {
        return new ScreeningQuery(name, PartyType.UNKNOWN, "", "");
    }
}
