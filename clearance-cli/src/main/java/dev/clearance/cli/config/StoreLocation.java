package dev.clearance.cli.config;

import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The store a command works on, as its configuration names it, and how to say so. A command that
 * reads or changes what is stored opens it with {@link #openExisting()}, which never creates an
 * embedded store as a side effect; only the commands that add the first data
 * ({@code principals import}, {@code directives load}, {@code lifecycle propose}, {@code screening import})
 * use {@link #openOrCreate()}. Every "not found" names the store it read and how to point at another.
 */
public final class StoreLocation {
    private static final String SQLITE = "jdbc:sqlite:";
    /** How to point a command at another store; the same option on every store command. */
    public static final String HINT = "point at another store with --config FILE";

    private final ClearanceConfig config;

    private StoreLocation(ClearanceConfig config) {
        this.config = config;
    }

    public static StoreLocation of(ClearanceConfig config) {
        return new StoreLocation(config);
    }

    /** Opens (and migrates) the store, creating an embedded one where there is none yet. */
    public Store openOrCreate() {
        return config.store().open();
    }

    /**
     * Opens the store only if it exists: a missing embedded store is an error naming the file and
     * the configuration that named it, and nothing is created.
     *
     * @throws StoreException when the embedded store's file does not exist, or the store cannot be opened
     */
    public Store openExisting() {
        Optional<Path> file = sqliteFile();
        if (file.isPresent() && !Files.isRegularFile(file.get())) {
            throw new StoreException("no store at " + file.get() + " (" + origin() + "); nothing was created: " + HINT
                    + ", or create this one by importing principals or loading directives");
        }
        return config.store().open();
    }

    /** The store's URL (password hidden) and which configuration named it. */
    public String describe() {
        return config.store().redactedUrl() + " (" + origin() + ")";
    }

    /** "{@code what} in the store ... ; point at another ..." for a thing the store does not hold. */
    public String notFound(String what) {
        return what + " in the store " + describe() + "; " + HINT;
    }

    private String origin() {
        return config.file()
                .map(f -> "configured in " + f)
                .orElse("the embedded default: no --config given and no ./" + ClearanceConfig.DEFAULT_FILE + " in "
                        + Path.of("").toAbsolutePath());
    }

    private Optional<Path> sqliteFile() {
        String url = config.store().url();
        return url.startsWith(SQLITE) ? Optional.of(Path.of(url.substring(SQLITE.length()))) : Optional.empty();
    }
}
