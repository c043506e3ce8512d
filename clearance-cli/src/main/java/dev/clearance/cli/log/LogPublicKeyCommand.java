package dev.clearance.cli.log;

import dev.clearance.log.LogView;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(
        name = "public-key",
        mixinStandardHelpOptions = true,
        description = "Print the verifier key: name+keyhash+base64(0x01 || Ed25519 public key).")
final class LogPublicKeyCommand extends LogSubcommand {
    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        try (LogView view = LogView.openReadOnly(location.logDir())) {
            out.println(view.verifier().verifierKey());
            return 0;
        }
    }
}
