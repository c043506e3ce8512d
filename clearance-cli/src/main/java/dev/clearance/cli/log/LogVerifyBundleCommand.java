package dev.clearance.cli.log;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import dev.clearance.log.audit.EvidenceBundle;
import dev.clearance.log.merkle.ProofException;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.record.RecordSummarizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "verify-bundle",
        mixinStandardHelpOptions = true,
        description = "Verify an evidence bundle offline with nothing but the bundle and the log's verifier key"
                + " (a bundle from several nodes: each node's key, --public-key once per node).")
final class LogVerifyBundleCommand extends LogSubcommand {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(
            names = "--public-key",
            required = true,
            paramLabel = "KEY",
            description = "Verifier key, or a file holding it; repeat it for a bundle from several nodes.")
    List<String> publicKeys;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        String bundle;
        try {
            bundle = Files.readString(file);
        } catch (IOException e) {
            throw new LogCommandException(file + ": cannot read: " + e.getMessage());
        }
        List<NoteVerifier> keys = new ArrayList<>();
        for (String k : publicKeys) {
            keys.add(KeyArgument.verifier(k));
        }
        try {
            JsonNode parsed = parse(bundle);
            if (FleetBundle.isFleet(parsed)) {
                for (FleetBundle.Verified v : FleetBundle.verify(parsed, keys)) {
                    out.println("ok: " + v.node() + ": " + describe(v.bundle()));
                }
                return 0;
            }
            out.println("ok: " + describe(verifyWithAny(bundle, keys)));
            return 0;
        } catch (ProofException e) {
            throw new LogCommandException(file + ": verification FAILED: " + e.getMessage());
        }
    }

    private static JsonNode parse(String bundle) throws ProofException {
        try {
            return Json.mapper().readTree(bundle);
        } catch (IOException e) {
            throw new ProofException("bundle is not JSON: " + e.getMessage());
        }
    }

    private static EvidenceBundle.Verified verifyWithAny(String bundle, List<NoteVerifier> keys) throws ProofException {
        ProofException last = null;
        for (NoteVerifier key : keys) {
            try {
                return EvidenceBundle.verify(bundle, key, RecordSummarizer.INSTANCE);
            } catch (ProofException e) {
                last = e;
            }
        }
        throw last;
    }

    private static String describe(EvidenceBundle.Verified v) {
        return v.entries() + " entries in [" + v.from() + ", " + v.to() + ") are in the log "
                + v.checkpoint().origin() + " at signed tree size "
                + v.checkpoint().size();
    }
}
