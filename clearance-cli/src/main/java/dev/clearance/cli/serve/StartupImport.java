package dev.clearance.cli.serve;

import dev.clearance.cli.serve.ChangesSinceLoad.Undone;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Sha256;
import dev.clearance.store.DirectiveText;
import dev.clearance.store.FileLoads;
import dev.clearance.store.FileLoads.FileLoad;
import dev.clearance.store.FileLoads.PrincipalChange;
import dev.clearance.store.FileLoads.Source;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.PolicyVersions;
import dev.clearance.store.PrincipalRegistry.ImportResult;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import dev.clearance.store.files.DirectiveFiles;
import dev.clearance.store.files.PrincipalFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code clearance serve} loads into the store before it starts: a directory of directives and a
 * principals file. The store remembers what it last loaded from each path ({@link FileLoads}):
 *
 * <ul>
 *   <li>files unchanged since their last load change nothing, so a directive or principal changed over
 *       the admin API or the CLI survives a restart;
 *   <li>changed files are applied (a new policy version, an import), unless that would undo changes
 *       made in the store since their last load: then the start is refused naming those changes, and
 *       only {@code --replace-admin-changes} applies the files over them.
 * </ul>
 *
 * Everything is parsed, compiled and checked first, so a bad file or a refusal changes nothing.
 */
final class StartupImport {
    private static final Logger LOG = LoggerFactory.getLogger(StartupImport.class);

    private StartupImport() {}

    /**
     * What was done, for the start-up banner.
     *
     * @param principals principals imported by this start (0 when the file was unchanged)
     * @param report     one line per file: unchanged, or loaded and what it became
     */
    record Result(long principals, List<String> report) {}

    /** The start is refused: applying the changed files would undo changes made since their last load. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(List<String> files, List<Undone> undone) {
            super(String.join(" and ", files) + " changed since last loaded, and loading them would undo these"
                    + " changes made since then (over the admin API, the CLI or another node):\n  "
                    + undone.stream().map(Undone::describe).collect(Collectors.joining("\n  "))
                    + "\nPut these changes into the files, or start with --replace-admin-changes to load the"
                    + " files over them.");
        }
    }

    /** How often a start plans again when another node changed the policy between its plan and its activation. */
    private static final int ATTEMPTS = 3;

    /**
     * Plans and applies the configured files. Nodes of a fleet starting together with the same files
     * race: the activation is compare-and-set against the policy the plan read, so the one that loses
     * plans again (and usually finds the files already in force).
     */
    static Result apply(
            Store store, Optional<Path> directives, Optional<Path> principals, String by, boolean replaceAdminChanges)
            throws PolicyException, IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return applyOnce(store, directives, principals, by, replaceAdminChanges);
            } catch (StoreException.PolicyConflict e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.info(
                        "the policy changed while the files were planned (version {} now); planning again", e.active());
            }
        }
    }

    private static Result applyOnce(
            Store store, Optional<Path> directives, Optional<Path> principals, String by, boolean replaceAdminChanges)
            throws PolicyException, IOException {
        FileLoads loads = store.fileLoads();
        Optional<DirectivePlan> directivePlan =
                directives.isPresent() ? Optional.of(planDirectives(store, directives.get())) : Optional.empty();
        Optional<PrincipalPlan> principalPlan =
                principals.isPresent() ? Optional.of(planPrincipals(store, principals.get())) : Optional.empty();
        List<Undone> undone = new ArrayList<>();
        List<String> files = new ArrayList<>();
        directivePlan.filter(p -> !p.undone().isEmpty()).ifPresent(p -> {
            undone.addAll(p.undone());
            files.add("the directives in " + p.key());
        });
        principalPlan.filter(p -> !p.undone().isEmpty()).ifPresent(p -> {
            undone.addAll(p.undone());
            files.add("the principals in " + p.key());
        });
        if (!undone.isEmpty() && !replaceAdminChanges) {
            throw new Refused(files, undone);
        }
        undone.forEach(u -> LOG.warn("--replace-admin-changes: the configured files replace {}", u.describe()));

        List<String> report = new ArrayList<>();
        long imported = 0;
        if (principalPlan.isPresent()) {
            PrincipalPlan p = principalPlan.get();
            if (p.unchanged()) {
                report.add("principals in " + p.key() + " unchanged since imported at "
                        + p.last().orElseThrow().loadedAt() + ": not imported again");
            } else {
                var result = importPrincipals(store, p.file(), by);
                imported = result.count();
                loads.record(Source.PRINCIPALS, p.key(), p.contentHash(), 0, result.version(), by);
                report.add("principals in " + p.key() + " " + since(p.last(), "imported") + ": " + imported
                        + " imported" + replaced(p.undone()));
            }
        }
        if (directivePlan.isPresent()) {
            report.add(applyDirectives(store, directivePlan.get(), by));
        }
        report.forEach(line -> LOG.info("{}", line));
        return new Result(imported, report);
    }

    // ---- directives ----

    /**
     * @param inForce the policy in force now, if any
     * @param undone  what activating the files would undo (empty when unchanged or already in force)
     */
    private record DirectivePlan(
            String key, Policy files, Optional<FileLoad> last, Optional<PolicyVersion> inForce, List<Undone> undone) {
        boolean unchanged() {
            return last.isPresent() && last.get().contentHash().equals(files.version());
        }

        boolean alreadyInForce() {
            return inForce.isPresent() && inForce.get().contentHash().equals(files.version());
        }
    }

    private static DirectivePlan planDirectives(Store store, Path path) throws PolicyException {
        String key = key(path);
        Policy files = Policy.compile(DirectiveFiles.load(List.of(path)));
        Optional<FileLoad> last = store.fileLoads().last(Source.DIRECTIVES, key);
        Optional<PolicyVersion> inForce = store.policies().active();
        DirectivePlan plan = new DirectivePlan(key, files, last, inForce, List.of());
        if (plan.unchanged() || plan.alreadyInForce() || inForce.isEmpty()) {
            return plan;
        }
        // Without a load of this path, the last load from any path (another node's) is where changes start.
        Optional<PolicyVersion> base = last.or(() -> store.fileLoads().last(Source.DIRECTIVES))
                .flatMap(l -> store.policies().get(l.policyNumber()));
        List<PolicyVersion> since = new ArrayList<>();
        for (long n = base.map(PolicyVersion::number).orElse(0L) + 1;
                n <= inForce.get().number();
                n++) {
            store.policies().get(n).ifPresent(since::add);
        }
        return new DirectivePlan(
                key, files, last, inForce, ChangesSinceLoad.directives(base.orElse(null), since, files));
    }

    private static String applyDirectives(Store store, DirectivePlan p, String by) {
        String where = "directives in " + p.key();
        if (p.unchanged()) {
            return where + " unchanged since loaded at "
                    + p.last().orElseThrow().loadedAt()
                    + ": the policy in force is kept"
                    + p.inForce().map(v -> " (version " + v.number() + ")").orElse("");
        }
        PolicyVersion result;
        String outcome;
        if (p.alreadyInForce()) {
            result = p.inForce().orElseThrow();
            outcome = "already in force as policy version " + result.number() + ", nothing activated";
        } else {
            String reason = "loaded at start from " + p.key()
                    + p.last()
                            .map(l -> " (changed since loaded at " + l.loadedAt() + ")")
                            .orElse("")
                    + replaced(p.undone());
            result = store.policies()
                    .activate(
                            p.inForce().map(PolicyVersion::number).orElse(PolicyVersions.NONE),
                            p.files().directives().stream()
                                    .map(DirectiveText::of)
                                    .toList(),
                            p.files().version(),
                            by,
                            reason);
            outcome = "activated as policy version " + result.number() + replaced(p.undone());
        }
        store.fileLoads()
                .record(
                        Source.DIRECTIVES,
                        p.key(),
                        p.files().version(),
                        result.number(),
                        store.changes().lastSequence(),
                        by);
        return where + " " + since(p.last(), "loaded") + ": " + outcome;
    }

    // ---- principals ----

    private record PrincipalPlan(
            Path file, String key, String contentHash, Optional<FileLoad> last, List<Undone> undone) {
        boolean unchanged() {
            return last.isPresent() && last.get().contentHash().equals(contentHash);
        }
    }

    private static PrincipalPlan planPrincipals(Store store, Path file) throws PolicyException, IOException {
        String key = key(file);
        String hash = sha256(file);
        Optional<FileLoad> last = store.fileLoads().last(Source.PRINCIPALS, key);
        if (last.isPresent() && last.get().contentHash().equals(hash)) {
            return new PrincipalPlan(file, key, hash, last, List.of());
        }
        long base = last.or(() -> store.fileLoads().last(Source.PRINCIPALS))
                .map(FileLoad::changeSequence)
                .orElse(0L);
        List<PrincipalChange> changes = store.fileLoads().principalChangesSince(base);
        Set<String> changed = changes.stream().map(PrincipalChange::id).collect(Collectors.toSet());
        Map<String, String> inFile = new HashMap<>();
        // Also checks the whole file before anything is written.
        PrincipalFile.stream(file, (p, line) -> {
            if (changed.contains(p.id())) {
                inFile.put(p.id(), Json.writePrincipal(p));
            }
        });
        return new PrincipalPlan(file, key, hash, last, ChangesSinceLoad.principals(changes, inFile));
    }

    private static ImportResult importPrincipals(Store store, Path file, String by)
            throws PolicyException, IOException {
        try {
            // One transaction: a bad line (a located PolicyException) leaves nothing half imported.
            return store.principals()
                    .<Exception>importAll(sink -> PrincipalFile.stream(file, (p, line) -> sink.accept(p)), by);
        } catch (PolicyException | IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("importing " + file + ": " + e.getMessage(), e);
        }
    }

    // ---- shared ----

    /** A path as the store remembers it: absolute and normalised. */
    private static String key(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    private static String since(Optional<FileLoad> last, String verb) {
        return last.map(l -> "changed since " + verb + " at " + l.loadedAt()).orElse(verb + " for the first time");
    }

    private static String replaced(List<Undone> undone) {
        return undone.isEmpty()
                ? ""
                : "; replaces "
                        + undone.stream().map(u -> u.kind() + " " + u.id()).collect(Collectors.joining(", "))
                        + " changed since (--replace-admin-changes)";
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md = Sha256.newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return "sha256:" + Sha256.hex(md);
    }
}
