package dev.clearance.gateway;

import dev.clearance.core.ContentClassification;
import dev.clearance.core.Decision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Stands between the event framing and a restricted caller's connection while an answer streams: the
 * text of each event is fed to the classifier's {@link ContentClassifier.AnswerMonitor}, and events
 * are held until a check has read their text, so no text reaches the caller unclassified. When a
 * check finds a capability the caller may not have, {@link Cut} is thrown and the held events are
 * dropped; the relay then ends the stream with the live cut's error event.
 *
 * <p>{@link SseFraming} writes only whole events and flushes after each batch, so each flush hands
 * over complete events; they are read here line by line as the SSE specification reads them. Events
 * without text (role announcements, tool-call deltas, the final {@code [DONE]}) are released at once
 * when nothing is waiting, and otherwise first trigger a check of the text before them. Not thread-safe:
 * the relay writes under its lock.
 */
final class AnswerGuard extends OutputStream {
    /** Whether the answer, as classified so far, must stop: the denial, or empty. */
    @FunctionalInterface
    interface Verdict {
        Optional<Decision> of(ContentClassification answer);
    }

    /** The answer must stop: {@code decision} is the recorded denial. */
    static final class Cut extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Decision decision;

        Cut(Decision decision) {
            super("answer cut by decision " + decision.id(), null);
            this.decision = decision;
        }

        Decision decision() {
            return decision;
        }
    }

    private final OutputStream out;
    private final ContentClassifier.AnswerMonitor monitor;
    private final Verdict verdict;
    private final GatewayMetrics metrics;
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream();
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private final StringBuilder data = new StringBuilder();
    private boolean unchecked;

    AnswerGuard(OutputStream out, ContentClassifier.AnswerMonitor monitor, Verdict verdict, GatewayMetrics metrics) {
        this.out = out;
        this.monitor = monitor;
        this.verdict = verdict;
        this.metrics = metrics;
    }

    @Override
    public void write(int b) {
        batch.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        batch.write(b, off, len);
    }

    /** Reads the complete events written since the last flush; releases those whose text has been checked. */
    @Override
    public void flush() throws IOException {
        byte[] b = batch.toByteArray();
        batch.reset();
        int eventStart = 0;
        int i = 0;
        while (i < b.length) {
            int lineEnd = i;
            while (lineEnd < b.length && b[lineEnd] != '\n' && b[lineEnd] != '\r') {
                lineEnd++;
            }
            int next = lineEnd;
            if (next < b.length) {
                next += b[next] == '\r' && next + 1 < b.length && b[next + 1] == '\n' ? 2 : 1;
            }
            if (lineEnd == i) {
                if (next > i) { // a blank line ends the event
                    event(b, eventStart, next);
                    eventStart = next;
                }
            } else {
                field(b, i, lineEnd);
            }
            i = next;
        }
        if (eventStart < b.length) { // the upstream's unterminated last event (written at the end)
            event(b, eventStart, b.length);
        }
    }

    /**
     * The stream has ended: whatever text is still unchecked is checked before its events are released.
     *
     * @throws Cut when that text must not reach the caller
     */
    void end() throws IOException {
        flush();
        if (unchecked) {
            judge(timed(monitor::finish));
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void field(byte[] b, int from, int to) {
        String line = new String(b, from, to - from, StandardCharsets.UTF_8);
        if (line.startsWith("data:")) {
            if (!data.isEmpty()) {
                data.append('\n');
            }
            data.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
        }
    }

    private void event(byte[] b, int from, int to) throws IOException {
        held.write(b, from, to - from);
        String text = data.isEmpty() ? "" : AnswerText.ofEvent(data.toString());
        data.setLength(0);
        if (!text.isEmpty()) {
            unchecked = true;
            judge(timed(() -> monitor.feed(text)));
        } else if (unchecked) {
            judge(timed(monitor::finish)); // the answer pauses or ends: read what came before first
        } else {
            release();
        }
    }

    private Optional<ContentClassification> timed(java.util.function.Supplier<Optional<ContentClassification>> check) {
        long start = System.nanoTime();
        Optional<ContentClassification> c = check.get();
        if (c.isPresent()) {
            metrics.classification(
                    ContentClassification.Read.ANSWER, java.time.Duration.ofNanos(System.nanoTime() - start));
        }
        return c;
    }

    private void judge(Optional<ContentClassification> check) throws IOException {
        if (check.isEmpty()) {
            return;
        }
        unchecked = false;
        Optional<Decision> denial = verdict.of(check.get());
        if (denial.isPresent()) {
            held.reset();
            throw new Cut(denial.get());
        }
        release();
    }

    private void release() throws IOException {
        if (held.size() > 0) {
            held.writeTo(out);
            held.reset();
            out.flush();
        }
    }
}
