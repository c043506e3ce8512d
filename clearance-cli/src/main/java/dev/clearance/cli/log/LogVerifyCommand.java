package dev.clearance.cli.log;

import dev.clearance.log.audit.LogVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description =
                "Recompute every leaf and the tree from the stored entries, check every checkpoint's "
                        + "signature and the consistency between successive checkpoints. Exit 1 naming the first entry or checkpoint that fails.")
final class LogVerifyCommand extends LogSubcommand {
    @Option(
            names = "--public-key",
            paramLabel = "KEY",
            description = "Verifier key (or a file holding it) to trust instead of the log's own log.pub.")
    String publicKey;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        Path dir = location.logDir();
        LogVerifier.Result r =
                publicKey == null ? LogVerifier.verify(dir) : LogVerifier.verify(dir, KeyArgument.verifier(publicKey));
        if (!r.ok()) {
            throw new LogCommandException("verification FAILED: " + r.failure());
        }
        out.println("ok: " + r.entries() + " entries, " + r.checkpoints() + " checkpoints verified"
                + (r.unsignedEntries() > 0
                        ? "; " + r.unsignedEntries()
                                + " entries after the latest checkpoint (hashes checked, not yet signed)"
                        : ""));
        if (!r.warning().isEmpty()) {
            out.println("note: " + r.warning());
        }
        return 0;
    }
}
