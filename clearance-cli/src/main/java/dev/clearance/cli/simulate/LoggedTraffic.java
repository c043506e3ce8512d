package dev.clearance.cli.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import dev.clearance.core.Request;
import dev.clearance.log.LogView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The requests recorded in the decision log between two instants, read back in log order, a batch
 * of entries at a time. Policy-change entries are skipped; an entry that is not a well-formed
 * decision fails the run (the log is the evidence: a simulation must not silently skip part of it).
 */
final class LoggedTraffic implements Iterable<Request> {
    private static final int BATCH = 4096;

    private final LogView view;
    private final Instant from;
    private final Instant to;

    /** Decisions with {@code from <= time < to}. */
    LoggedTraffic(LogView view, Instant from, Instant to) {
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

    /** The request of a decision entry; {@code null} for a policy-change entry. */
    static Request request(long index, byte[] entry) {
        try {
            JsonNode n = Json.mapper().readTree(entry);
            if (n.has("change")) {
                return null;
            }
            JsonNode req = n.get("request");
            if (!n.path("id").isTextual()
                    || !n.path("time").isTextual()
                    || !n.path("principal").isTextual()
                    || req == null
                    || !req.path("model").isTextual()) {
                throw new IllegalStateException(
                        "decision log entry " + index + " is neither a decision nor a policy change");
            }
            List<String> caps = new ArrayList<>();
            for (JsonNode c : req.path("capabilities")) {
                caps.add(c.asText());
            }
            return new Request(
                    n.get("id").asText(),
                    n.get("principal").asText(),
                    req.get("model").asText(),
                    caps,
                    Instant.parse(n.get("time").asText()),
                    req.path("country").asText(""),
                    req.path("ip").asText(""),
                    req.path("endpoint").asText(""));
        } catch (IOException | DateTimeParseException e) {
            throw new IllegalStateException("decision log entry " + index + " cannot be read: " + e.getMessage(), e);
        }
    }
}
