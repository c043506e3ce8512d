package dev.clearance.cli.log;

import dev.clearance.log.audit.LogVerifier;
import dev.clearance.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description =
                "Recompute every leaf and the tree from the stored entries, check every checkpoint's "
                        + "signature and the consistency between successive checkpoints. Exit 1 naming the first entry or checkpoint that fails. "
                        + "With --fleet: every node of the configured store, its published checkpoints and, where its log can be read, its log.")
final class LogVerifyCommand extends LogSubcommand {
    @Option(
            names = "--public-key",
            paramLabel = "KEY",
            description = "Verifier key (or a file holding it) to trust instead of the log's own log.pub.")
    String publicKey;

    @Mixin
    FleetLogs fleetLogs;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        if (fleetLogs.fleet) {
            return fleet(out);
        }
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

    private int fleet(PrintWriter out) throws LogCommandException, IOException {
        List<FleetAudit.NodeReport> reports;
        try (Store store = location.store()) {
            reports = FleetAudit.verify(store, fleetLogs.logs);
        }
        if (reports.isEmpty()) {
            throw new LogCommandException("no node has registered in this store: nothing to verify");
        }
        List<String> failed = new ArrayList<>();
        for (FleetAudit.NodeReport r : reports) {
            out.println(r.node() + ": " + (r.ok() ? "ok" : "FAILED"));
            r.verified().forEach(v -> out.println("  ok: " + v));
            r.notes().forEach(n -> out.println("  note: " + n));
            r.failures().forEach(f -> out.println("  FAILED: " + f));
            if (!r.ok()) {
                failed.add(r.node());
            }
        }
        if (!failed.isEmpty()) {
            throw new LogCommandException("fleet verification FAILED for " + String.join(", ", failed));
        }
        out.println("ok: " + reports.size() + " nodes verified");
        return 0;
    }
}
