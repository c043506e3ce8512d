package dev.clearance.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The capabilities a classifier knows, and the negatives that hold for every capability (benign
 * requests, other harms). Capability ids are unique and lower case.
 */
public record Taxonomy(List<Capability> capabilities, List<Exemplar> negatives) {
    public Taxonomy {
        capabilities = List.copyOf(capabilities);
        negatives = List.copyOf(negatives);
    }

    /**
     * This taxonomy with an operator's: an operator capability replaces the shipped one with the
     * same id (ids compare case-insensitively; both are lower case here) and is otherwise added;
     * operator negatives are added to the shipped ones.
     */
    public Taxonomy with(Taxonomy operator) {
        Map<String, Capability> byId = new LinkedHashMap<>();
        capabilities.forEach(c -> byId.put(c.id(), c));
        operator.capabilities.forEach(c -> byId.put(c.id(), c));
        List<Exemplar> all = new ArrayList<>(negatives);
        all.addAll(operator.negatives);
        return new Taxonomy(List.copyOf(byId.values()), all);
    }
}
