package dev.clearance.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A search index beside the log ({@code search.idx}): one fixed 32-byte record per entry with its
 * time, 64-bit keys of its principal and model, and its outcome. A search scans these records
 * (a tenth of the entries' bytes, no JSON parsing) and reads only the entries that match,
 * confirming each against the entry itself, so a stale or altered index can only miss, never
 * invent. The index is derived: it catches up with the log on every search and can be deleted.
 */
public final class SearchIndex {
    static final String FILE = "search.idx";
    private static final int RECORD = 32;
    private static final byte ALLOW = 0;
    private static final byte DENY = 1;
    private static final byte POLICY = 2;
    private static final byte OTHER = 3;

    /** What to find; a {@code null} field matches everything. {@code from} is inclusive, {@code to} exclusive. */
    public record Query(String principal, String model, Instant from, Instant to, String outcome) {
        boolean matches(EntrySummary s) {
            return (principal == null || principal.equals(s.principal()))
                    && (model == null || model.equals(s.model()))
                    && (from == null || !s.time().isBefore(from))
                    && (to == null || s.time().isBefore(to))
                    && (outcome == null || outcome.equals(s.outcome()));
        }
    }

    /** An entry found, with its index in the log. */
    public record Hit(long index, byte[] entry) {}

    private final Path file;

    public SearchIndex(Path logDir) {
        this.file = logDir.resolve(FILE);
    }

    /** Indexes every entry of {@code view} not yet indexed; returns the number of indexed entries. */
    public long catchUp(LogView view) throws IOException {
        try (FileChannel c = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock ignored = c.lock()) {
            long have = c.size() / RECORD;
            long target = view.size();
            if (have > target) {
                return target; // a view pinned at an older checkpoint; the extra records are for later entries
            }
            c.truncate(have * RECORD); // drop a torn record
            ByteBuffer out = ByteBuffer.allocate(4096 * RECORD);
            for (long from = have; from < target; from += 4096) {
                out.clear();
                for (byte[] e : view.entries(from, Math.min(target, from + 4096))) {
                    EntrySummary s = EntrySummary.of(e);
                    out.putLong(s.time().toEpochMilli())
                            .putLong(key(s.principal()))
                            .putLong(key(s.model()))
                            .put(code(s.outcome()))
                            .put(new byte[7]);
                }
                out.flip();
                long pos = from * RECORD;
                while (out.hasRemaining()) {
                    pos += c.write(out, pos);
                }
            }
            return target;
        }
    }

    /** Entries matching {@code q}, oldest first, at most {@code limit} of them. */
    public List<Hit> search(LogView view, Query q, int limit) throws IOException {
        long n = Math.min(catchUp(view), view.size());
        long principalKey = q.principal() == null ? 0 : key(q.principal());
        long modelKey = q.model() == null ? 0 : key(q.model());
        long fromMs = q.from() == null ? Long.MIN_VALUE : q.from().toEpochMilli();
        long toMs = q.to() == null ? Long.MAX_VALUE : q.to().toEpochMilli();
        List<Hit> hits = new ArrayList<>();
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer in = ByteBuffer.allocate(8192 * RECORD);
            for (long from = 0; from < n && hits.size() < limit; from += 8192) {
                int count = (int) Math.min(8192, n - from);
                in.clear().limit(count * RECORD);
                TreeStore.readFully(c, in, from * RECORD);
                for (int i = 0; i < count && hits.size() < limit; i++) {
                    int at = i * RECORD;
                    long t = in.getLong(at);
                    // millisecond keys can only widen the candidates; the entry itself decides below
                    if (t < fromMs
                            || t > toMs
                            || (q.principal() != null && in.getLong(at + 8) != principalKey)
                            || (q.model() != null && in.getLong(at + 16) != modelKey)
                            || (q.outcome() != null && in.get(at + 24) != code(q.outcome()))) {
                        continue;
                    }
                    byte[] entry = view.entry(from + i);
                    if (q.matches(EntrySummary.of(entry))) {
                        hits.add(new Hit(from + i, entry));
                    }
                }
            }
        }
        return hits;
    }

    private static byte code(String outcome) {
        return switch (outcome) {
            case "allow" -> ALLOW;
            case "deny" -> DENY;
            case "policy" -> POLICY;
            default -> OTHER;
        };
    }

    private static long key(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
