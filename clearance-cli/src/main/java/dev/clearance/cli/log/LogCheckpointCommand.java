package dev.clearance.cli.log;

import dev.clearance.log.LogView;
import dev.clearance.log.note.SignedCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(
        name = "checkpoint",
        mixinStandardHelpOptions = true,
        description = "Print the latest signed checkpoint (a C2SP signed note).")
final class LogCheckpointCommand extends LogSubcommand {
    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        try (LogView view = LogView.openReadOnly(location.logDir())) {
            SignedCheckpoint cp = view.latestCheckpoint()
                    .orElseThrow(() -> new LogCommandException("the log has no signed checkpoint yet"));
            out.print(cp.note());
            return 0;
        }
    }
}
