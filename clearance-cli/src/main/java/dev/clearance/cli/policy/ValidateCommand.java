package dev.clearance.cli.policy;

import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import dev.clearance.store.files.DirectiveFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clearance validate PATH...}: parses and type-checks directives; every error located. */
@Command(name = "validate", description = "Check directive files (or directories of *.yaml) without loading them. "
        + "Exit 0 when valid; otherwise print every error as file:line:column: message and exit 1.")
public final class ValidateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Directive files or directories.")
    List<Path> paths;

    @Override
    public Integer call() {
        try {
            Policy policy = Policy.compile(DirectiveFiles.load(paths));
            spec.commandLine().getOut().printf("ok: %d directive(s), policy version %s%n", policy.directives().size(), policy.version());
            return 0;
        } catch (PolicyException e) {
            for (Problem p : e.problems()) {
                spec.commandLine().getErr().println(p);
            }
            spec.commandLine().getErr().printf("%d error(s)%n", e.problems().size());
            return 1;
        }
    }
}
