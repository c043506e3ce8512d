package dev.clearance.cli.serve;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.FileLoads.PrincipalChange;
import dev.clearance.store.PolicyVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which changes made in the store since the files were last loaded (over the admin API, the CLI, the
 * lifecycle or another node) loading the files now would undo. Pure: the caller reads the store.
 *
 * <p>A directive counts when its version in force differs from the one the last load left in force,
 * and the files do not hold the same directive (by content, not layout). A principal counts when it
 * was written or deleted after the last import and the file holds it with other content.
 */
final class ChangesSinceLoad {
    private ChangesSinceLoad() {}

    /**
     * One change the files would undo.
     *
     * @param kind   {@code directive} or {@code principal}
     * @param what   added, amended, withdrawn (directives); changed, deleted (principals)
     * @param by     who made it, as the store recorded it (empty when it keeps no author)
     * @param detail where it is recorded, e.g. the policy version and its reason
     */
    record Undone(String kind, String id, String what, String by, Instant at, String detail) {
        String describe() {
            return kind + " '" + id + "' " + what + (by.isEmpty() ? "" : " by " + by) + " at " + at
                    + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /**
     * @param base  the policy the last load left in force; null when nothing was ever loaded from files
     * @param since every policy version after {@code base}, in order; the last one is in force
     * @param files the directives the files hold now
     */
    static List<Undone> directives(PolicyVersion base, List<PolicyVersion> since, Policy files) {
        if (since.isEmpty()) {
            return List.of();
        }
        Map<String, DirectiveVersion> before = members(base);
        Map<String, DirectiveVersion> now = members(since.get(since.size() - 1));
        TreeSet<String> ids = new TreeSet<>(before.keySet());
        ids.addAll(now.keySet());
        List<Undone> out = new ArrayList<>();
        for (String id : ids) {
            DirectiveVersion inForce = now.get(id);
            if (sameVersion(before.get(id), inForce) || holds(files, id, inForce)) {
                continue;
            }
            PolicyVersion made = lastChange(id, base, since);
            String what = inForce == null ? "withdrawn" : before.containsKey(id) ? "amended" : "added";
            out.add(new Undone(
                    "directive",
                    id,
                    what,
                    made.activatedBy(),
                    made.activatedAt(),
                    "policy version " + made.number() + (made.reason().isBlank() ? "" : ": " + made.reason())));
        }
        return out;
    }

    /**
     * @param changes      principals written or deleted since the last import
     * @param fileDocuments the canonical JSON the file holds for those of them it names, by id
     */
    static List<Undone> principals(List<PrincipalChange> changes, Map<String, String> fileDocuments) {
        List<Undone> out = new ArrayList<>();
        for (PrincipalChange c : changes) {
            String inFile = fileDocuments.get(c.id());
            if (inFile == null || inFile.equals(c.document())) {
                continue; // the import does not touch it, or writes what is there already
            }
            out.add(new Undone(
                    "principal",
                    c.id(),
                    c.deleted() ? "deleted" : "changed",
                    c.by(),
                    c.at(),
                    "change " + c.sequence()));
        }
        return out;
    }

    private static Map<String, DirectiveVersion> members(PolicyVersion policy) {
        Map<String, DirectiveVersion> out = new TreeMap<>();
        if (policy != null) {
            policy.directives().forEach(v -> out.put(v.directiveId(), v));
        }
        return out;
    }

    private static boolean sameVersion(DirectiveVersion a, DirectiveVersion b) {
        return a == null ? b == null : b != null && a.version() == b.version();
    }

    /** Whether the files hold exactly what is in force for this id (absent counts as absent). */
    private static boolean holds(Policy files, String id, DirectiveVersion inForce) {
        Directive inFiles = files.directive(id).orElse(null);
        if (inFiles == null || inForce == null) {
            return inFiles == null && inForce == null;
        }
        try {
            List<Directive> stored = DirectiveParser.parse(inForce.sourceFile(), inForce.text());
            // The policy version is a content hash that ignores layout; for one directive it compares content.
            return stored.size() == 1
                    && Policy.compile(stored)
                            .version()
                            .equals(Policy.compile(List.of(inFiles)).version());
        } catch (PolicyException e) {
            return false; // a stored text that no longer compiles is not what the files hold
        }
    }

    /** The policy version that last changed this directive (after {@code base}). */
    private static PolicyVersion lastChange(String id, PolicyVersion base, List<PolicyVersion> since) {
        DirectiveVersion previous = members(base).get(id);
        PolicyVersion made = since.get(since.size() - 1);
        for (PolicyVersion v : since) {
            DirectiveVersion current = members(v).get(id);
            if (!sameVersion(previous, current)) {
                made = v;
            }
            previous = current;
        }
        return made;
    }
}
