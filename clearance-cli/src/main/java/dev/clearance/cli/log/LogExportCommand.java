package dev.clearance.cli.log;

import dev.clearance.log.LogView;
import dev.clearance.log.audit.EvidenceBundle;
import dev.clearance.record.RecordSearch;
import dev.clearance.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write an evidence bundle: the entries with time in [--from, --to) (optionally only those"
                + " a search selects), their inclusion proofs and the signed checkpoint they lead to. Check it with"
                + " 'clearance log verify-bundle'. With --fleet: one part per node log of the configured store"
                + " readable here, each with its node's checkpoint.")
final class LogExportCommand extends LogSubcommand {
    @Option(names = "--from", required = true, paramLabel = "TIME")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME")
    String to;

    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path outFile;

    @Mixin
    EntryFilters filters;

    @Mixin
    FleetLogs fleetLogs;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        Instant f = time("--from", from);
        Instant t = time("--to", to);
        if (!f.isBefore(t)) {
            throw new LogCommandException("--from " + from + " must be before --to " + to);
        }
        RecordSearch.Criteria c = filters.criteria(f, t);
        if (fleetLogs.fleet) {
            List<String> skipped = new ArrayList<>();
            try (Store store = location.store()) {
                write(FleetBundle.export(store, fleetLogs.logs, c, skipped));
            }
            out.println("wrote " + outFile + " for [" + f + ", " + t + ") from every node log readable here"
                    + (skipped.isEmpty() ? "" : "; not readable here: " + String.join(", ", skipped)));
            return 0;
        }
        Path dir = location.logDir();
        try (LogView view = LogView.openReadOnly(dir)) {
            write(EvidenceBundle.export(
                    view, f, t, c.describe(), RecordSearch.search(view, dir, c, Integer.MAX_VALUE)));
            out.println("wrote " + outFile + " for [" + f + ", " + t + ") at tree size " + view.size());
            return 0;
        }
    }

    private void write(String bundle) throws IOException {
        Path tmp = outFile.resolveSibling(outFile.getFileName() + ".tmp");
        Files.writeString(tmp, bundle);
        Files.move(tmp, outFile, StandardCopyOption.REPLACE_EXISTING);
    }
}
