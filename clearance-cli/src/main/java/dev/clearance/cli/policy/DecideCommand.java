package dev.clearance.cli.policy;

import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.ConfigException;
import dev.clearance.cli.log.LogLocation;
import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.PrincipalFacts;
import dev.clearance.core.Request;
import dev.clearance.log.TransparencyLog;
import dev.clearance.record.DecisionEntry;
import dev.clearance.store.files.DirectiveFiles;
import dev.clearance.store.files.PrincipalFile;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clearance decide}: the decision function over files. Streams the requests: memory is
 * bounded by the principals, not by the number of requests.
 */
@Command(
        name = "decide",
        description = "Decide JSON Lines requests against directives and principals; "
                + "one decision per line on stdout, in input order. Exit 0 even when decisions deny; "
                + "exit 1 with a located error on invalid input.")
public final class DecideCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--directives",
            required = true,
            paramLabel = "PATH",
            description = "Directive file or directory (repeatable).")
    List<Path> directives;

    @Option(names = "--principals", required = true, paramLabel = "FILE", description = "Principals, JSON Lines.")
    Path principals;

    @Option(
            names = "--requests",
            required = true,
            paramLabel = "FILE",
            description =
                    "Requests, JSON Lines: {\"id\",\"principal\",\"model\",\"capabilities\"?,\"time\"?,\"country\"?,\"ip\"?}.")
    Path requests;

    @Option(
            names = "--log",
            description = "Also record every decision in the decision log of the data directory "
                    + "(<dataDir>/log, from --config); a decision is printed only once its entry is durable.")
    boolean log;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Configuration file for --log (default: ./clearance.yaml if present, else data in ./data).")
    Path config;

    /** Decisions printed per durability wait: bounds memory and amortises the log's fsync. */
    private static final int WINDOW = 4096;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Policy policy;
        Map<String, PrincipalFacts> facts = new HashMap<>();
        try {
            policy = Policy.compile(DirectiveFiles.load(directives));
            PrincipalFile.stream(principals, (p, line) -> facts.put(p.id(), PrincipalFacts.of(p)));
        } catch (PolicyException e) {
            e.problems().forEach(err::println);
            return 1;
        } catch (IOException e) {
            err.println(principals + ": cannot read: " + e.getMessage());
            return 1;
        }
        TransparencyLog decisionLog = null;
        String node = "cli";
        if (log) {
            try {
                ClearanceConfig cfg = ClearanceConfig.resolve(config);
                node = cfg.node();
                decisionLog = TransparencyLog.open(cfg.dataDir().resolve("log"), LogLocation.options(cfg));
            } catch (ConfigException e) {
                e.problems().forEach(err::println);
                return 1;
            } catch (IOException | RuntimeException e) {
                err.println("decide --log: cannot open the decision log: " + e.getMessage()
                        + " (a running 'clearance serve' holds its log: use its POST /admin/v1/decide instead)");
                return 1;
            }
        }
        try (TransparencyLog closing = decisionLog) {
            return decideAll(policy, facts, decisionLog, node, err);
        } catch (IOException e) {
            err.println("decide --log: closing the decision log: " + e.getMessage());
            return 1;
        }
    }

    private int decideAll(
            Policy policy,
            Map<String, PrincipalFacts> facts,
            TransparencyLog decisionLog,
            String node,
            PrintWriter err) {
        Instant now = Instant.now();
        String file = requests.toString();
        // A large buffer: decide is used on millions of lines.
        BufferedWriter out = new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
        List<String> pending = new ArrayList<>();
        CompletableFuture<Long> last = null;
        try (BufferedReader r = Files.newBufferedReader(requests, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                Request request;
                try {
                    request = Json.request(text, file, line, () -> now);
                } catch (PolicyException e) {
                    out.flush();
                    e.problems().forEach(err::println);
                    return 1;
                }
                if (request.id().isEmpty()) {
                    request = request.withId(file + ":" + line);
                }
                PrincipalFacts pf = facts.get(request.principal());
                Decision d = DecisionPoint.decide(policy, pf, request);
                if (decisionLog == null) {
                    out.write(Json.decision(d));
                    out.write('\n');
                    continue;
                }
                last = decisionLog.append(DecisionEntry.of(node, request, pf, d).bytes());
                pending.add(Json.decision(d));
                if (pending.size() >= WINDOW) {
                    release(last, pending, out);
                }
            }
            if (last != null) {
                release(last, pending, out);
            }
            out.flush();
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return 1;
        } catch (ExecutionException e) {
            err.println("decide --log: a decision could not be recorded; it and later ones are not printed: "
                    + e.getCause());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        return 0;
    }

    /** The log sequences in order, so once the last append is durable every earlier one is too. */
    private static void release(CompletableFuture<Long> last, List<String> pending, BufferedWriter out)
            throws IOException, ExecutionException, InterruptedException {
        last.get();
        for (String line : pending) {
            out.write(line);
            out.write('\n');
        }
        pending.clear();
    }
}
