package dev.clearance.cli.log;

import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.ConfigException;
import dev.clearance.log.LogOptions;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the log lives: {@code <dataDir>/log}, the data directory taken from the configuration, or
 * from {@code --data-dir} to read a copy of a data directory (an auditor's) without a configuration.
 */
public final class LogLocation {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Configuration file (default: ./clearance.yaml if present, else data in ./data); the log is <dataDir>/log.")
    Path config;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory to use instead of the configuration's; the log is DIR/log.")
    Path dataDir;

    /** The decision log's options from the configuration's {@code log:} section (origin, signing key, group commit wait). */
    public static LogOptions options(ClearanceConfig config) {
        LogOptions options = LogOptions.defaults();
        if (config.log().isPresent()) {
            ClearanceConfig.LogSettings l = config.log().get();
            if (l.origin().isPresent()) {
                options = options.withOrigin(l.origin().get());
            }
            if (l.signingKey().isPresent()) {
                options = options.withSignerKeyFile(l.signingKey().get());
            }
            options = options.withGroupCommitWait(l.groupCommitWait());
        }
        return options;
    }

    /** The configured store (for {@code --fleet}), or an exception whose message says what is wrong. */
    Store store() throws LogCommandException {
        try {
            return ClearanceConfig.resolve(config).store().open();
        } catch (ConfigException e) {
            throw new LogCommandException(String.join("\n", e.problems()));
        } catch (StoreException e) {
            throw new LogCommandException("the store: " + e.getMessage());
        }
    }

    /** The log directory, or an exception whose message says what is missing. */
    Path logDir() throws LogCommandException {
        Path data;
        if (dataDir != null) {
            data = dataDir;
        } else {
            try {
                data = ClearanceConfig.resolve(config).dataDir();
            } catch (ConfigException e) {
                throw new LogCommandException(String.join("\n", e.problems()));
            }
        }
        Path dir = data.resolve("log");
        if (!Files.isDirectory(dir)) {
            throw new LogCommandException(
                    dir + ": no decision log here (is the data directory right? pass --config FILE or --data-dir DIR)");
        }
        return dir;
    }
}
