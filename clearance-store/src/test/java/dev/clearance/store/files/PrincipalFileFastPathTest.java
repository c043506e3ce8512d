package dev.clearance.store.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * {@link PrincipalFile#readAll} parses most lines on a fast path straight from bytes; whatever it
 * accepts, and every problem it reports, must be exactly what the validating one-line-at-a-time
 * reader ({@link PrincipalFile#stream}, {@code Json.principal}) gives — over odd values, wrong types,
 * repeated keys, licences, line endings and window boundaries.
 */
class PrincipalFileFastPathTest {

    /** What a read gave: the principals, or the problems. */
    private record Outcome(List<Principal> principals, PolicyException problems) {
        static Outcome of(Reader r) throws IOException {
            try {
                return new Outcome(r.read(), null);
            } catch (PolicyException e) {
                return new Outcome(null, e);
            }
        }

        void assertSameAs(Outcome other) {
            if (problems == null) {
                assertThat(other.problems)
                        .as("problems where the validating reader had none")
                        .isNull();
                assertThat(principals).isEqualTo(other.principals);
            } else {
                assertThat(other.problems)
                        .as("no problems where the validating reader had some")
                        .isNotNull();
                assertThat(problems.problems()).isEqualTo(other.problems.problems());
            }
        }
    }

    private interface Reader {
        List<Principal> read() throws PolicyException, IOException;
    }

    private static Path write(String content) throws IOException {
        Path f = Files.createTempFile("principals", ".jsonl");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private static List<Principal> streamed(Path f) throws PolicyException, IOException {
        List<Principal> out = new ArrayList<>();
        PrincipalFile.stream(f, (p, line) -> out.add(p));
        return out;
    }

    private static void assertSame(String content, int threads, int window) throws IOException {
        Path f = write(content);
        try {
            Outcome.of(() -> PrincipalFile.readAll(f, threads, window)).assertSameAs(Outcome.of(() -> streamed(f)));
        } finally {
            Files.delete(f);
        }
    }

    @Property(tries = 1000)
    void the_fast_path_accepts_and_refuses_exactly_what_the_validating_reader_does(
            @ForAll("files") String content, @ForAll("threads") int threads, @ForAll("windows") int window)
            throws IOException {
        assertSame(content, threads, window);
    }

    @Provide
    Arbitrary<Integer> threads() {
        return Arbitraries.integers().between(1, 4);
    }

    @Provide
    Arbitrary<Integer> windows() {
        return Arbitraries.of(64, 300, 4096, PrincipalFile.WINDOW);
    }

    @Provide
    Arbitrary<String> files() {
        Arbitrary<String> line = Arbitraries.frequencyOf(
                Tuple.of(12, principalLine()),
                Tuple.of(1, Arbitraries.of("", "   ", "# a comment", "  # indented", "{not json", "[1]")));
        Arbitrary<List<String>> lines = line.list().ofMinSize(0).ofMaxSize(40);
        Arbitrary<String> ending = Arbitraries.of("\n", "\n", "\n", "\r\n", "\r");
        return Combinators.combine(lines, ending, Arbitraries.of(true, false)).as((ls, nl, last) -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < ls.size(); i++) {
                b.append(ls.get(i));
                if (i < ls.size() - 1 || last) {
                    b.append(nl);
                }
            }
            return b.toString();
        });
    }

    /** Mostly well-formed lines (the fast path's), with every kind of odd value mixed in. */
    private static Arbitrary<String> principalLine() {
        Arbitrary<String> field = Arbitraries.oneOf(
                value(
                        "id",
                        Arbitraries.integers().between(0, 200).map(i -> "\"p" + i + "\""),
                        "\"p\\u00e9\"",
                        "\"p\\\"q\"",
                        "\"p\u0001\"",
                        "\"pé\"",
                        "\"\"",
                        "\"  \"",
                        "null",
                        "5"),
                value("kind", Arbitraries.of("\"person\"", "\"organization\""), "\"robot\"", "null", "1"),
                value("name", Arbitraries.of("\"Ada\"", "\"Zoë\"", "\"say \\\"hi\\\"\"", "\"\""), "null", "3"),
                value(
                        "citizenships",
                        Arbitraries.of("[]", "[\"US\"]", "[\"US\", \"FR\"]", "[\"IN\", \"GB\", \"CN\"]"),
                        "[\"us\"]",
                        "[\"USA\"]",
                        "\"US\"",
                        "[null]",
                        "[\"\"]",
                        "null"),
                value(
                        "lawful_permanent_resident_of",
                        Arbitraries.of("\"US\"", "\"\""),
                        "\"us\"",
                        "\"U1\"",
                        "null",
                        "7"),
                value("residence_country", Arbitraries.of("\"DE\"", "\"\""), "\"D\"", "null", "[]"),
                value("incorporated_in", Arbitraries.of("\"US\"", "\"\""), "\"ÜS\"", "null"),
                value(
                        "protected_individual",
                        Arbitraries.of("true", "false"),
                        "\"true\"",
                        "null",
                        "0",
                        "truex",
                        "tru",
                        "nul"),
                value("organization", Arbitraries.of("\"org-1\"", "\"\""), "null", "1", "{}"),
                value(
                        "identity_assurance",
                        Arbitraries.of("0", "1", "2", "3"),
                        "4",
                        "-1",
                        "2.0",
                        "\"2\"",
                        "99999999999",
                        "null",
                        "1e0",
                        "02",
                        "-0",
                        "2x",
                        "nullx"),
                oftenOdd(
                        "licenses",
                        Arbitraries.of(
                                "[]",
                                "["
                                        + license(
                                                "\"L1\"",
                                                "\"deemed-export-license\"",
                                                null,
                                                "2026-01-01T00:00:00Z",
                                                "2027-01-01T00:00:00Z")
                                        + "]",
                                "["
                                        + license(
                                                "\"L2\"",
                                                "\"t\"",
                                                "[\"frontier-*\", \"open-large\"]",
                                                "2026-01-01T00:00:00+02:00",
                                                "2026-06-01T00:00:00.5Z")
                                        + ", "
                                        + license(
                                                "\"L3\"", "\"t\"", null, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")
                                        + "]"),
                        "[" + license("\"L\"", "\"t\"", null, "2027-01-01T00:00:00Z", "2026-01-01T00:00:00Z") + "]",
                        "[" + license("\"L\"", "\"t\"", "[]", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z") + "]",
                        "[" + license("\"L\"", "\"t\"", "[\"\"]", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z") + "]",
                        "[" + license("\"L\"", "\"t\"", "null", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z") + "]",
                        "[" + license("\" \"", "\"t\"", null, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z") + "]",
                        "[" + license("\"L\"", "null", null, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z") + "]",
                        "[" + license("\"L\"", "\"t\"", null, "2026-01-01", "2027-01-01T00:00:00Z") + "]",
                        "[{\"id\": \"L\", \"type\": \"t\", \"valid_from\": \"2026-01-01T00:00:00Z\"}]",
                        "[{\"id\": \"L\", \"id\": \"M\", \"type\": \"t\", \"valid_from\": \"2026-01-01T00:00:00Z\","
                                + " \"valid_until\": \"2027-01-01T00:00:00Z\"}]",
                        "[{\"id\": \"L\", \"kind\": \"t\"}]",
                        "[{}]",
                        "[\"L1\"]",
                        "\"x\"",
                        "null"),
                value(
                        "attributes",
                        Arbitraries.of("{}", "{\"team\": \"core\"}", "{\"team\": \"core\", \"tier\": \"trusted\"}"),
                        "{\"a\": \"1\", \"a\": \"2\"}",
                        "{\"a\": 1}",
                        "null",
                        "[]"),
                value("unknown", Arbitraries.of("1")),
                // A known key written with an escape, and an escaped or non-ASCII attribute.
                Arbitraries.of(
                        "\"i\\u0064\": \"p9\"",
                        "\"attributes\": {\"t\\u00e9am\": \"x\"}",
                        "\"attributes\": {\"équipe\": \"cœur\"}"));
        return Combinators.combine(
                        field.list().ofMinSize(0).ofMaxSize(8),
                        Arbitraries.frequency(Tuple.of(9, ""), Tuple.of(1, " ")),
                        Arbitraries.frequency(
                                Tuple.of(9, ""),
                                Tuple.of(1, " "),
                                Tuple.of(1, " x"),
                                Tuple.of(1, " {}"),
                                Tuple.of(1, ","),
                                Tuple.of(1, "\t")),
                        Arbitraries.frequency(
                                Tuple.of(6, ", "), Tuple.of(2, ","), Tuple.of(1, " ,\t"), Tuple.of(1, " ")))
                .as((fields, lead, trail, separator) -> {
                    String object = "{" + String.join(separator, fields) + "}";
                    // A trailing comma goes inside the object, where it is an error.
                    return trail.equals(",")
                            ? lead + object.substring(0, object.length() - 1) + ",}"
                            : lead + object + trail;
                });
    }

    private static String license(String id, String type, String models, String from, String until) {
        return "{\"id\": " + id + ", \"type\": " + type + (models == null ? "" : ", \"models\": " + models)
                + ", \"valid_from\": \"" + from + "\", \"valid_until\": \"" + until + "\"}";
    }

    /** {@code "key": value}: a well-formed value half the time, else one of the odd ones. */
    private static Arbitrary<String> oftenOdd(String key, Arbitrary<String> valid, String... odd) {
        return Arbitraries.oneOf(valid, Arbitraries.of(odd)).map(x -> "\"" + key + "\": " + x);
    }

    /** {@code "key": value}: a well-formed value nine times in ten, else one of the odd ones. */
    private static Arbitrary<String> value(String key, Arbitrary<String> valid, String... odd) {
        Arbitrary<String> v =
                odd.length == 0 ? valid : Arbitraries.frequencyOf(Tuple.of(9, valid), Tuple.of(1, Arbitraries.of(odd)));
        return v.map(x -> "\"" + key + "\": " + x);
    }

    @Test
    void a_population_of_ordinary_principals_reads_the_same_across_window_boundaries() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            b.append("{\"id\": \"p")
                    .append(i)
                    .append("\", \"kind\": \"person\", \"citizenships\": [\"")
                    .append(i % 3 == 0 ? "US" : "FR")
                    .append("\"], \"organization\": \"org-")
                    .append(i % 7)
                    .append("\", \"identity_assurance\": ")
                    .append(i % 4)
                    .append(", \"attributes\": {\"team\": \"t")
                    .append(i % 5)
                    .append("\"}}\n");
        }
        assertSame(b.toString(), 3, 10_000);
        assertSame(b.toString(), 2, PrincipalFile.WINDOW);
    }

    @Test
    void the_common_shape_is_taken_by_the_fast_path_and_equals_the_validating_parse() throws Exception {
        String line = "{\"id\": \"p7\", \"kind\": \"person\", \"name\": \"Ada\", \"citizenships\": [\"IN\", \"GB\"],"
                + " \"residence_country\": \"US\", \"lawful_permanent_resident_of\": \"\", \"protected_individual\": false,"
                + " \"identity_assurance\": 2, \"organization\": \"org-1\", \"licenses\": [], \"attributes\": {\"team\": \"core\"}}";
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        Principal fast = new PrincipalLines().parse(b, 0, b.length);
        assertThat(fast).isNotNull().isEqualTo(dev.clearance.core.Json.principal(line));
        String org = "{\"id\": \"o1\", \"kind\": \"organization\", \"incorporated_in\": \"US\"}";
        byte[] o = org.getBytes(StandardCharsets.UTF_8);
        assertThat(new PrincipalLines().parse(o, 0, o.length))
                .isNotNull()
                .isEqualTo(dev.clearance.core.Json.principal(org));
        String licensed = "{\"id\": \"p\", \"licenses\": ["
                + license("\"L\"", "\"t\"", "[\"m-*\"]", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z") + "]}";
        byte[] l = licensed.getBytes(StandardCharsets.UTF_8);
        assertThat(new PrincipalLines().parse(l, 0, l.length))
                .isNotNull()
                .isEqualTo(dev.clearance.core.Json.principal(licensed));
        // A generator that writes every field, null for the ones a principal lacks.
        String nulls = "{\"id\": \"p8\", \"kind\": null, \"name\": null, \"citizenships\": null,"
                + " \"lawful_permanent_resident_of\": null, \"protected_individual\": null, \"residence_country\": null,"
                + " \"incorporated_in\": null, \"organization\": null, \"identity_assurance\": null, \"licenses\": null,"
                + " \"attributes\": null}";
        byte[] n = nulls.getBytes(StandardCharsets.UTF_8);
        assertThat(new PrincipalLines().parse(n, 0, n.length))
                .isNotNull()
                .isEqualTo(dev.clearance.core.Json.principal(nulls));
        byte[] nullId = "{\"id\": null}".getBytes(StandardCharsets.UTF_8);
        assertThat(new PrincipalLines().parse(nullId, 0, nullId.length)).isNull();
        byte[] unsure = ("{\"id\": \"p\", \"licenses\": [{\"id\": \"L\"}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(new PrincipalLines().parse(unsure, 0, unsure.length)).isNull();
    }

    @Test
    void the_scanner_knows_exactly_the_keys_the_format_defines() {
        assertThat(PrincipalLines.KEY_NAMES)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(dev.clearance.core.Json.PRINCIPAL_KEYS);
        assertThat(PrincipalLines.LICENSE_KEY_NAMES)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(dev.clearance.core.Json.LICENSE_KEYS);
    }

    @Test
    void each_of_the_scanners_key_numbers_is_the_position_of_its_key_in_the_format() {
        java.util.Map<Integer, String> keys = java.util.Map.ofEntries(
                java.util.Map.entry(PrincipalLines.ID, "id"),
                java.util.Map.entry(PrincipalLines.KIND, "kind"),
                java.util.Map.entry(PrincipalLines.NAME, "name"),
                java.util.Map.entry(PrincipalLines.CITIZENSHIPS, "citizenships"),
                java.util.Map.entry(PrincipalLines.LPR, "lawful_permanent_resident_of"),
                java.util.Map.entry(PrincipalLines.PROTECTED, "protected_individual"),
                java.util.Map.entry(PrincipalLines.RESIDENCE, "residence_country"),
                java.util.Map.entry(PrincipalLines.INCORPORATED, "incorporated_in"),
                java.util.Map.entry(PrincipalLines.ORGANIZATION, "organization"),
                java.util.Map.entry(PrincipalLines.ASSURANCE, "identity_assurance"),
                java.util.Map.entry(PrincipalLines.LICENSES, "licenses"),
                java.util.Map.entry(PrincipalLines.ATTRIBUTES, "attributes"));
        keys.forEach((at, key) ->
                assertThat(PrincipalLines.KEY_NAMES.get(at)).as("key %d", at).isEqualTo(key));
        assertThat(PrincipalLines.KEY_NAMES).hasSize(keys.size());
        java.util.Map<Integer, String> licence = java.util.Map.of(
                PrincipalLines.L_ID, "id",
                PrincipalLines.L_TYPE, "type",
                PrincipalLines.L_MODELS, "models",
                PrincipalLines.L_FROM, "valid_from",
                PrincipalLines.L_UNTIL, "valid_until");
        licence.forEach((at, key) -> assertThat(PrincipalLines.LICENSE_KEY_NAMES.get(at))
                .as("licence key %d", at)
                .isEqualTo(key));
        assertThat(PrincipalLines.LICENSE_KEY_NAMES).hasSize(licence.size());
    }

    @Test
    void a_line_longer_than_the_window_is_read_whole() throws IOException {
        String longName = "x".repeat(5_000);
        assertSame("{\"id\": \"a\"}\n{\"id\": \"b\", \"name\": \"" + longName + "\"}\n{\"id\": \"c\"}\n", 2, 64);
    }

    @Test
    void bytes_that_are_not_utf8_are_a_problem_of_their_line() throws IOException {
        Path f = Files.createTempFile("principals", ".jsonl");
        try {
            byte[] ok = "{\"id\": \"a\"}\n{\"id\": \"b\", \"name\": \"".getBytes(StandardCharsets.UTF_8);
            byte[] bad = {(byte) 0xC3, (byte) 0x28};
            byte[] rest = "\"}\n".getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[ok.length + bad.length + rest.length];
            System.arraycopy(ok, 0, all, 0, ok.length);
            System.arraycopy(bad, 0, all, ok.length, bad.length);
            System.arraycopy(rest, 0, all, ok.length + bad.length, rest.length);
            Files.write(f, all);
            PolicyException e = catchThrowableOfType(PolicyException.class, () -> PrincipalFile.readAll(f, 2));
            assertThat(e.problems()).hasSize(1);
            assertThat(e.problems().get(0).line()).isEqualTo(2);
            assertThat(e.problems().get(0).message()).contains("not valid UTF-8");
        } finally {
            Files.delete(f);
        }
    }
}
