package dev.clearance.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Every checkpoint the log has signed, in order, in {@code checkpoints.notes}: each record is the
 * note's length in bytes on a line, then the signed note. Kept whole so {@code verify} can check
 * each signature and the consistency between successive checkpoints.
 */
final class CheckpointStore implements AutoCloseable {
    private final FileChannel file;
    private final List<String> notes = new ArrayList<>();

    CheckpointStore(Path dir, boolean writable) throws IOException {
        Path p = dir.resolve(LogFiles.CHECKPOINTS);
        file = writable
                ? FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(p, StandardOpenOption.READ);
        long whole = parse(Files.readAllBytes(p), notes);
        if (writable) {
            // A torn last record was never acknowledged as signed: cut it.
            file.truncate(whole);
            file.position(whole);
        }
    }

    /** Parses records into {@code out}; returns the length of the whole records. */
    static long parse(byte[] data, List<String> out) {
        int pos = 0;
        while (pos < data.length) {
            int nl = -1;
            for (int i = pos; i < data.length && i < pos + 12; i++) {
                if (data[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl < 0) {
                break;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, pos, nl - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                break;
            }
            if (len <= 0 || nl + 1 + len > data.length) {
                break;
            }
            out.add(new String(data, nl + 1, len, StandardCharsets.UTF_8));
            pos = nl + 1 + len;
        }
        return pos;
    }

    /** Appends and forces one signed note. */
    void append(String note) throws IOException {
        byte[] n = note.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(n.length + 12);
        b.put((n.length + "\n").getBytes(StandardCharsets.US_ASCII)).put(n).flip();
        while (b.hasRemaining()) {
            file.write(b);
        }
        file.force(false);
        synchronized (notes) {
            notes.add(note);
        }
    }

    List<String> all() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }

    String latest() {
        synchronized (notes) {
            return notes.isEmpty() ? null : notes.getLast();
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
