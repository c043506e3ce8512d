package dev.clearance.cli.log;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the log lives: {@code <data dir>/log}, the data dir named by the configuration or {@code --data-dir}. */
public final class LogLocation {
    @Option(names = "--config", paramLabel = "FILE", description = "clearance.yaml; the log is <dataDir>/log.")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory; the log is DIR/log.")
    Path dataDir;

    /** The log directory, or an exception whose message says what is missing. */
    Path logDir() throws LogCommandException {
        Path data;
        if (dataDir != null) {
            data = dataDir;
        } else if (config != null) {
            // The configuration loader lands separately; until then the data directory is given directly.
            throw new LogCommandException("--config " + config + ": reading the configuration is not available in this build yet;"
                    + " pass --data-dir DIR");
        } else {
            throw new LogCommandException("say where the log is: --config FILE or --data-dir DIR");
        }
        Path dir = data.resolve("log");
        if (!Files.isDirectory(dir)) {
            throw new LogCommandException(dir + ": no decision log here");
        }
        return dir;
    }
}
