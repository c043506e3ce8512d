package dev.clearance.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes one-line JSON with fields in the order the caller writes them and no whitespace, so the
 * same entry always has the same bytes. Strings are escaped by Jackson; non-ASCII stays UTF-8.
 */
final class CanonicalJson implements AutoCloseable {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final StringWriter out = new StringWriter(512);
    private final JsonGenerator g;

    CanonicalJson() {
        try {
            g = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CanonicalJson begin() {
        return run(g::writeStartObject);
    }

    CanonicalJson end() {
        return run(g::writeEndObject);
    }

    CanonicalJson string(String field, String value) {
        return run(() -> g.writeStringField(field, value));
    }

    CanonicalJson number(String field, long value) {
        return run(() -> g.writeNumberField(field, value));
    }

    CanonicalJson bool(String field, boolean value) {
        return run(() -> g.writeBooleanField(field, value));
    }

    CanonicalJson nullField(String field) {
        return run(() -> g.writeNullField(field));
    }

    CanonicalJson strings(String field, List<String> values) {
        return run(() -> {
            g.writeArrayFieldStart(field);
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        });
    }

    CanonicalJson object(String field) {
        return run(() -> g.writeObjectFieldStart(field));
    }

    @Override
    public String toString() {
        close();
        return out.toString();
    }

    @Override
    public void close() {
        try {
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    private CanonicalJson run(Step s) {
        try {
            s.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
