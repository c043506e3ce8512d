package dev.clearance.log.storage;

import dev.clearance.log.merkle.Rfc6962;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The stored hashes of every perfect subtree, one append-only file per level ({@code tree/NN.hashes},
 * 32 bytes per node, in index order; level 0 holds the leaf hashes). Proofs and tiles read
 * from here, so they never re-read entries. Everything here is derivable from the entries,
 * which is why it is forced only before a checkpoint is signed, not on every batch.
 */
final class TreeStore implements AutoCloseable {
    private final Path logDir;
    private final boolean writable;
    // Opened lazily by whichever thread first needs a level; shared with readers and the checkpointer.
    private final AtomicReferenceArray<FileChannel> channels = new AtomicReferenceArray<>(LogFiles.MAX_LEVELS);
    private final long[] counts = new long[LogFiles.MAX_LEVELS];
    private final ByteBuffer[] pending = new ByteBuffer[LogFiles.MAX_LEVELS];

    TreeStore(Path dir, boolean writable) throws IOException {
        this.logDir = dir;
        this.writable = writable;
        if (writable) {
            Files.createDirectories(dir.resolve(LogFiles.TREE));
        }
        for (int level = 0; level < LogFiles.MAX_LEVELS; level++) {
            Path f = file(level);
            if (Files.exists(f)) {
                counts[level] = Files.size(f) / Rfc6962.HASH_SIZE;
            }
        }
    }

    private Path file(int level) {
        return LogFiles.treeLevel(logDir, level);
    }

    private FileChannel channel(int level) throws IOException {
        FileChannel c = channels.get(level);
        if (c == null) {
            c = writable
                    ? FileChannel.open(
                            file(level), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(file(level), StandardOpenOption.READ);
            if (!channels.compareAndSet(level, null, c)) {
                c.close();
                c = channels.get(level);
            }
        }
        return c;
    }

    /** Hashes stored at {@code level}, including ones buffered but not yet written. */
    long count(int level) {
        return counts[level];
    }

    /** Cuts every level to the nodes of a tree of {@code size} leaves, dropping anything beyond. */
    void truncateTo(long size) throws IOException {
        for (int level = 0; level < LogFiles.MAX_LEVELS; level++) {
            long keep = size >>> level;
            if (counts[level] > keep) {
                channel(level).truncate(keep * Rfc6962.HASH_SIZE);
                counts[level] = keep;
            } else if (Files.exists(file(level)) && Files.size(file(level)) != counts[level] * Rfc6962.HASH_SIZE) {
                channel(level).truncate(counts[level] * Rfc6962.HASH_SIZE); // drop a torn partial hash
            }
        }
    }

    /** Buffers a completed node; nodes of one level must arrive in index order. */
    void add(int level, long index, byte[] hash) {
        if (index != counts[level]) {
            throw new IllegalStateException("level " + level + " expects node " + counts[level] + ", got " + index);
        }
        ByteBuffer b = pending[level];
        if (b == null || b.remaining() < Rfc6962.HASH_SIZE) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(4096, b == null ? 0 : b.capacity() * 2));
            if (b != null) {
                bigger.put(b.flip());
            }
            pending[level] = b = bigger;
        }
        b.put(hash);
        counts[level]++;
    }

    /** Writes buffered nodes to their files (not forced). */
    void write() throws IOException {
        for (int level = 0; level < LogFiles.MAX_LEVELS; level++) {
            ByteBuffer b = pending[level];
            if (b != null && b.position() > 0) {
                b.flip();
                FileChannel c = channel(level);
                long pos = (counts[level] * Rfc6962.HASH_SIZE) - b.remaining();
                while (b.hasRemaining()) {
                    pos += c.write(b, pos);
                }
                b.clear();
            }
        }
    }

    void force() throws IOException {
        for (int level = 0; level < LogFiles.MAX_LEVELS; level++) {
            FileChannel c = channels.get(level);
            if (c != null) {
                c.force(false);
            }
        }
    }

    byte[] node(int level, long index) throws IOException {
        if (level < 0 || level >= LogFiles.MAX_LEVELS || index < 0 || index >= counts[level]) {
            throw new IOException("no stored hash at level " + level + " index " + index);
        }
        byte[] h = new byte[Rfc6962.HASH_SIZE];
        LogFiles.readFully(channel(level), ByteBuffer.wrap(h), index * Rfc6962.HASH_SIZE);
        return h;
    }

    /** {@code count} consecutive hashes of {@code level} from {@code index}, concatenated (tiles read this). */
    byte[] nodes(int level, long index, int count) throws IOException {
        if (index < 0 || count < 0 || index + count > counts[level]) {
            throw new IOException("level " + level + " has " + counts[level] + " hashes, not " + (index + count));
        }
        byte[] b = new byte[count * Rfc6962.HASH_SIZE];
        LogFiles.readFully(channel(level), ByteBuffer.wrap(b), index * Rfc6962.HASH_SIZE);
        return b;
    }

    @Override
    public void close() throws IOException {
        for (int level = 0; level < LogFiles.MAX_LEVELS; level++) {
            FileChannel c = channels.getAndSet(level, null);
            if (c != null) {
                c.close();
            }
        }
    }
}
