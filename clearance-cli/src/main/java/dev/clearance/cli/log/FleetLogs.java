package dev.clearance.cli.log;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --fleet} and {@code --log NODE=DIR}, shared by the log commands that span a fleet: every
 * node of the configured store, each node's log read from the directory it published or from a
 * copy given here.
 */
final class FleetLogs {
    @Option(
            names = "--fleet",
            description = "Every node of the configured store: each node log readable here (the directory the node"
                    + " published, or --log), and for verify also what each node published in the store.")
    boolean fleet;

    @Option(
            names = "--log",
            paramLabel = "NODE=DIR",
            description = "With --fleet: read NODE's log from DIR (e.g. a copy) instead of its published directory.")
    Map<String, Path> logs = new LinkedHashMap<>();
}
