package dev.clearance.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

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

    /** {@code values} as a canonical JSON array. */
    static String array(List<String> values) {
        CanonicalJson j = new CanonicalJson();
        return j.run(() -> {
                    j.g.writeStartArray();
                    for (String v : values) {
                        j.g.writeString(v);
                    }
                    j.g.writeEndArray();
                })
                .toString();
    }

    /** {@code values} as a canonical JSON object, in key order. */
    static String object(SortedMap<String, String> values) {
        CanonicalJson j = new CanonicalJson().begin();
        values.forEach(j::string);
        return j.end().toString();
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

    /** Writes the fields of {@code values} in their iteration order into the object being written. */
    CanonicalJson strings(Map<String, String> values) {
        values.forEach(this::string);
        return this;
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
