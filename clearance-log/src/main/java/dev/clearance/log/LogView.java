package dev.clearance.log;

import dev.clearance.log.merkle.ProofBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Reads a decision log: entries, proofs and checkpoints over its first {@link #size()} entries.
 * The writer's view ({@link DecisionLog#view()}) grows as entries become durable; a view opened
 * with {@link #openReadOnly(Path)} is pinned at the latest signed checkpoint, so everything it
 * shows is covered by a signature, and it can run beside a live writer.
 */
public final class LogView implements AutoCloseable {
    private final EntryStore entries;
    private final TreeStore tree;
    private final CheckpointStore checkpoints;
    private final NoteVerifier verifier;
    private final LongSupplier size;
    private final boolean owned;
    /** The latest checkpoint, verified once: /checkpoint is read far more often than it changes. */
    private volatile SignedCheckpoint verifiedLatest;

    LogView(
            EntryStore entries,
            TreeStore tree,
            CheckpointStore checkpoints,
            NoteVerifier verifier,
            LongSupplier size,
            boolean owned) {
        this.entries = entries;
        this.tree = tree;
        this.checkpoints = checkpoints;
        this.verifier = verifier;
        this.size = size;
        this.owned = owned;
    }

    /** Opens the log in {@code dir} for reading only, as of its latest signed checkpoint. Takes no lock. */
    public static LogView openReadOnly(Path dir) throws IOException {
        if (!EntryStore.exists(dir) || !Files.exists(dir.resolve(CheckpointStore.FILE))) {
            throw new IOException(dir + ": no decision log here (expected " + EntryStore.ENTRIES + ", "
                    + EntryStore.OFFSETS + " and " + CheckpointStore.FILE + ")");
        }
        NoteVerifier verifier = LogKeys.readVerifier(dir);
        CheckpointStore cps = new CheckpointStore(dir, false);
        EntryStore es = new EntryStore(dir, false);
        TreeStore ts = new TreeStore(dir, false);
        long pinned = 0;
        String latest = cps.latest();
        if (latest != null) {
            try {
                pinned = SignedCheckpoint.open(latest, verifier).size();
            } catch (NoteException e) {
                throw new IOException(
                        dir.resolve(CheckpointStore.FILE) + ": latest checkpoint does not verify: " + e.getMessage());
            }
        }
        long p = Math.min(pinned, Math.min(es.size(), ts.count(0)));
        return new LogView(es, ts, cps, verifier, () -> p, true);
    }

    public long size() {
        return size.getAsLong();
    }

    public NoteVerifier verifier() {
        return verifier;
    }

    public byte[] entry(long index) throws IOException {
        checkRange(index, index + 1);
        return entries.entry(index);
    }

    /** Entries {@code [from, to)}: exactly the bytes that were hashed. */
    public List<byte[]> entries(long from, long to) throws IOException {
        checkRange(from, to);
        return entries.entries(from, to);
    }

    public byte[] leafHash(long index) throws IOException {
        checkRange(index, index + 1);
        return tree.node(0, index);
    }

    /** The RFC 6962 root of the first {@code treeSize} entries. */
    public byte[] root(long treeSize) throws IOException {
        checkRange(0, treeSize);
        return new ProofBuilder(tree).root(treeSize);
    }

    public InclusionProof inclusionProof(long index, long treeSize) throws IOException {
        checkRange(0, treeSize);
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("entry " + index + " is not in a tree of size " + treeSize);
        }
        ProofBuilder b = new ProofBuilder(tree);
        return new InclusionProof(index, treeSize, b.root(treeSize), tree.node(0, index), b.inclusion(index, treeSize));
    }

    public ConsistencyProof consistencyProof(long size1, long size2) throws IOException {
        checkRange(0, size2);
        if (size1 <= 0 || size1 > size2) {
            throw new IllegalArgumentException(
                    "a consistency proof needs 0 < size1 <= size2, got " + size1 + " and " + size2);
        }
        ProofBuilder b = new ProofBuilder(tree);
        return new ConsistencyProof(size1, size2, b.root(size1), b.root(size2), b.consistency(size1, size2));
    }

    /** The latest signed checkpoint, if one has been signed. */
    public Optional<SignedCheckpoint> latestCheckpoint() {
        String note = checkpoints.latest();
        if (note == null) {
            return Optional.empty();
        }
        SignedCheckpoint cached = verifiedLatest;
        if (cached != null && cached.note().equals(note)) {
            return Optional.of(cached);
        }
        try {
            verifiedLatest = SignedCheckpoint.open(note, verifier);
            return Optional.of(verifiedLatest);
        } catch (NoteException e) {
            throw new IllegalStateException("stored checkpoint does not verify: " + e.getMessage(), e);
        }
    }

    /** {@code count} stored hashes of tree level {@code level} from {@code index}, concatenated. */
    byte[] hashes(int level, long index, int count) throws IOException {
        return tree.nodes(level, index, count);
    }

    private void checkRange(long from, long to) {
        long n = size();
        if (from < 0 || to < from || to > n) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") is outside the log's " + n + " entries");
        }
    }

    @Override
    public void close() throws IOException {
        if (owned) {
            entries.close();
            tree.close();
            checkpoints.close();
        }
    }
}
