package dev.clearance.store;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policy in force, rebuilt from the store: the stored version, its directives re-parsed from
 * their original texts, and the compiled {@link Policy} to decide with. A gateway node loads this at
 * start and again on every {@link Change.Kind#POLICY_ACTIVATED} change.
 *
 * @param version    the stored policy version
 * @param directives its directives, parsed from the stored texts
 * @param policy     compiled; {@code policy.version()} equals {@code version.contentHash()} because the hash covers content, not layout
 */
public record StoredPolicy(PolicyVersion version, List<Directive> directives, Policy policy) {
    public StoredPolicy {
        directives = List.copyOf(directives);
    }

    /**
     * The active policy, compiled; empty when none was ever activated.
     *
     * @throws StoreException when the store cannot be read, or a stored text no longer parses or
     *                        compiles (for example after an upgrade tightened the schema): a node
     *                        must then refuse to serve rather than enforce a partial policy
     */
    public static Optional<StoredPolicy> active(Store store) {
        Optional<PolicyVersion> active = store.policies().active();
        if (active.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(of(active.get()));
    }

    /**
     * Directive texts already parsed, by file and text hash: a stored text never changes, so a node
     * loading a new policy version parses only the directives that changed. Bounded: cleared when full.
     */
    private static final ConcurrentHashMap<String, List<Directive>> PARSED = new ConcurrentHashMap<>();

    private static final int PARSED_LIMIT = 4096;

    /** Parses and compiles a stored policy version. */
    public static StoredPolicy of(PolicyVersion version) {
        List<Directive> directives = new ArrayList<>();
        try {
            for (DirectiveVersion v : version.directives()) {
                directives.addAll(parsed(v));
            }
            return new StoredPolicy(version, directives, Policy.compile(directives));
        } catch (PolicyException e) {
            throw new StoreException(
                    "stored policy version " + version.number() + " no longer compiles:\n" + e.getMessage(), e);
        }
    }

    private static List<Directive> parsed(DirectiveVersion v) throws PolicyException {
        String key = v.sourceFile() + '\u0000' + v.textHash();
        List<Directive> known = PARSED.get(key);
        if (known != null) {
            return known;
        }
        List<Directive> parsed = List.copyOf(DirectiveParser.parse(v.sourceFile(), v.text()));
        if (PARSED.size() >= PARSED_LIMIT) {
            PARSED.clear();
        }
        PARSED.put(key, parsed);
        return parsed;
    }

    /**
     * {@code base} with each of {@code changes} added, or replacing the directive with its id; order
     * by id is left to {@link Policy#compile}. This is how one directive is added to or amended in
     * the active set (the admin API's PUT, {@code clearance directives load} without {@code --replace}).
     */
    public static List<Directive> withChanges(List<Directive> base, List<Directive> changes) {
        Map<String, Directive> byId = new LinkedHashMap<>();
        base.forEach(d -> byId.put(d.id(), d));
        changes.forEach(d -> byId.put(d.id(), d));
        return List.copyOf(byId.values());
    }

    /** {@code base} without the directive {@code id}; the same list when it is not there. */
    public static List<Directive> without(List<Directive> base, String id) {
        return base.stream().filter(d -> !d.id().equals(id)).toList();
    }
}
