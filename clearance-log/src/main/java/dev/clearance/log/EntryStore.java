package dev.clearance.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries themselves: {@code entries.jsonl} holds each entry followed by a line feed, and
 * {@code offsets.bin} the end offset of each line (8 bytes, big-endian), so entry {@code i} is
 * found with one read. These two files are the log's truth; both are forced before an append
 * is acknowledged.
 */
final class EntryStore implements AutoCloseable {
    static final String ENTRIES = "entries.jsonl";
    static final String OFFSETS = "offsets.bin";

    private final FileChannel entries;
    private final FileChannel offsets;
    private long size;
    private long end;

    EntryStore(Path dir, boolean writable) throws IOException {
        if (writable) {
            entries = FileChannel.open(dir.resolve(ENTRIES), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            offsets = FileChannel.open(dir.resolve(OFFSETS), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } else {
            entries = FileChannel.open(dir.resolve(ENTRIES), StandardOpenOption.READ);
            offsets = FileChannel.open(dir.resolve(OFFSETS), StandardOpenOption.READ);
        }
        size = offsets.size() / 8;
        end = size == 0 ? 0 : endOffset(size - 1);
    }

    static boolean exists(Path dir) {
        return Files.exists(dir.resolve(ENTRIES)) && Files.exists(dir.resolve(OFFSETS));
    }

    long size() {
        return size;
    }

    /**
     * Finds the longest prefix of entries that is whole (every offset inside the data file and
     * pointing just past a line feed) and cuts both files to it. A torn tail can only hold
     * entries that were never acknowledged, because acknowledgement waits for both files.
     */
    long recover() throws IOException {
        long n = offsets.size() / 8;
        long dataSize = entries.size();
        while (n > 0) {
            long e = endOffset(n - 1);
            if (e <= dataSize && e > 0 && byteAt(e - 1) == '\n') {
                break;
            }
            n--;
        }
        truncate(n);
        return n;
    }

    /** Drops every entry from {@code n} on. */
    void truncate(long n) throws IOException {
        size = n;
        end = n == 0 ? 0 : endOffset(n - 1);
        offsets.truncate(n * 8);
        entries.truncate(end);
        offsets.position(n * 8);
        entries.position(end);
    }

    private byte byteAt(long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        TreeStore.readFully(entries, b, pos);
        return b.get(0);
    }

    long endOffset(long index) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8);
        TreeStore.readFully(offsets, b, index * 8);
        return b.getLong(0);
    }

    private long startOffset(long index) throws IOException {
        return index == 0 ? 0 : endOffset(index - 1);
    }

    /** Appends a batch already laid out as lines, with their end offsets; not forced. */
    void write(ByteBuffer lines, ByteBuffer ends, int count) throws IOException {
        while (lines.hasRemaining()) {
            entries.write(lines);
        }
        while (ends.hasRemaining()) {
            offsets.write(ends);
        }
        size += count;
        end = entries.position();
    }

    long end() {
        return end;
    }

    void force() throws IOException {
        entries.force(false);
        offsets.force(false);
    }

    byte[] entry(long index) throws IOException {
        return entries(index, index + 1).getFirst();
    }

    /** Entries {@code [from, to)}, without their line feeds. */
    List<byte[]> entries(long from, long to) throws IOException {
        if (from < 0 || to < from || to > size) {
            throw new IndexOutOfBoundsException("entries [" + from + ", " + to + ") are outside a log of " + size);
        }
        int count = Math.toIntExact(to - from);
        List<byte[]> out = new ArrayList<>(count);
        if (count == 0) {
            return out;
        }
        ByteBuffer ends = ByteBuffer.allocate(count * 8);
        TreeStore.readFully(offsets, ends, from * 8);
        long start = startOffset(from);
        long last = ends.getLong((count - 1) * 8);
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(last - start));
        TreeStore.readFully(entries, data, start);
        byte[] all = data.array();
        long s = start;
        for (int i = 0; i < count; i++) {
            long e = ends.getLong(i * 8);
            out.add(java.util.Arrays.copyOfRange(all, (int) (s - start), (int) (e - 1 - start)));
            s = e;
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        entries.close();
        offsets.close();
    }
}
