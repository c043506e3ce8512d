package dev.clearance.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Request;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The fast request parser accepts and rejects exactly what {@link Json#request} does, with the same result. */
class RequestLinesTest {
    static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

    static Object canonical(String line) {
        try {
            return Json.request(line, "t.jsonl", 7, () -> NOW);
        } catch (PolicyException e) {
            return e.problems().toString();
        }
    }

    /** A parser that knows principals p1 and p2. */
    static RequestLines parser() {
        return new RequestLines("t.jsonl", NOW, new NameIndex(List.of("p1", "p2")), new String[] {"p1", "p2"}, null);
    }

    static Object fast(String line) {
        byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
        int len = line.getBytes(StandardCharsets.UTF_8).length;
        try {
            return parser().parse(b, 2, len, 7);
        } catch (PolicyException e) {
            return e.problems().toString();
        }
    }

    @Property(tries = 3000)
    void the_fast_parser_agrees_with_the_definition_of_the_request_format(@ForAll("lines") String line) {
        assertThat(fast(line)).isEqualTo(canonical(line));
    }

    /**
     * A parser told that ids are not read (the simulator's): what it accepts and refuses is unchanged,
     * and an accepted request differs only in its id, the shared one, on every path.
     */
    @Property(tries = 1000)
    void a_shared_id_changes_nothing_but_the_id(@ForAll("lines") String line) {
        Object expected = canonical(line);
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        Object got;
        try {
            got = new RequestLines("t.jsonl", NOW, new NameIndex(List.of("p1", "p2")), new String[] {"p1", "p2"}, "s")
                    .parse(b, 0, b.length, 7);
        } catch (PolicyException e) {
            got = e.problems().toString();
        }
        if (expected instanceof Request r) {
            assertThat(got).isEqualTo(r.withId("s"));
        } else {
            assertThat(got).isEqualTo(expected);
        }
    }

    @Test
    void the_scanner_gives_the_shared_id_to_lines_with_an_id_and_without() throws PolicyException {
        RequestLines p =
                new RequestLines("t.jsonl", NOW, new NameIndex(List.of("p1", "p2")), new String[] {"p1", "p2"}, "s");
        for (String line : List.of(
                "{\"id\": \"r9\", \"principal\": \"p1\", \"model\": \"m\"}",
                "{\"principal\": \"p2\", \"model\": \"m\", \"id\": null}",
                "{\"principal\": \"p1\", \"model\": \"m\"}")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertThat(p.scan(b, 0, b.length)).as(line).isNotNull();
            assertThat(p.parse(b, 0, b.length, 1).id()).as(line).isEqualTo("s");
        }
    }

    /**
     * One parser over many lines, as a worker reads a file: what it remembers from one line (the last
     * timestamp, model and country names) never changes the next line's answer.
     */
    @Property(tries = 300)
    void one_parser_over_many_lines_agrees_with_the_definition_line_by_line(
            @ForAll @net.jqwik.api.constraints.Size(min = 2, max = 30) List<@net.jqwik.api.From("lines") String> lines) {
        RequestLines p = parser();
        for (String line : lines) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            Object got;
            try {
                got = p.parse(b, 0, b.length, 7);
            } catch (PolicyException e) {
                got = e.problems().toString();
            }
            assertThat(got).as(line).isEqualTo(canonical(line));
        }
    }

    @Test
    void timestamps_that_share_all_but_their_last_digits_are_told_apart() throws PolicyException {
        RequestLines p = parser();
        for (String t : List.of(
                "2026-11-25T10:00:00.123456+00:00",
                "2026-11-25T10:00:00.123457+00:00",
                "2026-11-25T10:00:00.123457+00:00",
                "2026-11-25T10:00:00.123457+01:00",
                "2026-11-25T10:00:00.12345+00:00",
                "2026-11-25T10:00:00Z")) {
            String line = "{\"principal\": \"p1\", \"model\": \"m\", \"time\": \"" + t + "\"}";
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertThat(p.parse(b, 0, b.length, 1).time())
                    .as(t)
                    .isEqualTo(java.time.OffsetDateTime.parse(t).toInstant());
        }
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> strings = Arbitraries.of(
                "\"p1\"",
                "\"p2\"",
                "\"zz\"",
                "\"\"",
                "\" \"",
                "null",
                "1",
                "true",
                "[]",
                "\"frontier-x\"",
                "\"US\"",
                "\"us\"",
                "\"USA\"",
                "[\"chat\"]",
                "[\"\"]",
                "[1]",
                "{}",
                "\"2026-11-25T10:00:00Z\"",
                "\"2026-02-29T10:00:00Z\"",
                "\"2024-02-29T23:59:59Z\"",
                "\"2026-11-25T24:00:00Z\"",
                "\"2026-11-25T10:00:00+01:00\"",
                "\"2026-11-25T10:00:00.5Z\"",
                "\"2026-11-25T10:00:00.123456+00:00\"",
                "\"2026-11-25T10:00:00-05:30\"",
                "\"2026-11-25T10:00:00+18:00\"",
                "\"2026-11-25t10:00:00z\"",
                "\"2026-11-25T10:00Z\"",
                "\"2026-11-25T10:00:00.Z\"",
                "\"2026-11-25 10:00:00Z\"",
                "\"2026-13-01T00:00:00Z\"",
                "\"caf\\u00e9\"",
                "\"p\\u0031\"",
                "\"p\\\"1\"",
                "\"p\u00e91\"",
                "\"a\tb\"",
                "nul",
                "nulll",
                "[\"chat\", \"code\"]",
                "[ \"chat\" , ]",
                "[\"chat\" \"code\"]",
                "[null]");
        Arbitrary<String> keys =
                Arbitraries.of("id", "principal", "model", "capabilities", "time", "country", "ip", "other");
        Arbitrary<String> ws = Arbitraries.of("", "", " ", "  ", "\t", "\r", " \n ");
        Arbitrary<String> field =
                Combinators.combine(keys, ws, ws, strings).as((k, w1, w2, v) -> "\"" + k + "\"" + w1 + ":" + w2 + v);
        return Combinators.combine(field.list().ofMinSize(0).ofMaxSize(8), ws, ws)
                .flatAs((fields, w1, w2) -> Arbitraries.of("", "", " ", " x", "{", "\t", ",")
                        .map(tail -> {
                            List<String> f = new ArrayList<>(fields);
                            return w1 + "{" + w2 + String.join(w1 + "," + w2, f) + w2 + "}" + tail;
                        }));
    }

    /** What the byte scanner accepts it reads as the definition does (it may leave any line to the parsers). */
    @Property(tries = 3000)
    void the_byte_scanner_agrees_with_the_definition_where_it_answers(@ForAll("lines") String line) {
        byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
        int len = line.getBytes(StandardCharsets.UTF_8).length;
        Request r = parser().scan(b, 2, len);
        if (r != null) {
            assertThat(r).isEqualTo(canonical(line));
        }
    }

    @Test
    void the_lines_generators_write_are_read_by_the_byte_scanner() {
        for (String line : List.of(
                "{\"id\":\"r1\",\"principal\":\"p2\",\"model\":\"m\",\"time\":\"2026-11-25T10:00:00Z\",\"country\":\"DE\"}",
                "{\"model\": \"m\", \"time\": \"2026-11-25T10:00:00.339563+00:00\", \"principal\": \"p1\", \"id\": \"r1\"}",
                "{\"id\": \"r2\", \"principal\": \"ghost\", \"model\": \"m\", \"capabilities\": [\"a.b\", \"c\"],"
                        + " \"country\": null, \"ip\": \"203.0.113.9\"}",
                "{ \"principal\" : \"p1\" , \"model\" : \"m\" , \"capabilities\" : [ ] , \"country\" : \"\" }\r")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            RequestLines parser = parser();
            assertThat(parser.scan(b, 0, b.length)).as(line).isNotNull().isEqualTo(canonical(line));
        }
    }

    /** Timestamps built from parts that are each valid, borderline or wrong, as text a generator might write. */
    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<String> date = Arbitraries.of(
                "2026-11-25",
                "2024-02-29",
                "2026-02-29",
                "2026-12-31",
                "0000-01-01",
                "9999-12-31",
                "2026-00-10",
                "2026-04-31",
                "2026-1-05",
                "+2026-11-25");
        Arbitrary<String> sep = Arbitraries.of("T", "T", "T", "t", " ");
        Arbitrary<String> clock = Arbitraries.of(
                "00:00:00", "23:59:59", "12:34:56", "24:00:00", "23:60:00", "23:59:60", "12:34", "1:02:03");
        Arbitrary<String> fraction =
                Arbitraries.of("", "", ".", ".5", ".123", ".123456", ".123456789", ".1234567891", ".12a", ",5");
        Arbitrary<String> offset = Arbitraries.of(
                "Z",
                "Z",
                "z",
                "+00:00",
                "-00:00",
                "+05:30",
                "-08:00",
                "+17:59",
                "+18:00",
                "-18:00",
                "+18:01",
                "+24:00",
                "+01",
                "+0100",
                "+01:60",
                "",
                "+01:00:00",
                "Z ");
        return Combinators.combine(date, sep, clock, fraction, offset).as((d, t, c, f, o) -> d + t + c + f + o);
    }

    @Property(tries = 3000)
    void the_fast_timestamp_reader_agrees_with_java_time(@ForAll("timestamps") String text) {
        Instant expected;
        try {
            expected = java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            expected = null;
        }
        Instant fast = RequestLines.time(("xx" + text).toCharArray(), 2, text.length());
        // The fast reader may hand a valid timestamp to the full parser, but never reads one differently.
        if (fast != null) {
            assertThat(fast).isEqualTo(expected);
        }
    }

    @Test
    void the_timestamp_forms_generators_write_are_read_without_the_full_parser() {
        for (String text : List.of(
                "2026-11-25T10:00:00Z",
                "2026-11-25T10:00:00.5Z",
                "2026-11-25T10:00:00.339563+00:00",
                "2026-11-25T10:00:00.123456789Z",
                "2026-11-25T10:00:00+05:30",
                "2026-11-25T10:00:00-08:00")) {
            assertThat(RequestLines.time(text.toCharArray(), 0, text.length()))
                    .as(text)
                    .isEqualTo(java.time.OffsetDateTime.parse(text).toInstant());
        }
    }

    @Test
    void the_common_shape_is_parsed_with_the_canonical_principal_and_time() throws Exception {
        String line =
                "{\"id\":\"r1\",\"principal\":\"p2\",\"model\":\"m\",\"time\":\"2026-11-25T10:00:00Z\",\"country\":\"DE\",\"capabilities\":[\"chat\"]}";
        RequestLines parser = parser();
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        Request r = parser.parse(b, 0, b.length, 1);
        assertThat(r)
                .isEqualTo(new Request(
                        "r1", "p2", "m", List.of("chat"), Instant.parse("2026-11-25T10:00:00Z"), "DE", "", ""));
        assertThat(parser.principalIndex()).isEqualTo(1);
        assertThat(r).isEqualTo(canonical(line));
    }

    @Test
    void an_invalid_line_reports_the_canonical_located_error() {
        String line = "{\"principal\":\"p1\",\"model\":\"m\",\"time\":\"yesterday\"}";
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new RequestLines("t.jsonl", NOW).parse(b, 0, b.length, 12))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("t.jsonl:12:")
                .hasMessageContaining("field 'time'");
    }
}
