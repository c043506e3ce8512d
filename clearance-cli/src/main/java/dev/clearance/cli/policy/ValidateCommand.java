package dev.clearance.cli.policy;

import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import dev.clearance.store.files.DirectiveFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clearance validate PATH...}: parses and type-checks directives; every error located. */
@Command(
        name = "validate",
        description = "Check directive files (or directories of *.yaml) without loading them. "
                + "Exit 0 when valid; otherwise print every error as file:line:column: message and exit 1.")
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Directive files or directories.")
    List<Path> paths;

    @Override
    public Integer call() {
        List<Problem> problems = new ArrayList<>();
        Policy policy = null;
        try {
            DirectiveParser.Parsed parsed = DirectiveParser.parseCollecting(DirectiveFiles.read(paths));
            problems.addAll(parsed.problems());
            try {
                policy = Policy.compile(parsed.directives());
            } catch (PolicyException e) {
                problems.addAll(e.problems());
            }
        } catch (PolicyException e) {
            problems.addAll(e.problems());
        }
        if (problems.isEmpty()) {
            spec.commandLine()
                    .getOut()
                    .printf(
                            "ok: %d directive(s), policy version %s%n",
                            policy.directives().size(), policy.version());
            return 0;
        }
        problems.sort(Comparator.comparing(Problem::file)
                .thenComparingInt(Problem::line)
                .thenComparingInt(Problem::column));
        for (Problem p : problems) {
            spec.commandLine().getErr().println(p);
        }
        spec.commandLine().getErr().printf("%d error(s)%n", problems.size());
        return 1;
    }
}
