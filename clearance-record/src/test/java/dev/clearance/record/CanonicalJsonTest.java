package dev.clearance.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The log's bytes must not change with the writer: {@link CanonicalJson} writes exactly what Jackson's
 * default generator wrote for the same calls (entries written before the change hash the same).
 */
class CanonicalJsonTest {
    private static final JsonFactory JACKSON = new JsonFactory();

    @Test
    void every_character_is_written_as_jackson_writes_it() throws IOException {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String s = "a" + c + "b";
            assertThat(new CanonicalJson().begin().string(s, s).end().toString())
                    .as("U+%04X", (int) c)
                    .isEqualTo(jackson(g -> {
                        g.writeStartObject();
                        g.writeStringField(s, s);
                        g.writeEndObject();
                    }));
        }
    }

    @Property(tries = 300)
    void an_entry_shaped_document_is_written_as_jackson_writes_it(
            @ForAll String text,
            @ForAll List<String> list,
            @ForAll Map<String, String> map,
            @ForAll long number,
            @ForAll double decimal,
            @ForAll boolean flag)
            throws IOException {
        String ours = new CanonicalJson()
                .begin()
                .string("id", text)
                .nullField("facts")
                .object("request")
                .string("model", text)
                .strings("capabilities", list)
                .end()
                .number("n", number)
                .decimal("score", decimal)
                .bool("flag", flag)
                .array("found")
                .item()
                .string("part", text)
                .end()
                .item()
                .number("start", number)
                .end()
                .endArray()
                .object("attributes")
                .strings(new TreeMap<>(map))
                .end()
                .strings("empty", List.of())
                .end()
                .toString();
        String theirs = jackson(g -> {
            g.writeStartObject();
            g.writeStringField("id", text);
            g.writeNullField("facts");
            g.writeObjectFieldStart("request");
            g.writeStringField("model", text);
            g.writeArrayFieldStart("capabilities");
            for (String v : list) {
                g.writeString(v);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeNumberField("n", number);
            g.writeNumberField("score", decimal);
            g.writeBooleanField("flag", flag);
            g.writeArrayFieldStart("found");
            g.writeStartObject();
            g.writeStringField("part", text);
            g.writeEndObject();
            g.writeStartObject();
            g.writeNumberField("start", number);
            g.writeEndObject();
            g.writeEndArray();
            g.writeObjectFieldStart("attributes");
            for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("empty");
            g.writeEndArray();
            g.writeEndObject();
        });
        assertThat(ours).isEqualTo(theirs);
        assertThat(ours.getBytes(StandardCharsets.UTF_8)).isEqualTo(theirs.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void numbers_nulls_and_the_standalone_forms_are_written_as_jackson_writes_them() throws IOException {
        List<Double> decimals = new ArrayList<>(
                List.of(0.0, -0.0, 1.0, 0.1, 0.8512, 1e-7, 1e21, 123456789.125, Double.MIN_VALUE, Double.MAX_VALUE));
        decimals.addAll(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        for (double d : decimals) {
            assertThat(new CanonicalJson().begin().decimal("d", d).end().toString())
                    .isEqualTo(jackson(g -> {
                        g.writeStartObject();
                        g.writeNumberField("d", d);
                        g.writeEndObject();
                    }));
        }
        List<String> withNull = new ArrayList<>();
        withNull.add("x");
        withNull.add(null);
        assertThat(new CanonicalJson()
                        .begin()
                        .string("s", null)
                        .strings("l", withNull)
                        .number("min", Long.MIN_VALUE)
                        .end()
                        .toString())
                .isEqualTo(jackson(g -> {
                    g.writeStartObject();
                    g.writeStringField("s", null);
                    g.writeArrayFieldStart("l");
                    g.writeString("x");
                    g.writeString((String) null);
                    g.writeEndArray();
                    g.writeNumberField("min", Long.MIN_VALUE);
                    g.writeEndObject();
                }));
        assertThat(CanonicalJson.array(List.of("a\"b", "\u0001"))).isEqualTo(jackson(g -> {
            g.writeStartArray();
            g.writeString("a\"b");
            g.writeString("\u0001");
            g.writeEndArray();
        }));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("k\n", "v\\");
        assertThat(CanonicalJson.object(new TreeMap<>(m))).isEqualTo("{\"k\\n\":\"v\\\\\"}");
        assertThat(CanonicalJson.array(List.of())).isEqualTo("[]");
    }

    private interface Writes {
        void to(JsonGenerator g) throws IOException;
    }

    private static String jackson(Writes w) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JACKSON.createGenerator(out)) {
            w.to(g);
        }
        return out.toString();
    }

    @Property(tries = 5000)
    void an_instant_is_written_as_its_to_string(
            @ForAll @LongRange(min = -62_135_596_800L, max = 300_000_000_000L) long seconds,
            @ForAll("nanos") int nano) {
        Instant t = Instant.ofEpochSecond(seconds, nano);
        assertThat(new CanonicalJson().begin().instant("t", t).end().toString()).isEqualTo("{\"t\":\"" + t + "\"}");
    }

    @Test
    void instants_at_the_edges_of_the_fast_path_are_written_as_their_to_string() {
        for (String s : List.of(
                "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z",
                "9999-12-31T23:59:59.999999999Z",
                "+10000-01-01T00:00:00Z",
                "2024-02-29T23:59:59.100Z",
                "2026-12-07T14:23:14.476358509Z",
                "2026-12-07T14:23:14.000001Z",
                "2026-12-07T14:23:14.010Z")) {
            Instant t = Instant.parse(s);
            assertThat(new CanonicalJson().begin().instant("t", t).end().toString())
                    .isEqualTo("{\"t\":\"" + t + "\"}");
        }
    }

    @Provide
    Arbitrary<Integer> nanos() {
        // whole seconds, milliseconds and microseconds are written shorter: draw them often
        return Arbitraries.oneOf(
                Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(m -> m * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(u -> u * 1000),
                Arbitraries.integers().between(0, 999_999_999));
    }
}
