package dev.clearance.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders for tests: directives from YAML snippets, principals and requests with defaults. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private Fixtures() {}

    /** A directive with the given extra YAML lines (scope, applies_to, ...) under a fixed id/title/start. */
    static Directive directive(String id, String... yamlLines) {
        StringBuilder y = new StringBuilder();
        y.append("id: ").append(id).append('\n');
        y.append("title: test directive ").append(id).append('\n');
        boolean hasFrom = false;
        for (String l : yamlLines) {
            hasFrom |= l.startsWith("effective_from:");
        }
        if (!hasFrom) {
            y.append("effective_from: 2026-01-01T00:00:00Z\n");
        }
        for (String l : yamlLines) {
            y.append(l).append('\n');
        }
        try {
            return DirectiveParser.parse(id + ".yaml", y.toString()).get(0);
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static Policy policy(Directive... ds) {
        try {
            return Policy.compile(List.of(ds));
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static Principal person(String id, List<String> citizenships) {
        return new Principal(
                id, Principal.Kind.PERSON, id, citizenships, "", false, "", "", "", 0, List.of(), Map.of(), null, null);
    }

    static Principal.Builder principal(String id) {
        return new Principal.Builder(id);
    }

    static Request request(String principal, String model) {
        return new Request("r", principal, model, List.of(), NOW, "", "");
    }

    static Request request(String principal, String model, Instant time, String country, String... capabilities) {
        return new Request("r", principal, model, List.of(capabilities), time, country, "");
    }

    static License license(String type, Instant from, Instant until, String... models) {
        return new License("L-" + type, type, List.of(models), from, until);
    }

    static List<Directive> list(Directive... ds) {
        return new ArrayList<>(List.of(ds));
    }
}
