package dev.clearance.cli.simulate;

import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.ConfigException;
import dev.clearance.cli.config.StoreLocation;
import dev.clearance.core.Directive;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.log.LogView;
import dev.clearance.record.LoggedRequests;
import dev.clearance.simulate.ImpactReport;
import dev.clearance.simulate.Progress;
import dev.clearance.simulate.ReportHtml;
import dev.clearance.simulate.ReportJson;
import dev.clearance.simulate.ReportText;
import dev.clearance.simulate.Simulation;
import dev.clearance.simulate.Traffic;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import dev.clearance.store.StoredPolicy;
import dev.clearance.store.files.DirectiveFiles;
import dev.clearance.store.files.PrincipalFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clearance simulate}: what a draft directive set would change against a baseline, over the
 * principal population and recorded traffic, before anything is enforced.
 */
@Command(
        name = "simulate",
        description = {
            "Decide every request under the baseline and the draft directives, and every principal against every "
                    + "model at --at, and report what the draft changes: who loses access (by kind, citizenship, "
                    + "organisation; employees), which requests would be newly denied (by model, country, directive, time).",
            "Exit 0 with the report; exit 1 with located errors on invalid input (nothing is reported then)."
        })
public final class SimulateCommand implements Callable<Integer> {
    /** Report formats. */
    public enum Format {
        json,
        text,
        html
    }

    @Spec
    CommandSpec spec;

    @Option(
            names = "--baseline",
            paramLabel = "PATH",
            description =
                    "Directives in force now: a file or directory (repeatable). With --config: default the active stored policy.")
    List<Path> baseline;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Configuration file whose store supplies the baseline (the active policy) and the principals "
                    + "(the stored ones) unless --baseline / --principals are given.")
    Path config;

    @Option(
            names = "--draft",
            required = true,
            paramLabel = "PATH",
            description =
                    "The directive set as it would be: a file or directory (repeatable). With --config and no --baseline, "
                            + "these directives are added to the active stored policy, replacing those with the same id.")
    List<Path> draft;

    @Option(
            names = "--principals",
            paramLabel = "FILE",
            description = "Principals, JSON Lines. With --config: default the stored principals.")
    Path principals;

    @Option(
            names = "--requests",
            paramLabel = "FILE",
            description =
                    "Recorded requests, JSON Lines (the format of 'clearance decide'). Without it only principals are evaluated.")
    Path requests;

    @Option(
            names = "--from",
            paramLabel = "TIME",
            description =
                    "With --config: simulate the traffic recorded in the decision log (as of its latest signed checkpoint) "
                            + "from this RFC 3339 instant (inclusive) ...")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "... to this one (exclusive; default: now).")
    String to;

    @Option(
            names = "--at",
            paramLabel = "TIME",
            description = "RFC 3339 instant the principals are evaluated at (default: now).")
    String at;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "json, text or html (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report here instead of standard output.")
    Path out;

    @Option(names = "--workers", paramLabel = "N", description = "Worker threads (default: one per core).")
    Integer workers;

    @Mixin
    PopulationQuestion question;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Instant when;
        try {
            when = at == null ? Instant.now() : OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeParseException e) {
            err.println("--at: '" + at + "' is not an RFC 3339 timestamp with an offset (e.g. 2026-11-26T12:00:00Z)");
            return 1;
        }
        Instant logFrom = null;
        Instant logTo = null;
        if (from != null || to != null) {
            if (from == null || config == null || requests != null) {
                err.println(
                        "simulate: --from/--to read the decision log of --config; give --from (and --to), and no --requests");
                return 2;
            }
            try {
                logFrom = OffsetDateTime.parse(from).toInstant();
                logTo = to == null ? Instant.now() : OffsetDateTime.parse(to).toInstant();
            } catch (DateTimeParseException e) {
                err.println("--from/--to: '" + e.getParsedString()
                        + "' is not an RFC 3339 timestamp with an offset (e.g. 2026-11-26T00:00:00Z)");
                return 1;
            }
        }
        if (config == null && (baseline == null || principals == null)) {
            err.println("simulate: give --baseline and --principals, or --config to take them from the store");
            return 2;
        }
        Policy base;
        Policy next;
        List<Principal> population = new ArrayList<>();
        try {
            List<Directive> drafted = DirectiveFiles.load(draft);
            // Compiling both policies (CEL type-checking) overlaps reading the principals.
            FutureTask<Policy[]> compiled = null;
            if (baseline != null) {
                compiled = new FutureTask<>(
                        () -> new Policy[] {Policy.compile(DirectiveFiles.load(baseline)), Policy.compile(drafted)});
                Thread.ofPlatform().daemon().name("policies").start(compiled);
            }
            if (principals != null) {
                population.addAll(
                        PrincipalFile.readAll(principals, Runtime.getRuntime().availableProcessors()));
            }
            if (compiled != null) {
                Policy[] both = compiledPolicies(compiled);
                base = both[0];
                next = both[1];
            } else {
                // The store's active policy is the baseline; the draft files amend it (add, or replace by id).
                try (Store store =
                        StoreLocation.of(ClearanceConfig.resolve(config)).openExisting()) {
                    Optional<StoredPolicy> active = StoredPolicy.active(store);
                    base = active.map(StoredPolicy::policy).orElse(Policy.empty());
                    next = Policy.compile(StoredPolicy.withChanges(
                            active.map(StoredPolicy::directives).orElse(List.of()), drafted));
                    if (principals == null) {
                        store.principals().forEach(sp -> population.add(sp.principal()));
                    }
                }
            }
            if (principals == null && baseline != null) {
                try (Store store =
                        StoreLocation.of(ClearanceConfig.resolve(config)).openExisting()) {
                    store.principals().forEach(sp -> population.add(sp.principal()));
                }
            }
        } catch (PolicyException e) {
            e.problems().forEach(err::println);
            return 1;
        } catch (IOException e) {
            err.println(principals + ": cannot read: " + e.getMessage());
            return 1;
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return 1;
        } catch (StoreException e) {
            err.println("clearance: " + e.getMessage());
            return 1;
        }
        if (requests != null && !Files.isReadable(requests)) {
            err.println(requests + ": cannot read: no such readable file");
            return 1;
        }
        Simulation sim;
        try {
            sim = question.applyTo(Simulation.of(base, next).at(when));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
        if (workers != null) {
            if (workers < 1) {
                err.println("--workers: must be at least 1");
                return 1;
            }
            sim = sim.workers(workers);
        }
        if (logFrom == null) {
            return report(
                    sim, population, requests == null ? new Traffic.None() : new Traffic.JsonLinesFile(requests), err);
        }
        Path logDir;
        try {
            logDir = ClearanceConfig.resolve(config).dataDir().resolve("log");
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return 1;
        }
        if (!Files.isDirectory(logDir)) {
            err.println(logDir + ": no decision log here (is --config right?)");
            return 1;
        }
        try (LogView view = LogView.openReadOnly(logDir)) {
            return report(sim, population, new Traffic.Iterated(new LoggedRequests(view, logFrom, logTo)), err);
        } catch (IOException e) {
            err.println(logDir + ": cannot read the decision log: " + e.getMessage());
            return 1;
        }
    }

    /** The policies compiled on their own thread; its PolicyException as if thrown here. */
    private static Policy[] compiledPolicies(FutureTask<Policy[]> task) throws PolicyException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling the directives", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PolicyException p) {
                throw p;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Scopes written as globs name no model by themselves: without traffic or --models the population
     * is evaluated against nothing, which must not read as "nobody loses access".
     */
    public static void warnIfNoModels(ImpactReport report, PrintWriter err) {
        if (report.models().isEmpty() && report.principals().total() > 0) {
            err.println(
                    "warning: principals were evaluated against no model: the scopes name models only by glob and no "
                            + "traffic matched them; give --models M,... (or --requests) to see who loses access");
            err.flush();
        }
    }

    private int report(Simulation sim, List<Principal> population, Traffic traffic, PrintWriter err) {
        Progress progress = ProgressBar.forTerminal();
        ImpactReport report;
        try {
            report = sim.progress(progress).run(population, traffic);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            err.println("clearance: " + e.getMessage());
            return 1;
        } catch (PolicyException e) {
            e.problems().forEach(err::println);
            return 1;
        } catch (IOException e) {
            err.println(requests + ": cannot read: " + e.getMessage());
            return 1;
        } finally {
            if (progress instanceof ProgressBar bar) {
                bar.close();
            }
        }
        warnIfNoModels(report, err);
        String text = switch (format) {
            case json -> ReportJson.write(report);
            case text -> ReportText.write(report);
            case html -> ReportHtml.write(report);
        };
        if (out == null) {
            PrintWriter o = spec.commandLine().getOut();
            o.print(text);
            o.flush();
        } else {
            try {
                Files.writeString(out, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println(out + ": cannot write: " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }
}
