package dev.clearance.cli.log;

import dev.clearance.log.LogView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "entries",
        mixinStandardHelpOptions = true,
        description = "Print entries [from, to), one per line: exactly the bytes that were hashed. A range past the"
                + " end of the signed log prints what exists and says on stderr that it was clipped.")
final class LogEntriesCommand extends LogSubcommand {
    @Option(names = "--from", paramLabel = "N", description = "First entry (default 0).")
    long from;

    @Option(names = "--to", paramLabel = "M", description = "End, exclusive (default: the latest checkpoint's size).")
    Long to;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        try (LogView view = LogView.openReadOnly(location.logDir())) {
            long size = view.size();
            long end = to == null ? size : to;
            if (from < 0 || end < from) {
                throw new LogCommandException("--from " + from + " --to " + end
                        + ": not a range (from must be at least 0 and at most to); the signed log has entries [0, "
                        + size + ")");
            }
            // Asking past the end is how a reader looks at "the first ten": print what there is, and say so.
            long stop = Math.min(end, size);
            long start = Math.min(from, stop);
            if (end > size) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                "clipped: --from %d --to %d asks past the end; the signed log has entries [0, %d),"
                                        + " printed [%d, %d)%n",
                                from, end, size, start, stop);
            }
            print(view, start, stop, out);
            return 0;
        }
    }

    private static void print(LogView view, long from, long end, PrintWriter out) throws IOException {
        for (long i = from; i < end; i += 4096) {
            for (byte[] e : view.entries(i, Math.min(end, i + 4096))) {
                out.write(new String(e, StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
    }
}
