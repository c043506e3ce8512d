package dev.clearance.cli.log;

import dev.clearance.log.LogView;
import dev.clearance.log.audit.EvidenceBundle;
import dev.clearance.log.search.SearchIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write an evidence bundle: the entries with time in [--from, --to), their inclusion "
                + "proofs and the signed checkpoint they lead to. Check it with 'clearance log verify-bundle'.")
final class LogExportCommand extends LogSubcommand {
    @Option(names = "--from", required = true, paramLabel = "TIME")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME")
    String to;

    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path outFile;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        Instant f = time("--from", from);
        Instant t = time("--to", to);
        if (!f.isBefore(t)) {
            throw new LogCommandException("--from " + from + " must be before --to " + to);
        }
        Path dir = location.logDir();
        try (LogView view = LogView.openReadOnly(dir)) {
            String bundle = EvidenceBundle.export(view, new SearchIndex(dir, RecordSummarizer.INSTANCE), f, t);
            Path tmp = outFile.resolveSibling(outFile.getFileName() + ".tmp");
            Files.writeString(tmp, bundle);
            Files.move(tmp, outFile, StandardCopyOption.REPLACE_EXISTING);
            out.println("wrote " + outFile + " for [" + f + ", " + t + ") at tree size " + view.size());
            return 0;
        }
    }
}
