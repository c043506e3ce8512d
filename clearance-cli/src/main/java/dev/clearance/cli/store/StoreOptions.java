package dev.clearance.cli.store;

import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.ConfigException;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config}, shared by the commands that work on the store. */
final class StoreOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Configuration file (default: ./clearance.yaml if present, else the embedded store in ./data).")
    Path config;

    ClearanceConfig load() {
        return ClearanceConfig.resolve(config);
    }

    Store open() {
        return load().store().open();
    }

    /** Prints a configuration or store failure the way every store command does, and returns the exit code. */
    static int fail(PrintWriter err, RuntimeException e) {
        if (e instanceof ConfigException ce) {
            ce.problems().forEach(err::println);
        } else if (e instanceof StoreException) {
            err.println("clearance: " + e.getMessage());
        } else {
            throw e;
        }
        return 1;
    }
}
