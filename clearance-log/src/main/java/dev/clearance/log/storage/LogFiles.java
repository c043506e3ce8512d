package dev.clearance.log.storage;

import dev.clearance.log.merkle.CompactRange;
import dev.clearance.log.merkle.NodeSource;
import dev.clearance.log.note.NoteKey;
import dev.clearance.log.note.NoteVerifier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of one log directory, and the one way into them: the entries ({@value #ENTRIES}) and
 * their end offsets ({@value #OFFSETS}), the stored hashes of every perfect subtree
 * ({@value #TREE}{@code /NN.hashes}), the signed checkpoints ({@value #CHECKPOINTS}) and the signing
 * keys ({@code log.key}, {@code log.pub}). Only the entries are the log's truth; everything else but
 * the checkpoints and keys is derived from them, and {@link #recover} rebuilds it after any stop.
 *
 * <p>A writable instance belongs to the log's one writer thread, except that readers may read
 * entries and hashes it has published; a read-only one never changes a file.
 */
public final class LogFiles implements NodeSource, AutoCloseable {
    /** The longest entry: tile entry bundles length-prefix entries with 16 bits. */
    public static final int MAX_ENTRY_SIZE = 65_535;

    /** The tree has at most this many levels: level 0 holds leaf hashes. */
    public static final int MAX_LEVELS = 64;

    public static final String ENTRIES = "entries.jsonl";
    public static final String OFFSETS = "offsets.bin";
    public static final String CHECKPOINTS = "checkpoints.notes";
    public static final String TREE = "tree";

    private final Path dir;
    private final EntryStore entries;
    private final TreeStore tree;
    private final CheckpointStore checkpoints;

    private LogFiles(Path dir, boolean writable) throws IOException {
        this.dir = dir;
        CheckpointStore cps = new CheckpointStore(dir, writable);
        EntryStore es = null;
        try {
            es = new EntryStore(dir, writable);
            tree = new TreeStore(dir, writable);
        } catch (IOException | RuntimeException e) {
            cps.close();
            if (es != null) {
                es.close();
            }
            throw e;
        }
        checkpoints = cps;
        entries = es;
    }

    /** Opens (creating where missing) the files of the log in {@code dir} for its one writer; call {@link #recover} next. */
    public static LogFiles openForWriting(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new LogFiles(dir, true);
    }

    /** Opens the files of the log in {@code dir} for reading, without a lock and without changing any of them. */
    public static LogFiles openReadOnly(Path dir) throws IOException {
        if (!Files.exists(dir.resolve(ENTRIES))
                || !Files.exists(dir.resolve(OFFSETS))
                || !Files.exists(dir.resolve(CHECKPOINTS))) {
            throw new IOException(
                    dir + ": no decision log here (expected " + ENTRIES + ", " + OFFSETS + " and " + CHECKPOINTS + ")");
        }
        return new LogFiles(dir, false);
    }

    /** The file of tree level {@code level} in the log in {@code dir}. */
    public static Path treeLevel(Path dir, int level) {
        return dir.resolve(TREE).resolve(String.format("%02d.hashes", level));
    }

    /** The signing key: {@code signerKeyFile}, or {@code <dir>/log.key}, created on first use with owner-only permissions. */
    public static NoteKey loadOrCreateKey(Path dir, String origin, Path signerKeyFile) throws IOException {
        return LogKeys.loadOrCreate(dir, origin, signerKeyFile);
    }

    /** The verifier key stored beside the log ({@code log.pub}), read without touching the secret key. */
    public static NoteVerifier readVerifier(Path dir) throws IOException {
        return LogKeys.readVerifier(dir);
    }

    /** Parses the records of a {@value #CHECKPOINTS} file into {@code out}; returns how many bytes whole records take. */
    public static long parseCheckpoints(byte[] data, List<String> out) {
        return CheckpointStore.parse(data, out);
    }

    /** Reads {@code b.remaining()} bytes from {@code pos}, failing at the end of the file. */
    public static void readFully(FileChannel c, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = c.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + pos);
            }
            pos += n;
        }
    }

    /** The tree as {@link #recover} left it, and the size of the latest signed checkpoint (0 if none). */
    public record Recovered(CompactRange range, long checkpointedSize) {}

    /**
     * Brings the files back to a consistent state whatever stopped the last writer: cuts torn
     * tails, rebuilds the offsets and hashes past the latest checkpoint from the entries, and
     * requires the result to reproduce that checkpoint's signed root.
     */
    public Recovered recover(NoteVerifier verifier) throws IOException {
        return Recovery.recover(dir, verifier, entries, tree, checkpoints);
    }

    /** Whole entries stored. */
    public long entryCount() {
        return entries.size();
    }

    /** Hashes stored (or buffered to be written) at tree {@code level}. */
    public long nodeCount(int level) {
        return tree.count(level);
    }

    public byte[] entry(long index) throws IOException {
        return entries.entry(index);
    }

    /** Entries {@code [from, to)}, without their line feeds. */
    public List<byte[]> entries(long from, long to) throws IOException {
        return entries.entries(from, to);
    }

    @Override
    public byte[] node(int level, long index) throws IOException {
        return tree.node(level, index);
    }

    /** {@code count} consecutive hashes of {@code level} from {@code index}, concatenated. */
    public byte[] nodes(int level, long index, int count) throws IOException {
        return tree.nodes(level, index, count);
    }

    /** Where the next entry starts in {@value #ENTRIES}. */
    public long entriesEnd() {
        return entries.end();
    }

    /** Appends a batch already laid out as lines, with their end offsets; not forced. */
    public void writeEntries(ByteBuffer lines, ByteBuffer ends, int count) throws IOException {
        entries.write(lines, ends, count);
    }

    /** Buffers a completed tree node; nodes of one level must arrive in index order ({@link CompactRange.NodeSink}). */
    public void addNode(int level, long index, byte[] hash) {
        tree.add(level, index, hash);
    }

    /** Writes the buffered tree nodes to their files (not forced). */
    public void writeNodes() throws IOException {
        tree.write();
    }

    /** Makes the entries durable: what acknowledging an append waits for. */
    public void forceEntries() throws IOException {
        entries.forceEntries();
    }

    /** Makes the offsets and tree hashes durable: derivable from the entries, so only needed before a checkpoint is signed. */
    public void forceDerived() throws IOException {
        entries.forceOffsets();
        tree.force();
    }

    /** Appends and forces one signed checkpoint note. */
    public void appendCheckpoint(String note) throws IOException {
        checkpoints.append(note);
    }

    /** The latest signed checkpoint note, or {@code null} before the first. */
    public String latestCheckpoint() {
        return checkpoints.latest();
    }

    @Override
    public void close() throws IOException {
        try (checkpoints;
                tree;
                entries) {
            // closes all three, whichever fails
        }
    }
}
