package dev.clearance.log;

import dev.clearance.log.merkle.ConsistencyProof;
import dev.clearance.log.merkle.InclusionProof;
import dev.clearance.log.merkle.ProofBuilder;
import dev.clearance.log.note.NoteException;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.log.note.SignedCheckpoint;
import dev.clearance.log.storage.LogFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Reads a log: entries, proofs and checkpoints over its first {@link #size()} entries.
 * The writer's view ({@link TransparencyLog#view()}) grows as entries become durable; a view opened
 * with {@link #openReadOnly(Path)} is pinned at the latest signed checkpoint, so everything it
 * shows is covered by a signature, and it can run beside a live writer.
 */
public final class LogView implements AutoCloseable {
    private final LogFiles files;
    private final NoteVerifier verifier;
    private final LongSupplier size;
    private final boolean owned;
    /** The latest checkpoint, verified once: /checkpoint is read far more often than it changes. */
    private volatile SignedCheckpoint verifiedLatest;

    LogView(LogFiles files, NoteVerifier verifier, LongSupplier size, boolean owned) {
        this.files = files;
        this.verifier = verifier;
        this.size = size;
        this.owned = owned;
    }

    /** Opens the log in {@code dir} for reading only, as of its latest signed checkpoint. Takes no lock. */
    public static LogView openReadOnly(Path dir) throws IOException {
        LogFiles files = LogFiles.openReadOnly(dir);
        try {
            NoteVerifier verifier = LogFiles.readVerifier(dir);
            long pinned = 0;
            String latest = files.latestCheckpoint();
            if (latest != null) {
                try {
                    pinned = SignedCheckpoint.open(latest, verifier).size();
                } catch (NoteException e) {
                    throw new IOException(dir.resolve(LogFiles.CHECKPOINTS) + ": latest checkpoint does not verify: "
                            + e.getMessage());
                }
            }
            long p = Math.min(pinned, Math.min(files.entryCount(), files.nodeCount(0)));
            return new LogView(files, verifier, () -> p, true);
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    public long size() {
        return size.getAsLong();
    }

    public NoteVerifier verifier() {
        return verifier;
    }

    public byte[] entry(long index) throws IOException {
        checkRange(index, index + 1);
        return files.entry(index);
    }

    /** Entries {@code [from, to)}: exactly the bytes that were hashed. */
    public List<byte[]> entries(long from, long to) throws IOException {
        checkRange(from, to);
        return files.entries(from, to);
    }

    public byte[] leafHash(long index) throws IOException {
        checkRange(index, index + 1);
        return files.node(0, index);
    }

    /** The RFC 6962 root of the first {@code treeSize} entries. */
    public byte[] root(long treeSize) throws IOException {
        checkRange(0, treeSize);
        return new ProofBuilder(files).root(treeSize);
    }

    public InclusionProof inclusionProof(long index, long treeSize) throws IOException {
        checkRange(0, treeSize);
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("entry " + index + " is not in a tree of size " + treeSize);
        }
        ProofBuilder b = new ProofBuilder(files);
        return new InclusionProof(
                index, treeSize, b.root(treeSize), files.node(0, index), b.inclusion(index, treeSize));
    }

    public ConsistencyProof consistencyProof(long size1, long size2) throws IOException {
        checkRange(0, size2);
        if (size1 <= 0 || size1 > size2) {
            throw new IllegalArgumentException(
                    "a consistency proof needs 0 < size1 <= size2, got " + size1 + " and " + size2);
        }
        ProofBuilder b = new ProofBuilder(files);
        return new ConsistencyProof(size1, size2, b.root(size1), b.root(size2), b.consistency(size1, size2));
    }

    /** The latest signed checkpoint, if one has been signed. */
    public Optional<SignedCheckpoint> latestCheckpoint() {
        String note = files.latestCheckpoint();
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

    /** {@code count} stored hashes of tree level {@code level} from {@code index}, concatenated (what hash tiles serve). */
    public byte[] hashes(int level, long index, int count) throws IOException {
        long n = size();
        if (level < 0 || level >= LogFiles.MAX_LEVELS || index < 0 || count < 0 || index + count > n >>> level) {
            throw new IndexOutOfBoundsException("hashes [" + index + ", " + (index + count) + ") of level " + level
                    + " are outside the tree of the log's " + n + " entries");
        }
        return files.nodes(level, index, count);
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
            files.close();
        }
    }
}
