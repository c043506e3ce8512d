package dev.clearance.cli;

import picocli.CommandLine;

/** Entry point of the {@code clearance} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line without exiting the JVM; tests call this. */
    public static int run(String... args) {
        return ClearanceCommand.commandLine().execute(args);
    }
}
