package dev.clearance.cli.log;

import dev.clearance.log.audit.EvidenceBundle;
import dev.clearance.log.merkle.ProofException;
import dev.clearance.record.RecordSummarizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "verify-bundle",
        mixinStandardHelpOptions = true,
        description = "Verify an evidence bundle offline with nothing but the bundle and the log's verifier key.")
final class LogVerifyBundleCommand extends LogSubcommand {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(
            names = "--public-key",
            required = true,
            paramLabel = "KEY",
            description = "Verifier key, or a file holding it.")
    String publicKey;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        String bundle;
        try {
            bundle = Files.readString(file);
        } catch (IOException e) {
            throw new LogCommandException(file + ": cannot read: " + e.getMessage());
        }
        try {
            EvidenceBundle.Verified v =
                    EvidenceBundle.verify(bundle, KeyArgument.verifier(publicKey), RecordSummarizer.INSTANCE);
            out.println("ok: " + v.entries() + " entries in [" + v.from() + ", " + v.to() + ") are in the log "
                    + v.checkpoint().origin() + " at signed tree size "
                    + v.checkpoint().size());
            return 0;
        } catch (ProofException e) {
            throw new LogCommandException(file + ": verification FAILED: " + e.getMessage());
        }
    }
}
