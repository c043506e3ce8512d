package dev.clearance.cli.serve;

import dev.clearance.core.Directive;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.store.DirectiveText;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.PolicyVersions;
import dev.clearance.store.Store;
import dev.clearance.store.files.DirectiveFiles;
import dev.clearance.store.files.PrincipalFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code clearance serve} loads into the store before it starts: a directory of directives (made
 * the active policy when it differs from the stored one) and a principals file. Everything is parsed
 * and compiled first, so a bad file stops the start with a located error and changes nothing.
 */
final class StartupImport {
    private StartupImport() {}

    /** What was imported, for the start-up banner. */
    record Result(int directives, String policyVersion, long principals) {}

    static Result apply(Store store, Optional<Path> directives, Optional<Path> principals, String by)
            throws PolicyException, IOException {
        Policy compiled = null;
        if (directives.isPresent()) {
            List<Directive> parsed = DirectiveFiles.load(List.of(directives.get()));
            compiled = Policy.compile(parsed);
        }
        long imported = 0;
        if (principals.isPresent()) {
            Path file = principals.get();
            try {
                // One transaction: a bad line (a located PolicyException) leaves nothing half imported.
                imported = store.principals()
                        .<Exception>importAll(sink -> PrincipalFile.stream(file, (p, line) -> sink.accept(p)), by)
                        .count();
            } catch (PolicyException | IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("importing " + file + ": " + e.getMessage(), e);
            }
        }
        if (compiled != null) {
            Optional<PolicyVersion> active = store.policies().active();
            String stored = active.map(PolicyVersion::contentHash).orElse("");
            if (!stored.equals(compiled.version())) {
                store.policies()
                        .activate(
                                active.map(PolicyVersion::number).orElse(PolicyVersions.NONE),
                                compiled.directives().stream()
                                        .map(DirectiveText::of)
                                        .toList(),
                                compiled.version(),
                                by,
                                "loaded at start from " + directives.get());
            }
        }
        return new Result(
                compiled == null ? -1 : compiled.directives().size(),
                compiled == null ? "" : compiled.version(),
                imported);
    }
}
