package dev.clearance.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A person or organisation that may use models, with the facts directives ask about.
 *
 * <p>Every typed field is always present: absent facts take their empty default (empty list,
 * empty string, {@code false}, {@code 0}), so a directive never reads "unknown" as "allowed".
 * {@link #usPerson()} is the only place U.S.-person status is derived.
 */
public record Principal(
        String id,
        Kind kind,
        String name,
        List<String> citizenships,
        String lawfulPermanentResidentOf,
        boolean protectedIndividual,
        String residenceCountry,
        String incorporatedIn,
        String organization,
        int identityAssurance,
        List<License> licenses,
        Map<String, String> attributes,
        Screening screening,
        Screening organizationScreening) {

    /** Whether the principal is a natural person or a legal entity. */
    public enum Kind {
        PERSON,
        ORGANIZATION;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Principal {
        Objects.requireNonNull(id, "id");
        kind = kind == null ? Kind.PERSON : kind;
        name = nz(name);
        citizenships = List.copyOf(citizenships == null ? List.of() : citizenships);
        lawfulPermanentResidentOf = nz(lawfulPermanentResidentOf);
        residenceCountry = nz(residenceCountry);
        incorporatedIn = nz(incorporatedIn);
        organization = nz(organization);
        licenses = List.copyOf(licenses == null ? List.of() : licenses);
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
        screening = screening == null ? Screening.NOT_SCREENED : screening;
        organizationScreening = organizationScreening == null ? Screening.NOT_SCREENED : organizationScreening;
    }

    /**
     * U.S. person under the EAR/ITAR: for a person, a U.S. citizen, a lawful permanent resident
     * of the U.S. or a protected individual (8 U.S.C. 1324b(a)(3)); for an organisation, one
     * incorporated in the U.S. Every visa holder is a foreign person.
     */
    public boolean usPerson() {
        return switch (kind) {
            case PERSON -> citizenships.contains("US") || "US".equals(lawfulPermanentResidentOf) || protectedIndividual;
            case ORGANIZATION -> "US".equals(incorporatedIn);
        };
    }

    /** A copy with new screening results; everything else unchanged. */
    public Principal withScreening(Screening own, Screening ofOrganization) {
        return new Principal(id, kind, name, citizenships, lawfulPermanentResidentOf, protectedIndividual,
                residenceCountry, incorporatedIn, organization, identityAssurance, licenses, attributes,
                own, ofOrganization);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
