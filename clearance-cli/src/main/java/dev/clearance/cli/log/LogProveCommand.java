package dev.clearance.cli.log;

import dev.clearance.log.LogView;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "prove",
        mixinStandardHelpOptions = true,
        description = {
            "--index I [--size N]: inclusion proof {\"leafIdx\",\"treeSize\",\"root\",\"leafHash\",\"proof\"} of entry I in the tree of N entries.",
            "--from N1 --to N2: consistency proof {\"size1\",\"size2\",\"root1\",\"root2\",\"proof\"} between tree sizes N1 and N2.",
            "Hashes are base64; N and N2 default to the latest checkpoint's size."
        })
final class LogProveCommand extends LogSubcommand {
    @Option(names = "--index", paramLabel = "I")
    Long index;

    @Option(names = "--size", paramLabel = "N")
    Long size;

    @Option(names = "--from", paramLabel = "N1")
    Long from;

    @Option(names = "--to", paramLabel = "N2")
    Long to;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        if ((index == null) == (from == null) || (index != null && to != null) || (from != null && size != null)) {
            throw new LogCommandException("prove takes either --index I [--size N] or --from N1 [--to N2]");
        }
        try (LogView view = LogView.openReadOnly(location.logDir())) {
            long signed = view.size();
            if (index != null) {
                long n = size == null ? signed : size;
                if (n > signed || index < 0 || index >= n) {
                    throw new LogCommandException("--index " + index + " --size " + n + ": need 0 <= index < size <= "
                            + signed + " (the latest checkpoint's size)");
                }
                out.println(view.inclusionProof(index, n).toJson());
            } else {
                long n2 = to == null ? signed : to;
                if (from <= 0 || from > n2 || n2 > signed) {
                    throw new LogCommandException("--from " + from + " --to " + n2 + ": need 0 < from <= to <= "
                            + signed + " (the latest checkpoint's size)");
                }
                out.println(view.consistencyProof(from, n2).toJson());
            }
            return 0;
        }
    }
}
