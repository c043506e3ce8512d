package dev.clearance.cli.store;

import picocli.CommandLine.Option;

/** {@code --by}: who makes a change, for the record. */
final class Actor {
    @Option(
            names = "--by",
            paramLabel = "WHO",
            description = "Who is making the change, for the record (default: the OS user).")
    String by;

    String name() {
        if (by != null && !by.isBlank()) {
            return by;
        }
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }
}
