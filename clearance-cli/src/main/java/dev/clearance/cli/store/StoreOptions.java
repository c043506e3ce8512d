package dev.clearance.cli.store;

import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.ConfigException;
import dev.clearance.cli.config.StoreLocation;
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

    private StoreLocation location;

    ClearanceConfig load() {
        return ClearanceConfig.resolve(config);
    }

    /** Where the store is; read once per command. */
    StoreLocation location() {
        if (location == null) {
            location = StoreLocation.of(load());
        }
        return location;
    }

    /** The store, which must exist: reading never creates one. */
    Store open() {
        return location().openExisting();
    }

    /** The store, created when there is none yet: for the commands that add the first data. */
    Store openOrCreate() {
        return location().openOrCreate();
    }

    /** Prints that the store holds no {@code what}, naming the store, and returns the exit code. */
    int notFound(PrintWriter err, String what) {
        err.println(location().notFound(what));
        return 1;
    }

    /** Prints a configuration or store failure the way every store command does, and returns the exit code. */
    int fail(PrintWriter err, RuntimeException e) {
        if (e instanceof ConfigException ce) {
            ce.problems().forEach(err::println);
        } else if (e instanceof StoreException.NotFound) {
            err.println("clearance: " + location().notFound(e.getMessage()));
        } else if (e instanceof StoreException) {
            err.println("clearance: " + e.getMessage());
        } else {
            throw e;
        }
        return 1;
    }
}
