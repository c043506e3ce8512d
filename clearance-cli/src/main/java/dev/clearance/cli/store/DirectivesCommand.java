package dev.clearance.cli.store;

import dev.clearance.cli.CommandGroup;
import dev.clearance.core.Directive;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.store.DirectiveEvent;
import dev.clearance.store.DirectiveText;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.PolicyVersions;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import dev.clearance.store.StoredPolicy;
import dev.clearance.store.files.DirectiveFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clearance directives ...}: directive versions and the active policy in the store. */
@Command(
        name = "directives",
        description = "Load directives into the store and read their history.",
        subcommands = {
            DirectivesCommand.Load.class,
            DirectivesCommand.ListCommand.class,
            DirectivesCommand.History.class
        })
public final class DirectivesCommand extends CommandGroup {

    /** {@code clearance directives load PATH...}. */
    @Command(
            name = "load",
            description = "Validate directives (files, or directories of *.yaml) and activate a new policy "
                    + "version: the loaded directives are added to the active ones, replacing those with the same id "
                    + "(with --replace, the loaded set becomes the whole policy and every other directive is withdrawn). "
                    + "Invalid input is reported as file:line:column: message and changes nothing.")
    static final class Load implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions options;

        @Mixin
        Actor actor;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Directive files or directories.")
        List<Path> paths;

        @Option(
                names = "--reason",
                paramLabel = "WHY",
                description = "Why, for the record (e.g. the order's reference).")
        String reason;

        @Option(
                names = "--replace",
                description = "Make the loaded directives the whole policy; withdraw every other active directive.")
        boolean replace;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Directive> loadedFromFiles;
            try {
                loadedFromFiles = DirectiveFiles.load(paths);
            } catch (PolicyException e) {
                return invalid(err, e);
            }
            try (Store store = options.openOrCreate()) {
                // One read: the load is derived from this version, and activated only if it is still the active one.
                Optional<PolicyVersion> active = store.policies().active();
                Optional<StoredPolicy> current = replace ? Optional.empty() : active.map(StoredPolicy::of);
                List<Directive> directives = current.map(c -> StoredPolicy.withChanges(c.directives(), loadedFromFiles))
                        .orElse(loadedFromFiles);
                Policy policy;
                try {
                    policy = Policy.compile(directives);
                } catch (PolicyException e) {
                    return invalid(err, e);
                }
                if (active.isPresent() && active.get().contentHash().equals(policy.version())) {
                    out.printf(
                            "unchanged: policy version %d (%s) already has these %d directive(s)%n",
                            active.get().number(), policy.version(), directives.size());
                    return 0;
                }
                Set<String> before = active.map(p -> p.directives().stream()
                                .map(DirectiveVersion::label)
                                .collect(Collectors.toSet()))
                        .orElse(Set.of());
                PolicyVersion loaded = store.policies()
                        .activate(
                                active.map(PolicyVersion::number).orElse(PolicyVersions.NONE),
                                directives.stream().map(DirectiveText::of).toList(),
                                policy.version(),
                                actor.name(),
                                reason == null ? "loaded from " + paths : reason);
                out.printf(
                        "policy version %d active: %d directive(s), content hash %s%n",
                        loaded.number(), loaded.directives().size(), loaded.contentHash());
                for (DirectiveVersion v : loaded.directives()) {
                    out.printf("  %-46s %s%n", v.label(), before.contains(v.label()) ? "unchanged" : "activated");
                }
                Set<String> now = loaded.directives().stream()
                        .map(DirectiveVersion::label)
                        .collect(Collectors.toSet());
                before.stream()
                        .filter(l -> !now.contains(l))
                        .sorted()
                        .forEach(l -> out.printf("  %-46s %s%n", l, "withdrawn"));
                return 0;
            } catch (StoreException.PolicyConflict e) {
                err.printf(
                        "directives load: another change activated policy version %d while this load was prepared"
                                + " against %s; nothing was loaded. Run the command again to load against version %d.%n",
                        e.active(),
                        e.basedOn() == PolicyVersions.NONE ? "an empty store" : "version " + e.basedOn(),
                        e.active());
                return 1;
            } catch (RuntimeException e) {
                return options.fail(err, e);
            }
        }

        private static int invalid(PrintWriter err, PolicyException e) {
            e.problems().forEach(err::println);
            err.printf("%d error(s); nothing loaded%n", e.problems().size());
            return 1;
        }
    }

    /** {@code clearance directives list}. */
    @Command(name = "list", description = "List the latest version of every stored directive and the active policy.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions options;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Store store = options.open()) {
                Optional<PolicyVersion> active = store.policies().active();
                if (active.isEmpty()) {
                    out.println("no active policy");
                } else {
                    PolicyVersion p = active.get();
                    out.printf(
                            "active policy version %d (%s), activated %s by %s: %s%n",
                            p.number(), p.contentHash(), p.activatedAt(), p.activatedBy(), p.reason());
                }
                Set<String> inForce = active.map(p -> p.directives().stream()
                                .map(DirectiveVersion::label)
                                .collect(Collectors.toSet()))
                        .orElse(Set.of());
                out.printf(
                        "%-44s %6s %-10s %-9s %-16s %s%n",
                        "DIRECTIVE", "LATEST", "STATUS", "IN FORCE", "AUTHOR", "CREATED");
                for (DirectiveVersion v : store.directives().latest()) {
                    // The version in force may be older than the latest (a draft amendment waiting for approval).
                    String enforced = inForce.stream()
                            .filter(l -> l.startsWith(v.directiveId() + "@"))
                            .findFirst()
                            .map(l -> l.substring(l.lastIndexOf('@')))
                            .orElse("-");
                    out.printf(
                            "%-44s %6d %-10s %-9s %-16s %s%n",
                            v.directiveId(), v.version(), v.status().wireName(), enforced, v.author(), v.createdAt());
                }
                return 0;
            } catch (RuntimeException e) {
                return options.fail(spec.commandLine().getErr(), e);
            }
        }
    }

    /** {@code clearance directives history ID}. */
    @Command(
            name = "history",
            description = "Show every version of a directive and every change of its status: who, when, why.")
    static final class History implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions options;

        @Parameters(paramLabel = "ID", description = "The directive id.")
        String id;

        @Option(names = "--text", description = "Also print the text of every version.")
        boolean text;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Store store = options.open()) {
                List<DirectiveVersion> versions = store.directives().versions(id);
                if (versions.isEmpty()) {
                    return options.notFound(err, "no directive '" + id + "'");
                }
                for (DirectiveVersion v : versions) {
                    out.printf(
                            "%s  %s  from %s, by %s at %s%s, sha256 %s%n",
                            v.label(),
                            v.status().wireName(),
                            v.sourceFile(),
                            v.author(),
                            v.createdAt(),
                            v.approver() == null ? "" : ", approved by " + v.approver(),
                            v.textHash().substring(0, 12));
                    if (text) {
                        v.text().lines().forEach(l -> out.println("    | " + l));
                    }
                }
                out.println();
                for (DirectiveEvent e : store.directives().history(id)) {
                    out.printf(
                            "%s  %s@%d  %s -> %s  by %s: %s%n",
                            e.at(),
                            e.directiveId(),
                            e.version(),
                            e.from() == null ? "(new)" : e.from().wireName(),
                            e.to().wireName(),
                            e.actor(),
                            e.reason());
                }
                return 0;
            } catch (RuntimeException e) {
                return options.fail(err, e);
            }
        }
    }
}
