package dev.clearance.record;

import dev.clearance.core.Request;
import dev.clearance.log.LogView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The requests recorded in the decision log between two instants, read back in log order, a batch
 * of entries at a time. Policy-change and screening-review entries are skipped; an entry that is not a
 * well-formed decision fails the run (the log is the evidence: a simulation must not silently skip part of it).
 * What {@code clearance simulate --from/--to} and the console's impact page replay.
 */
public final class LoggedRequests implements Iterable<Request> {
    private static final int BATCH = 4096;

    private final LogView view;
    private final Instant from;
    private final Instant to;

    /** Decisions with {@code from <= time < to}. */
    public LoggedRequests(LogView view, Instant from, Instant to) {
        this.view = view;
        this.from = from;
        this.to = to;
    }

    @Override
    public Iterator<Request> iterator() {
        long size = view.size();
        return new Iterator<>() {
            long next;
            final List<Request> buffer = new ArrayList<>();
            int at;

            @Override
            public boolean hasNext() {
                while (at == buffer.size()) {
                    if (next >= size) {
                        return false;
                    }
                    fill();
                }
                return true;
            }

            @Override
            public Request next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return buffer.get(at++);
            }

            private void fill() {
                buffer.clear();
                at = 0;
                long end = Math.min(size, next + BATCH);
                List<byte[]> entries;
                try {
                    entries = view.entries(next, end);
                } catch (IOException e) {
                    throw new UncheckedIOException("decision log: cannot read entries " + next + ".." + (end - 1), e);
                }
                for (int k = 0; k < entries.size(); k++) {
                    Request r = request(next + k, entries.get(k));
                    if (r != null && !r.time().isBefore(from) && r.time().isBefore(to)) {
                        buffer.add(r);
                    }
                }
                next = end;
            }
        };
    }

    /** The request of a decision entry; {@code null} for any other kind of entry. */
    static Request request(long index, byte[] entry) {
        try {
            return DecisionEntry.readRequest(entry).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("decision log entry " + index + ": " + e.getMessage(), e);
        }
    }
}
