package dev.clearance.cli.simulate;

import dev.clearance.simulate.Simulation;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What the population pass of an impact run asks ({@code --models}, {@code --capabilities}) and how
 * many principals its report names ({@code --limit}): one set of options for {@code simulate} and
 * {@code directives diff}.
 */
public final class PopulationQuestion {
    @Option(
            names = "--models",
            split = ",",
            paramLabel = "M",
            description =
                    "Models to evaluate every principal against (default: every model named in either policy's scopes, "
                            + "and the models in the traffic that their globs match).")
    List<String> models;

    @Option(
            names = "--capabilities",
            split = ",",
            paramLabel = "C",
            description = "Capabilities each principal's requests ask for (default: none, the model as a whole).")
    List<String> capabilities;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "25",
            description = "How many principals the report names in each list: losing access, gaining access, "
                    + "without access under the new policy (default: ${DEFAULT-VALUE}).")
    int limit;

    /**
     * {@code simulation} asking these questions.
     *
     * @throws IllegalArgumentException when {@code --limit} is negative
     */
    public Simulation applyTo(Simulation simulation) {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit: must be at least 0");
        }
        return simulation
                .models(models)
                .capabilities(capabilities == null ? List.of() : capabilities)
                .names(limit);
    }
}
