package dev.clearance.cli.screen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.clearance.cli.CommandGroup;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.ConfigException;
import dev.clearance.cli.config.StoreLocation;
import dev.clearance.cli.store.Actor;
import dev.clearance.screening.ListImportException;
import dev.clearance.screening.ListImporter;
import dev.clearance.screening.ListSource;
import dev.clearance.screening.ListVersion;
import dev.clearance.screening.PrincipalScreening;
import dev.clearance.screening.Review;
import dev.clearance.screening.ReviewVerdict;
import dev.clearance.screening.ScreeningIndex;
import dev.clearance.screening.ScreeningRegistry;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clearance screening ...}: screening on the record, in the store. Import list versions
 * (which re-screens every principal), screen principals changed since the last run, show a
 * principal's result, list matches waiting for review, list every imported list version, and record a
 * reviewer's verdict.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "screening",
        description = "Restricted-party screening of the stored principals: lists, results, reviews.",
        subcommands = {
            ScreeningCommand.Import.class,
            ScreeningCommand.Sync.class,
            ScreeningCommand.Show.class,
            ScreeningCommand.Pending.class,
            ScreeningCommand.Lists.class,
            ScreeningCommand.ReviewCommand.class
        })
public final class ScreeningCommand extends CommandGroup {
    // Instants print as ISO-8601 text, the way the store keeps them.
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));

    /** {@code --config} and {@code --by}, as the store commands take them. */
    static final class Options {
        @Option(
                names = "--config",
                paramLabel = "FILE",
                description =
                        "Configuration file (default: ./clearance.yaml if present, else the embedded store in ./data).")
        Path config;

        @Mixin
        Actor by;

        ClearanceConfig load() {
            return ClearanceConfig.resolve(config);
        }

        String actor() {
            return by.name();
        }

        /** The configured threshold, or the evaluated default when screening is not configured. */
        static double threshold(ClearanceConfig config) {
            return config.screening()
                    .map(ClearanceConfig.ScreeningSettings::threshold)
                    .orElse(ScreeningIndex.DEFAULT_THRESHOLD);
        }
    }

    /** Runs {@code work} against the store's screening registry, which must exist, reporting failures as the store commands do. */
    static int withRegistry(Options options, PrintWriter err, RegistryWork work) {
        return withRegistry(options, false, err, work);
    }

    /** As {@link #withRegistry(Options, PrintWriter, RegistryWork)}; with {@code create}, a missing store is created. */
    static int withRegistry(Options options, boolean create, PrintWriter err, RegistryWork work) {
        StoreLocation where = null;
        try {
            ClearanceConfig config = options.load();
            where = StoreLocation.of(config);
            try (Store store = create ? where.openOrCreate() : where.openExisting()) {
                return work.run(
                        new ScreeningRegistry(store, Clock.systemUTC(), Options.threshold(config)), config, where);
            }
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return 1;
        } catch (StoreException.NotFound e) {
            err.println("clearance: " + where.notFound(e.getMessage()));
            return 1;
        } catch (StoreException e) {
            err.println("clearance: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("clearance screening: " + e.getMessage());
            return 2;
        }
    }

    @FunctionalInterface
    interface RegistryWork {
        int run(ScreeningRegistry registry, ClearanceConfig config, StoreLocation where);
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("screening records always serialise", e);
        }
    }

    /** {@code clearance screening import [--list KIND=PATH]...}. */
    @Command(
            mixinStandardHelpOptions = true,
            name = "import",
            description =
                    "Import list versions (all must import cleanly, or none is activated), make them "
                            + "active and re-screen every principal. Without --list, the lists of the configuration's screening section.")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Options options;

        @Option(
                names = "--list",
                paramLabel = "KIND=PATH",
                description = "ofac-sdn=FOLDER, csl=FILE or bis-dpl=FILE; repeatable.")
        List<String> lists = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return withRegistry(options, true, err, (registry, config, where) -> {
                List<String[]> specs = new ArrayList<>();
                for (String l : lists) {
                    int eq = l.indexOf('=');
                    if (eq <= 0 || eq == l.length() - 1)
                        throw new IllegalArgumentException("--list expects KIND=PATH, got '" + l + "'");
                    specs.add(new String[] {l.substring(0, eq), l.substring(eq + 1)});
                }
                if (specs.isEmpty()) {
                    config.screening()
                            .ifPresent(s -> s.lists()
                                    .forEach(l -> specs.add(
                                            new String[] {l.kind(), l.path().toString()})));
                }
                if (specs.isEmpty())
                    throw new IllegalArgumentException("no lists: give --list KIND=PATH or configure screening.lists");
                List<ListVersion> versions = new ArrayList<>();
                ListImporter importer = new ListImporter(Clock.systemUTC());
                for (String[] s : specs) {
                    try {
                        versions.add(importer.load(ListSource.fromWireName(s[0]), Path.of(s[1])));
                    } catch (ListImportException e) {
                        err.println(e.getMessage());
                        err.println("nothing imported; the active lists are unchanged");
                        return 1;
                    }
                }
                for (ListVersion v : versions) {
                    ScreeningRegistry.Activation a = registry.activate(v, options.actor());
                    out.printf(
                            "%s: %d parties, %s, %s%n",
                            v.source().wireName(),
                            v.parties().size(),
                            v.contentHash(),
                            a.unchanged()
                                    ? "unchanged (already active)"
                                    : "active as list version " + a.listVersionId() + ", " + a.rescreened()
                                            + " principal(s) re-screened");
                    if (!a.unchanged() && a.rescreened() == 0) {
                        // Every stored principal is re-screened on activation: none means the store is empty.
                        err.println("warning: nobody was screened: the store " + where.describe()
                                + " holds no principals. Import them ('clearance principals import FILE'), then run"
                                + " 'clearance screening sync' (a serving gateway screens them within a second); "
                                + StoreLocation.HINT);
                    }
                }
                return 0;
            });
        }
    }

    /** {@code clearance screening sync}. */
    @Command(
            mixinStandardHelpOptions = true,
            name = "sync",
            description =
                    "Screen the principals put, imported or deleted since the last sync (follows the store's change feed).")
    static final class Sync implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Options options;

        @Override
        public Integer call() {
            return withRegistry(options, spec.commandLine().getErr(), (registry, config, where) -> {
                spec.commandLine().getOut().printf("%d principal(s) screened%n", registry.followChanges());
                return 0;
            });
        }
    }

    /** {@code clearance screening show ID}. */
    @Command(
            mixinStandardHelpOptions = true,
            name = "show",
            description = "Print a principal's stored screening result, its matches and reviews, as JSON.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Options options;

        @Parameters(paramLabel = "PRINCIPAL")
        String principal;

        @Override
        public Integer call() {
            return withRegistry(options, spec.commandLine().getErr(), (registry, config, where) -> {
                Optional<PrincipalScreening> r = registry.result(principal);
                if (r.isEmpty()) {
                    spec.commandLine()
                            .getErr()
                            .println("clearance screening: "
                                    + where.notFound("no screening result for principal '" + principal
                                            + "' (not stored, or not screened yet: run 'clearance screening sync')"));
                    return 1;
                }
                record Shown(PrincipalScreening result, List<Review> reviews) {}
                spec.commandLine().getOut().println(json(new Shown(r.get(), registry.reviewsOf(principal))));
                return 0;
            });
        }
    }

    /** {@code clearance screening pending}. */
    @Command(
            mixinStandardHelpOptions = true,
            name = "pending",
            description = "List potential matches waiting for a reviewer, highest score first, as JSON Lines.")
    static final class Pending implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Options options;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            return withRegistry(options, spec.commandLine().getErr(), (registry, config, where) -> {
                for (ScreeningRegistry.PendingMatch p : registry.pending(limit))
                    spec.commandLine().getOut().println(json(p));
                return 0;
            });
        }
    }

    /** {@code clearance screening lists}. */
    @Command(
            mixinStandardHelpOptions = true,
            name = "lists",
            description = "List every imported list version, newest first, as JSON Lines: the import history,"
                    + " with \"active\" true for the version of each source in force.")
    static final class Lists implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Options options;

        @Override
        public Integer call() {
            return withRegistry(options, spec.commandLine().getErr(), (registry, config, where) -> {
                Set<Long> active = new HashSet<>();
                registry.activeLists().forEach(l -> active.add(l.id()));
                for (ScreeningRegistry.StoredList l : registry.imports()) {
                    ObjectNode n = JSON.valueToTree(l);
                    n.put("active", active.contains(l.id()));
                    spec.commandLine().getOut().println(json(n));
                }
                return 0;
            });
        }
    }

    /** {@code clearance screening review ID --list L --entity E --verdict V --reason R}. */
    @Command(
            mixinStandardHelpOptions = true,
            name = "review",
            description = "Record a reviewer's verdict on a potential match, with a reason. It holds until "
                    + "the listed entry or the principal's name or kind changes.")
    static final class ReviewCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Options options;

        @Parameters(paramLabel = "PRINCIPAL")
        String principal;

        @Option(names = "--list", required = true, description = "The list code of the match, e.g. SDN, EL, DPL.")
        String list;

        @Option(names = "--entity", required = true, description = "The listed entry's id.")
        String entity;

        @Option(names = "--verdict", required = true, description = "false_positive or confirmed.")
        String verdict;

        @Option(names = "--reason", required = true, description = "Why: what was checked. Kept on the record.")
        String reason;

        @Override
        public Integer call() {
            return withRegistry(options, spec.commandLine().getErr(), (registry, config, where) -> {
                Review r = registry.review(
                        principal, list, entity, ReviewVerdict.fromWireName(verdict), reason, options.actor());
                spec.commandLine().getOut().println(json(r));
                spec.commandLine().getOut().println(json(registry.screeningOf(principal)));
                return 0;
            });
        }
    }
}
