package dev.clearance.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reads server-sent events one at a time, as they arrive, failing when one does not arrive in time. */
final class SseReader implements AutoCloseable {
    private final InputStream in;
    private final BufferedReader reader;

    SseReader(InputStream in) {
        this.in = in;
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event's lines joined by newlines, or null at the end of the stream. */
    String next(Duration timeout) throws Exception {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(
                this::read, r -> Thread.ofVirtual().start(r));
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no event arrived within " + timeout);
        }
    }

    private String read() {
        try {
            StringBuilder event = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (event.length() > 0) {
                        return event.toString();
                    }
                    continue;
                }
                if (event.length() > 0) {
                    event.append('\n');
                }
                event.append(line);
            }
            return event.length() > 0 ? event.toString() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
