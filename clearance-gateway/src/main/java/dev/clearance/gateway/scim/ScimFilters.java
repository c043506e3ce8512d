package dev.clearance.gateway.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.AndFilter;
import com.unboundid.scim2.common.filters.EqualFilter;
import com.unboundid.scim2.common.filters.Filter;
import dev.clearance.store.Provisioning;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code filter} of a list request, parsed by the SCIM library and turned into a store query. The
 * filters identity providers send to find a resource are supported: {@code eq} on {@code userName},
 * {@code externalId}, {@code id} and {@code active} (Users) or {@code displayName}, {@code externalId}
 * and {@code id} (Groups), joined by {@code and}. Anything else is a 400 {@code invalidFilter} naming
 * what is supported, never a partial answer.
 */
final class ScimFilters {
    private ScimFilters() {}

    /** The user query, or empty when the filter can match nothing (the same attribute equal to two values). */
    static Optional<Provisioning.UserQuery> users(String filter) {
        Map<String, JsonNode> eq =
                equalities(filter, UserResources.CORE, List.of("userName", "externalId", "id", "active"));
        if (eq == null) {
            return Optional.empty();
        }
        JsonNode active = eq.get("active");
        if (active != null && !active.isBoolean()) {
            throw ScimError.invalidFilter("active is compared with true or false, not " + active);
        }
        return Optional.of(new Provisioning.UserQuery(
                string(eq, "id"),
                string(eq, "userName"),
                string(eq, "externalId"),
                Optional.ofNullable(active).map(JsonNode::asBoolean)));
    }

    /** The group query, or empty when the filter can match nothing. */
    static Optional<Provisioning.GroupQuery> groups(String filter) {
        Map<String, JsonNode> eq = equalities(filter, GroupResources.CORE, List.of("displayName", "externalId", "id"));
        if (eq == null) {
            return Optional.empty();
        }
        return Optional.of(
                new Provisioning.GroupQuery(string(eq, "id"), string(eq, "displayName"), string(eq, "externalId")));
    }

    private static Optional<String> string(Map<String, JsonNode> eq, String name) {
        JsonNode v = eq.get(name);
        if (v != null && !v.isTextual()) {
            throw ScimError.invalidFilter(name + " is compared with a string, not " + v);
        }
        return Optional.ofNullable(v).map(JsonNode::asText);
    }

    /** Attribute to value for a conjunction of equalities; null when two of them contradict each other. */
    private static Map<String, JsonNode> equalities(String text, String schema, List<String> names) {
        Map<String, JsonNode> eq = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return eq;
        }
        Filter filter;
        try {
            filter = Filter.fromString(text);
        } catch (ScimException e) {
            throw ScimError.invalidFilter("the filter does not parse: " + e.getMessage());
        }
        return collect(filter, schema, names, eq) ? eq : null;
    }

    private static boolean collect(Filter f, String schema, List<String> names, Map<String, JsonNode> eq) {
        if (f instanceof AndFilter and) {
            boolean satisfiable = true;
            for (Filter c : and.getCombinedFilters()) {
                satisfiable &= collect(c, schema, names, eq);
            }
            return satisfiable;
        }
        if (f instanceof EqualFilter e) {
            String name = attribute(e.getAttributePath(), schema, names);
            JsonNode prior = eq.putIfAbsent(name, e.getComparisonValue());
            return prior == null || same(name, prior, e.getComparisonValue());
        }
        throw unsupported(names);
    }

    private static boolean same(String name, JsonNode a, JsonNode b) {
        // userName and displayName compare without regard to case (caseExact false); the rest exactly.
        boolean caseless = name.equals("userName") || name.equals("displayName");
        return caseless && a.isTextual() && b.isTextual() ? a.asText().equalsIgnoreCase(b.asText()) : a.equals(b);
    }

    private static String attribute(Path path, String schema, List<String> names) {
        if (path.getSchemaUrn() != null && !path.getSchemaUrn().equalsIgnoreCase(schema)) {
            throw unsupported(names);
        }
        if (path.size() != 1 || path.getElement(0).getValueFilter() != null) {
            throw unsupported(names);
        }
        String attr = path.getElement(0).getAttribute();
        return names.stream().filter(n -> n.equalsIgnoreCase(attr)).findFirst().orElseThrow(() -> unsupported(names));
    }

    private static ScimError unsupported(List<String> names) {
        return ScimError.invalidFilter("supported filters: eq on " + String.join(", ", names)
                + ", joined by and (e.g. userName eq \"alice\")");
    }
}
