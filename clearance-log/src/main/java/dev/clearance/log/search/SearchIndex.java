package dev.clearance.log.search;

import dev.clearance.log.LogView;
import dev.clearance.log.merkle.Rfc6962;
import dev.clearance.log.storage.LogFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A search index beside the log ({@code search.idx}): one fixed 32-byte record per entry with its
 * time and 64-bit keys of up to three field values, as a {@link Summarizer} reads them. A search
 * scans these records (a fraction of the entries' bytes, no parsing) and reads only the entries
 * that match, confirming each against the entry itself, so a stale or altered index can only
 * miss, never invent. The index is derived: it catches up with the log on every search and can be
 * deleted. Its first record names its format and its fields; an index written in another format
 * or for other fields is rebuilt.
 */
public final class SearchIndex {
    /** The most fields an index keeps per entry. */
    public static final int MAX_FIELDS = 3;

    static final String FILE = "search.idx";
    private static final int RECORD = 8 + 8 * MAX_FIELDS;
    private static final byte[] FORMAT = "clearance-idx/2\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 4096;

    /**
     * What to find: entries with {@code from <= time < to} (a {@code null} bound is open) whose
     * fields equal every value in {@code fields}, keyed by field name.
     */
    public record Query(Instant from, Instant to, Map<String, String> fields) {
        public Query {
            fields = Map.copyOf(fields);
        }

        /** Every entry with a time in {@code [from, to)}. */
        public static Query between(Instant from, Instant to) {
            return new Query(from, to, Map.of());
        }

        boolean matches(Summary s, List<String> names) {
            if ((from != null && s.time().isBefore(from))
                    || (to != null && !s.time().isBefore(to))) {
                return false;
            }
            for (var f : fields.entrySet()) {
                if (!f.getValue().equals(s.values().get(names.indexOf(f.getKey())))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** An entry found, with its index in the log. */
    public record Hit(long index, byte[] entry) {}

    private final Path file;
    private final Summarizer summarizer;
    private final List<String> fields;
    private final byte[] header;

    /** The index of the log in {@code logDir}, over the fields {@code summarizer} reads. */
    public SearchIndex(Path logDir, Summarizer summarizer) {
        this.file = logDir.resolve(FILE);
        this.summarizer = Objects.requireNonNull(summarizer, "summarizer");
        this.fields = List.copyOf(summarizer.fields());
        if (fields.size() > MAX_FIELDS) {
            throw new IllegalArgumentException(
                    "a search index keeps at most " + MAX_FIELDS + " fields, not " + fields.size() + ": " + fields);
        }
        header = ByteBuffer.allocate(RECORD)
                .put(FORMAT)
                .put(Arrays.copyOf(
                        Rfc6962.sha256().digest(String.join("\n", fields).getBytes(StandardCharsets.UTF_8)),
                        RECORD - FORMAT.length))
                .array();
    }

    /** Indexes every entry of {@code view} not yet indexed; returns the number of indexed entries. */
    public long catchUp(LogView view) throws IOException {
        try (FileChannel c = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock ignored = c.lock()) {
            if (!hasOurHeader(c)) {
                c.truncate(0);
                write(c, ByteBuffer.wrap(header), 0);
            }
            long have = c.size() / RECORD - 1;
            long target = view.size();
            if (have > target) {
                return target; // a view pinned at an older checkpoint; the extra records are for later entries
            }
            c.truncate((have + 1) * RECORD); // drop a torn record
            ByteBuffer out = ByteBuffer.allocate(CHUNK * RECORD);
            for (long from = have; from < target; from += CHUNK) {
                out.clear();
                for (byte[] e : view.entries(from, Math.min(target, from + CHUNK))) {
                    Summary s = summarizer.summarize(e);
                    out.putLong(s.time().toEpochMilli());
                    for (int i = 0; i < MAX_FIELDS; i++) {
                        out.putLong(i < s.values().size() ? key(s.values().get(i)) : 0);
                    }
                }
                write(c, out.flip(), (from + 1) * RECORD);
            }
            return target;
        }
    }

    /** Entries matching {@code q}, oldest first, at most {@code limit} of them. */
    public List<Hit> search(LogView view, Query q, int limit) throws IOException {
        long[] keys = new long[MAX_FIELDS];
        boolean[] asked = new boolean[MAX_FIELDS];
        for (var f : q.fields().entrySet()) {
            int slot = fields.indexOf(f.getKey());
            if (slot < 0) {
                throw new IllegalArgumentException(
                        "the search index has no field '" + f.getKey() + "'; it has " + String.join(", ", fields));
            }
            keys[slot] = key(f.getValue());
            asked[slot] = true;
        }
        long n = Math.min(catchUp(view), view.size());
        long fromMs = q.from() == null ? Long.MIN_VALUE : q.from().toEpochMilli();
        long toMs = q.to() == null ? Long.MAX_VALUE : q.to().toEpochMilli();
        List<Hit> hits = new ArrayList<>();
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer in = ByteBuffer.allocate(2 * CHUNK * RECORD);
            for (long from = 0; from < n && hits.size() < limit; from += 2 * CHUNK) {
                int count = (int) Math.min(2 * CHUNK, n - from);
                in.clear().limit(count * RECORD);
                LogFiles.readFully(c, in, (from + 1) * RECORD);
                for (int i = 0; i < count && hits.size() < limit; i++) {
                    int at = i * RECORD;
                    long t = in.getLong(at);
                    // millisecond keys can only widen the candidates; the entry itself decides below
                    if (t < fromMs || t > toMs || !keysMatch(in, at + 8, keys, asked)) {
                        continue;
                    }
                    byte[] entry = view.entry(from + i);
                    if (q.matches(summarizer.summarize(entry), fields)) {
                        hits.add(new Hit(from + i, entry));
                    }
                }
            }
        }
        return hits;
    }

    private static boolean keysMatch(ByteBuffer in, int at, long[] keys, boolean[] asked) {
        for (int i = 0; i < MAX_FIELDS; i++) {
            if (asked[i] && in.getLong(at + 8 * i) != keys[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean hasOurHeader(FileChannel c) throws IOException {
        if (c.size() < RECORD) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        LogFiles.readFully(c, b, 0);
        return Arrays.equals(b.array(), header);
    }

    private static void write(FileChannel c, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += c.write(b, pos);
        }
    }

    private static long key(String s) {
        return ByteBuffer.wrap(Rfc6962.sha256().digest(s.getBytes(StandardCharsets.UTF_8)))
                .getLong();
    }
}
