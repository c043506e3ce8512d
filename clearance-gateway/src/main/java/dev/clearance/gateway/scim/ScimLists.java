package dev.clearance.gateway.scim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.Json;
import io.helidon.webserver.http.ServerRequest;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What list and read requests share: pagination ({@code startIndex}, 1-based, and {@code count}; RFC 7644
 * section 3.4.2.4), the list response, and the {@code attributes} / {@code excludedAttributes} projection
 * of top-level attributes (section 3.4.2.5).
 */
final class ScimLists {
    static final int DEFAULT_COUNT = 100;
    static final int MAX_COUNT = 1000;
    /** Returned whatever the projection asks. */
    private static final Set<String> ALWAYS = Set.of("id", "schemas", "meta");

    private ScimLists() {}

    /** The requested page: 1-based start (below 1 reads as 1) and size (capped at {@link #MAX_COUNT}). */
    record Window(long startIndex, int count) {
        long offset() {
            return startIndex - 1;
        }
    }

    static Window window(ServerRequest req) {
        long start = Math.max(1, number(req, "startIndex", 1));
        long count = Math.min(MAX_COUNT, Math.max(0, number(req, "count", DEFAULT_COUNT)));
        return new Window(start, (int) count);
    }

    private static long number(ServerRequest req, String name, long fallback) {
        String v = req.query().first(name).orElse(null);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ScimError.invalidValue(name + " must be an integer, not '" + v + "'");
        }
    }

    static ObjectNode response(long total, Window w, List<ObjectNode> resources) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putArray("schemas").add(ScimJson.LIST_SCHEMA);
        body.put("totalResults", total);
        body.put("startIndex", w.startIndex());
        body.put("itemsPerPage", resources.size());
        ArrayNode list = body.putArray("Resources");
        resources.forEach(list::add);
        return body;
    }

    /** The resource with only the requested top-level attributes, or without the excluded ones. */
    static ObjectNode project(ServerRequest req, ObjectNode resource) {
        Set<String> only = names(req, "attributes");
        Set<String> excluded = names(req, "excludedAttributes");
        if (only.isEmpty() && excluded.isEmpty()) {
            return resource;
        }
        for (Iterator<String> it = resource.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            String key = name.toLowerCase(Locale.ROOT);
            if (ALWAYS.contains(name)) {
                continue;
            }
            if ((!only.isEmpty() && !only.contains(key)) || excluded.contains(key)) {
                it.remove();
            }
        }
        return resource;
    }

    private static Set<String> names(ServerRequest req, String param) {
        return req.query()
                .first(param)
                .map(v -> Arrays.stream(v.split(","))
                        .map(s -> s.trim().toLowerCase(Locale.ROOT))
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toSet()))
                .orElse(Set.of());
    }
}
