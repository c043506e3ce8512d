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
        description = "Print entries [from, to), one per line: exactly the bytes that were hashed.")
final class LogEntriesCommand extends LogSubcommand {
    @Option(names = "--from", paramLabel = "N", description = "First entry (default 0).")
    long from;

    @Option(names = "--to", paramLabel = "M", description = "End, exclusive (default: the latest checkpoint's size).")
    Long to;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        try (LogView view = LogView.openReadOnly(location.logDir())) {
            long end = to == null ? view.size() : to;
            if (from < 0 || end < from || end > view.size()) {
                throw new LogCommandException(
                        "--from " + from + " --to " + end + ": the signed log has entries [0, " + view.size() + ")");
            }
            for (long i = from; i < end; i += 4096) {
                for (byte[] e : view.entries(i, Math.min(end, i + 4096))) {
                    out.write(new String(e, StandardCharsets.UTF_8));
                    out.write('\n');
                }
            }
            return 0;
        }
    }
}
