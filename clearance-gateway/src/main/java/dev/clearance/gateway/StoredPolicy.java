package dev.clearance.gateway;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.store.DirectiveText;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The policy in force in the store, compiled; and the one way the gateway makes a new policy version. */
final class StoredPolicy {
    private StoredPolicy() {}

    /**
     * Compiles the store's active policy version; an empty policy for a fresh store.
     *
     * @throws PolicyException when a stored directive no longer parses or compiles (located in its source file)
     */
    static Policy load(Store store) throws PolicyException {
        Optional<PolicyVersion> active = store.policies().active();
        if (active.isEmpty()) {
            return Policy.compile(List.of());
        }
        List<Directive> directives = new ArrayList<>();
        for (DirectiveVersion v : active.get().directives()) {
            directives.addAll(DirectiveParser.parse(v.sourceFile(), v.text()));
        }
        return Policy.compile(directives);
    }

    /** Stores {@code policy} (already compiled, so already valid) as the new active policy version. */
    static void activate(Store store, Policy policy, String by, String reason) {
        store.policies().activate(policy.directives().stream().map(DirectiveText::of).toList(), policy.version(), by, reason);
    }
}
