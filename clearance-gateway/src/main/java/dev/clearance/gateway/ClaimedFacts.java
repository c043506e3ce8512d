package dev.clearance.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import java.util.Map;

/**
 * Principal facts carried by a caller's verified token, which take precedence over the stored ones for
 * that caller's calls (see docs/identity.md for what trusting them means). Checked as a principal line
 * is ({@link Json#principal}), so a claim holds exactly what a principals file may.
 */
final class ClaimedFacts {
    /** No claimed facts: the stored principal as it is. */
    static final ClaimedFacts NONE = new ClaimedFacts(Json.mapper().createObjectNode());

    /** Canonical JSON field names to values; never changed after construction. */
    private final ObjectNode facts;

    private ClaimedFacts(ObjectNode facts) {
        this.facts = facts;
    }

    /**
     * @param facts fact name (a principal field) to the claim's value
     * @throws PolicyException naming the fact whose value a principal could not have
     */
    static ClaimedFacts of(String principalId, Map<String, Object> facts) throws PolicyException {
        if (facts.isEmpty()) {
            return NONE;
        }
        ObjectNode node = Json.mapper().createObjectNode();
        facts.forEach((fact, value) -> node.set(fact, Json.mapper().valueToTree(value)));
        ObjectNode line = Json.mapper().createObjectNode().put("id", principalId);
        line.setAll(node);
        Json.principal(line.toString(), "token claims", 0);
        return new ClaimedFacts(node);
    }

    boolean isEmpty() {
        return facts.isEmpty();
    }

    /** The stored principal with the claimed facts in place of its own. */
    Principal applyTo(Principal stored) {
        if (facts.isEmpty()) {
            return stored;
        }
        try {
            ObjectNode line = (ObjectNode) Json.mapper().readTree(Json.writePrincipal(stored));
            line.setAll(facts.deepCopy());
            return Json.principal(line.toString(), "token claims", 0);
        } catch (JsonProcessingException | PolicyException e) {
            // Both parts were checked on their own; a failure here is a bug, not a caller's error.
            throw new IllegalStateException("claimed facts no longer apply to principal " + stored.id(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClaimedFacts c && c.facts.equals(facts);
    }

    @Override
    public int hashCode() {
        return facts.hashCode();
    }

    @Override
    public String toString() {
        return facts.toString();
    }
}
