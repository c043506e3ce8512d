package dev.clearance.log.storage;

import dev.clearance.log.merkle.CompactRange;
import dev.clearance.log.merkle.ProofBuilder;
import dev.clearance.log.merkle.Rfc6962;
import dev.clearance.log.note.NoteException;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.log.note.SignedCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a log directory back to a consistent state when a writer opens it, whatever stopped the
 * last one: everything up to the latest signed checkpoint is trusted as forced, everything after it
 * is rebuilt from the entries, and the result must reproduce the signed root.
 */
final class Recovery {
    private Recovery() {}

    /** Cuts torn tails, rebuilds derived hashes past the last checkpoint, and checks the result against it. */
    static LogFiles.Recovered recover(
            Path dir, NoteVerifier verifier, EntryStore entries, TreeStore tree, CheckpointStore checkpoints)
            throws IOException {
        Rfc6962 hasher = new Rfc6962();
        SignedCheckpoint last = null;
        String note = checkpoints.latest();
        if (note != null) {
            try {
                last = SignedCheckpoint.open(note, verifier);
            } catch (NoteException e) {
                throw new IOException(dir.resolve(LogFiles.CHECKPOINTS) + ": latest checkpoint does not verify with "
                        + verifier.verifierKey() + ": " + e.getMessage());
            }
        }
        long n = entries.recover(last == null ? 0 : last.size());
        if (last != null && last.size() > n) {
            throw new IOException(dir + ": latest checkpoint covers " + last.size() + " entries but only " + n
                    + " are stored; acknowledged entries are missing. Run 'clearance log verify'.");
        }
        long trusted = last == null ? 0 : last.size();
        // Hashes up to the last checkpoint were forced before it was signed; anything later may be torn.
        tree.truncateTo(trusted);
        boolean complete = true;
        for (int level = 0; level < LogFiles.MAX_LEVELS; level++) {
            complete &= tree.count(level) == trusted >>> level;
        }
        if (!complete) {
            tree.truncateTo(0);
            trusted = 0;
        }
        List<byte[]> compact = new ArrayList<>();
        for (int level = 63; level >= 0; level--) {
            if (((trusted >>> level) & 1) == 1) {
                compact.add(tree.node(level, (trusted >>> level) - 1));
            }
        }
        CompactRange r = new CompactRange(hasher, trusted, compact);
        long chunk = 4096;
        for (long from = trusted; from < n; from += chunk) {
            for (byte[] e : entries.entries(from, Math.min(n, from + chunk))) {
                r.append(hasher.leafHash(e), tree::add);
            }
        }
        tree.write();
        tree.force();
        if (last != null) {
            byte[] root = new ProofBuilder(tree::node).root(last.size());
            if (!MessageDigest.isEqual(root, last.checkpoint().root())) {
                throw new IOException(
                        dir + ": the stored entries do not produce the root of the latest signed checkpoint (size "
                                + last.size()
                                + "); the log was altered. Run 'clearance log verify' to find the first bad entry.");
            }
        }
        return new LogFiles.Recovered(r, last == null ? 0 : last.size());
    }
}
