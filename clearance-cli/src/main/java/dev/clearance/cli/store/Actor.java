package dev.clearance.cli.store;

import picocli.CommandLine.Option;

/**
 * {@code --by}: who makes a change, for the record. The one mixin every command that changes the
 * store takes (directives, principals, keys, lifecycle steps, screening).
 */
public final class Actor {
    @Option(
            names = "--by",
            paramLabel = "WHO",
            description = "Who is making the change, for the record (default: the OS user).")
    String by;

    /** The name given with {@code --by}, else the OS user, else {@code unknown}. */
    public String name() {
        if (by != null && !by.isBlank()) {
            return by;
        }
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }
}
