package dev.clearance.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code clearance ...} in-process and captures what it prints. */
public record CliRun(int exitCode, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
