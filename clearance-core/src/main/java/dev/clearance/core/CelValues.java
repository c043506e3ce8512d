package dev.clearance.core;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.cel.common.exceptions.CelAttributeNotFoundException;
import dev.cel.common.types.CelType;
import dev.cel.common.values.StructValue;
import java.time.Instant;
import java.util.Optional;

/**
 * CEL runtime values for the schema in {@link CelSchema}: adapted once (per principal, per request)
 * into the immutable collections CEL reads without copying.
 */
final class CelValues {
    private CelValues() {}

    /** A struct whose fields are looked up by name; subclasses answer {@link #field}. */
    abstract static class Struct extends StructValue<String, Object> {
        private final CelType type;

        Struct(CelType type) {
            this.type = type;
        }

        /** The field's value, or {@code null} for a field the type does not have. */
        abstract Object field(String name);

        @Override
        public final Object select(String name) {
            Object v = field(name);
            if (v == null) {
                throw CelAttributeNotFoundException.forFieldResolution(name);
            }
            return v;
        }

        @Override
        public final Optional<?> find(String name) {
            return Optional.ofNullable(field(name));
        }

        @Override
        public final Object value() {
            return this;
        }

        @Override
        public final boolean isZeroValue() {
            return false;
        }

        @Override
        public final CelType celType() {
            return type;
        }
    }

    static final class ScreeningValue extends Struct {
        private final String status;
        private final ImmutableList<String> lists;
        private final Double score;

        ScreeningValue(Screening s) {
            super(CelSchema.SCREENING);
            this.status = s.status();
            this.lists = ImmutableList.copyOf(s.lists());
            this.score = s.score();
        }

        @Override
        Object field(String name) {
            return switch (name) {
                case "status" -> status;
                case "lists" -> lists;
                case "score" -> score;
                default -> null;
            };
        }
    }

    static final class LicenseValue extends Struct {
        private final License l;
        private final ImmutableList<String> models;

        LicenseValue(License l) {
            super(CelSchema.LICENSE);
            this.l = l;
            this.models = ImmutableList.copyOf(l.models());
        }

        @Override
        Object field(String name) {
            return switch (name) {
                case "id" -> l.id();
                case "type" -> l.type();
                case "models" -> models;
                case "valid_from" -> l.validFrom();
                case "valid_until" -> l.validUntil();
                default -> null;
            };
        }
    }

    static final class PrincipalValue extends Struct {
        private final Principal p;
        private final String kind;
        private final ImmutableList<String> citizenships;
        private final Long identityAssurance;
        private final ImmutableList<LicenseValue> licenses;
        private final ImmutableMap<String, String> attributes;
        private final Boolean usPerson;
        private final ScreeningValue screening;
        private final ScreeningValue organizationScreening;

        PrincipalValue(Principal p) {
            super(CelSchema.PRINCIPAL);
            this.p = p;
            this.kind = p.kind().wireName();
            this.citizenships = ImmutableList.copyOf(p.citizenships());
            this.identityAssurance = (long) p.identityAssurance();
            this.licenses = p.licenses().stream().map(LicenseValue::new).collect(ImmutableList.toImmutableList());
            this.attributes = ImmutableMap.copyOf(p.attributes());
            this.usPerson = p.usPerson();
            this.screening = new ScreeningValue(p.screening());
            this.organizationScreening = new ScreeningValue(p.organizationScreening());
        }

        @Override
        Object field(String name) {
            return switch (name) {
                case "id" -> p.id();
                case "kind" -> kind;
                case "name" -> p.name();
                case "citizenships" -> citizenships;
                case "lawful_permanent_resident_of" -> p.lawfulPermanentResidentOf();
                case "protected_individual" -> p.protectedIndividual();
                case "residence_country" -> p.residenceCountry();
                case "incorporated_in" -> p.incorporatedIn();
                case "organization" -> p.organization();
                case "identity_assurance" -> identityAssurance;
                case "licenses" -> licenses;
                case "attributes" -> attributes;
                case "us_person" -> usPerson;
                case "screening" -> screening;
                case "organization_screening" -> organizationScreening;
                default -> null;
            };
        }
    }

    static final class RequestValue extends Struct {
        private final Request r;
        private final ImmutableList<String> capabilities;

        RequestValue(Request r) {
            super(CelSchema.REQUEST);
            this.r = r;
            this.capabilities = ImmutableList.copyOf(r.capabilities());
        }

        @Override
        Object field(String name) {
            return switch (name) {
                case "model" -> r.model();
                case "capabilities" -> capabilities;
                case "time" -> (Instant) r.time();
                case "country" -> r.country();
                case "ip" -> r.ip();
                default -> null;
            };
        }
    }
}
