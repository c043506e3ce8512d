package dev.clearance.classify;

import java.util.List;

/**
 * A capability a request can ask for (offensive-cyber, cbrn, ...), as data: its id (lower case; a
 * directive's {@code scope.capabilities} glob such as {@code offensive-cyber*} matches it and its
 * sub-capabilities), version, description, sub-capabilities, positive exemplars and hard negatives.
 */
public record Capability(
        String id,
        String version,
        String description,
        List<Sub> subcapabilities,
        List<Exemplar> positives,
        List<Exemplar> hardNegatives,
        String file) {
    public Capability {
        subcapabilities = List.copyOf(subcapabilities);
        positives = List.copyOf(positives);
        hardNegatives = List.copyOf(hardNegatives);
    }

    /** A sub-capability: {@code id} is the full name, e.g. {@code offensive-cyber.malware}. */
    public record Sub(String id, String description) {}
}
