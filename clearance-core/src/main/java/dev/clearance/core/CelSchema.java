package dev.clearance.core;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The typed variables directives see: {@code principal} and {@code request}, declared as CEL
 * struct types without protobuf so the checker rejects misspelled fields and type mismatches at load time.
 */
final class CelSchema {
    private CelSchema() {}

    static final StructType SCREENING = struct(
            "clearance.Screening",
            fields(
                    "status", SimpleType.STRING,
                    "lists", ListType.create(SimpleType.STRING),
                    "score", SimpleType.DOUBLE));

    static final StructType LICENSE = struct(
            "clearance.License",
            fields(
                    "id", SimpleType.STRING,
                    "type", SimpleType.STRING,
                    "models", ListType.create(SimpleType.STRING),
                    "valid_from", SimpleType.TIMESTAMP,
                    "valid_until", SimpleType.TIMESTAMP));

    static final StructType PRINCIPAL = struct(
            "clearance.Principal",
            fields(
                    "id", SimpleType.STRING,
                    "kind", SimpleType.STRING,
                    "name", SimpleType.STRING,
                    "citizenships", ListType.create(SimpleType.STRING),
                    "lawful_permanent_resident_of", SimpleType.STRING,
                    "protected_individual", SimpleType.BOOL,
                    "residence_country", SimpleType.STRING,
                    "incorporated_in", SimpleType.STRING,
                    "organization", SimpleType.STRING,
                    "identity_assurance", SimpleType.INT,
                    "licenses", ListType.create(LICENSE),
                    "attributes", MapType.create(SimpleType.STRING, SimpleType.STRING),
                    "us_person", SimpleType.BOOL,
                    "screening", SCREENING,
                    "organization_screening", SCREENING));

    static final StructType REQUEST = struct(
            "clearance.Request",
            fields(
                    "model", SimpleType.STRING,
                    "capabilities", ListType.create(SimpleType.STRING),
                    "time", SimpleType.TIMESTAMP,
                    "country", SimpleType.STRING,
                    "ip", SimpleType.STRING));

    static final CelTypeProvider TYPES = new CelTypeProvider() {
        private final ImmutableMap<String, CelType> byName = ImmutableMap.of(
                SCREENING.name(),
                SCREENING,
                LICENSE.name(),
                LICENSE,
                PRINCIPAL.name(),
                PRINCIPAL,
                REQUEST.name(),
                REQUEST);

        @Override
        public ImmutableCollection<CelType> types() {
            return byName.values();
        }

        @Override
        public Optional<CelType> findType(String typeName) {
            return Optional.ofNullable(byName.get(typeName));
        }
    };

    /** Field names of {@code principal}, for documentation and error messages. */
    static ImmutableSet<String> principalFields() {
        return PRINCIPAL.fieldNames();
    }

    private static Map<String, CelType> fields(Object... kv) {
        Map<String, CelType> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (CelType) kv[i + 1]);
        }
        return m;
    }

    private static StructType struct(String name, Map<String, CelType> fields) {
        ImmutableMap<String, CelType> f = ImmutableMap.copyOf(fields);
        return StructType.create(name, f.keySet(), field -> Optional.ofNullable(f.get(field)));
    }

    static ImmutableList<String> list(java.util.List<String> l) {
        return ImmutableList.copyOf(l);
    }
}
