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
        PERSON("person"),
        ORGANIZATION("organization");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The name in JSON, YAML and CEL ({@code principal.kind}); one instance, read per decision and record. */
        public String wireName() {
            return wireName;
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
        return new Principal(
                id,
                kind,
                name,
                citizenships,
                lawfulPermanentResidentOf,
                protectedIndividual,
                residenceCountry,
                incorporatedIn,
                organization,
                identityAssurance,
                licenses,
                attributes,
                own,
                ofOrganization);
    }

    /** A builder for code that assembles principals field by field (tests, generators, importers). */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Mutable builder; {@link #build()} validates nothing beyond the record's own invariants. */
    public static final class Builder {
        private final String id;
        private Kind kind = Kind.PERSON;
        private String name = "";
        private List<String> citizenships = List.of();
        private String lawfulPermanentResidentOf = "";
        private boolean protectedIndividual;
        private String residenceCountry = "";
        private String incorporatedIn = "";
        private String organization = "";
        private int identityAssurance;
        private List<License> licenses = List.of();
        private Map<String, String> attributes = Map.of();
        private Screening screening;
        private Screening organizationScreening;

        public Builder(String id) {
            this.id = id;
        }

        public Builder kind(Kind v) {
            this.kind = v;
            return this;
        }

        public Builder name(String v) {
            this.name = v;
            return this;
        }

        public Builder citizenships(String... v) {
            this.citizenships = List.of(v);
            return this;
        }

        public Builder lawfulPermanentResidentOf(String v) {
            this.lawfulPermanentResidentOf = v;
            return this;
        }

        public Builder protectedIndividual(boolean v) {
            this.protectedIndividual = v;
            return this;
        }

        public Builder residenceCountry(String v) {
            this.residenceCountry = v;
            return this;
        }

        public Builder incorporatedIn(String v) {
            this.incorporatedIn = v;
            return this;
        }

        public Builder organization(String v) {
            this.organization = v;
            return this;
        }

        public Builder identityAssurance(int v) {
            this.identityAssurance = v;
            return this;
        }

        public Builder licenses(License... v) {
            this.licenses = List.of(v);
            return this;
        }

        public Builder attributes(Map<String, String> v) {
            this.attributes = v;
            return this;
        }

        public Builder screening(Screening v) {
            this.screening = v;
            return this;
        }

        public Builder organizationScreening(Screening v) {
            this.organizationScreening = v;
            return this;
        }

        public Principal build() {
            return new Principal(
                    id,
                    kind,
                    name,
                    citizenships,
                    lawfulPermanentResidentOf,
                    protectedIndividual,
                    residenceCountry,
                    incorporatedIn,
                    organization,
                    identityAssurance,
                    licenses,
                    attributes,
                    screening,
                    organizationScreening);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
