package dev.clearance.cli.log;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every {@code clearance log} subcommand shares: where the log is, and one way to report failure. */
abstract class LogSubcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LogLocation location;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            int code = run(out);
            out.flush();
            return code;
        } catch (LogCommandException e) {
            out.flush();
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            out.flush();
            spec.commandLine().getErr().println(spec.name() + ": " + e.getMessage());
            return 1;
        }
    }

    abstract int run(PrintWriter out) throws LogCommandException, IOException;

    /** An ISO-8601 instant ({@code 2026-11-26T12:00:00Z}) or a UTC date ({@code 2026-11-26}, its midnight). */
    static Instant time(String option, String text) throws LogCommandException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new LogCommandException(option + " '" + text
                        + "': expected an instant like 2026-11-26T12:00:00Z or a date like 2026-11-26");
            }
        }
    }
}
