package dev.clearance.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code clearance} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line without exiting the JVM. */
    public static int run(String... args) {
        return ClearanceCommand.commandLine(args.length == 0 ? null : args[0]).execute(args);
    }

    /** Runs the command line with its output and errors captured; tests call this. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = ClearanceCommand.commandLine(args.length == 0 ? null : args[0]);
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
