package dev.clearance.cli.log;

import dev.clearance.log.LogView;
import dev.clearance.log.audit.EvidenceBundle;
import dev.clearance.record.RecordSearch;
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
        description = "Write an evidence bundle: the entries with time in [--from, --to) (optionally only those"
                + " a search selects), their inclusion proofs and the signed checkpoint they lead to. Check it with"
                + " 'clearance log verify-bundle'.")
final class LogExportCommand extends LogSubcommand {
    @Option(names = "--from", required = true, paramLabel = "TIME")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME")
    String to;

    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path outFile;

    @Option(
            names = "--principal",
            paramLabel = "ID",
            description = "Only entries of this principal (or by this person).")
    String principal;

    @Option(names = "--model", paramLabel = "M", description = "Only decisions on this model.")
    String model;

    @Option(names = "--decision", paramLabel = "OUTCOME", description = "Only allow, deny or policy entries.")
    String decision;

    @Option(names = "--directive", paramLabel = "ID", description = "Only entries naming this directive.")
    String directive;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        Instant f = time("--from", from);
        Instant t = time("--to", to);
        if (!f.isBefore(t)) {
            throw new LogCommandException("--from " + from + " must be before --to " + to);
        }
        Path dir = location.logDir();
        try (LogView view = LogView.openReadOnly(dir)) {
            RecordSearch.Criteria c = new RecordSearch.Criteria(f, t, principal, model, decision, directive);
            String bundle = EvidenceBundle.export(
                    view, f, t, c.describe(), RecordSearch.search(view, dir, c, Integer.MAX_VALUE));
            Path tmp = outFile.resolveSibling(outFile.getFileName() + ".tmp");
            Files.writeString(tmp, bundle);
            Files.move(tmp, outFile, StandardCopyOption.REPLACE_EXISTING);
            out.println("wrote " + outFile + " for [" + f + ", " + t + ") at tree size " + view.size());
            return 0;
        }
    }
}
