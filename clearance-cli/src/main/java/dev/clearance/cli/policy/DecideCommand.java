package dev.clearance.cli.policy;

import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.PrincipalFacts;
import dev.clearance.core.Request;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clearance decide}: the decision function over files. Streams the requests: memory is
 * bounded by the principals, not by the number of requests.
 */
@Command(name = "decide", description = "Decide JSON Lines requests against directives and principals; "
        + "one decision per line on stdout, in input order. Exit 0 even when decisions deny; "
        + "exit 1 with a located error on invalid input.")
public final class DecideCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--directives", required = true, paramLabel = "PATH", description = "Directive file or directory (repeatable).")
    List<Path> directives;

    @Option(names = "--principals", required = true, paramLabel = "FILE", description = "Principals, JSON Lines.")
    Path principals;

    @Option(names = "--requests", required = true, paramLabel = "FILE",
            description = "Requests, JSON Lines: {\"id\",\"principal\",\"model\",\"capabilities\"?,\"time\"?,\"country\"?,\"ip\"?}.")
    Path requests;

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
        Instant now = Instant.now();
        String file = requests.toString();
        // A large buffer: decide is used on millions of lines.
        BufferedWriter out = new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
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
                Decision d = DecisionPoint.decide(policy, facts.get(request.principal()), request);
                out.write(Json.decision(d));
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
