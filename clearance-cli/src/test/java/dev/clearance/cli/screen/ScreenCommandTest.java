package dev.clearance.cli.screen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScreenCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String resource(String name) {
        try {
            return Path.of(ScreenCommandTest.class
                            .getResource("/screen/" + name)
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void aListedNameIsReportedAsAMatchWithItsListAndEntityId() throws Exception {
        Run r = run("screen", "--list", "ofac-sdn=" + resource("ofac"), "--name", "Elena Khusyaynova");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode line = JSON.readTree(r.lines().get(0));
        assertThat(line.get("id").asText()).isEqualTo("Elena Khusyaynova");
        JsonNode best = line.get("matches").get(0);
        assertThat(best.get("list").asText()).isEqualTo("SDN");
        assertThat(best.get("entity_id").asText()).isEqualTo("26233");
        assertThat(best.get("name").asText()).isEqualTo("KHUSYAYNOVA, Elena Alekseevna");
        assertThat(best.get("score").asDouble()).isGreaterThan(0.85);
        assertThat(best.get("match").asBoolean()).isTrue();
    }

    @Test
    void queriesFromAFileGiveOneLineEachInOrderBestFirst() throws Exception {
        Run r = run(
                "screen",
                "--list",
                "ofac-sdn=" + resource("ofac"),
                "--list",
                "bis-dpl=" + resource("dpl.txt"),
                "--list",
                "csl=" + resource("csl.json"),
                "--queries",
                resource("queries.jsonl"),
                "--threshold",
                "0.9");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lines()).hasSize(3);
        JsonNode first = JSON.readTree(r.lines().get(0));
        assertThat(first.get("id").asText()).isEqualTo("q1");
        JsonNode second = JSON.readTree(r.lines().get(1));
        assertThat(second.get("matches").get(0).get("entity_id").asText()).isEqualTo("26230");
        JsonNode third = JSON.readTree(r.lines().get(2));
        assertThat(third.get("id").asText()).isEqualTo("q3");
        for (JsonNode m : third.get("matches"))
            assertThat(m.get("match").asBoolean()).isFalse();
        for (String l : r.lines()) {
            JsonNode ms = JSON.readTree(l).get("matches");
            assertThat(ms.size()).isLessThanOrEqualTo(10);
            for (int i = 1; i < ms.size(); i++) {
                assertThat(ms.get(i).get("score").asDouble())
                        .isLessThanOrEqualTo(ms.get(i - 1).get("score").asDouble());
            }
        }
    }

    @Test
    void explainAddsTheTokenPairs() throws Exception {
        Run r = run("screen", "--list", "ofac-sdn=" + resource("ofac"), "--name", "National Bank of Cuba", "--explain");

        JsonNode best = JSON.readTree(r.lines().get(0)).get("matches").get(0);
        assertThat(best.get("explanation").asText()).startsWith("alias 'NATIONAL BANK OF CUBA': ");
    }

    @Test
    void aBadQueryLineFailsTheRunNamingFileAndLineAndPrintsNothing() {
        Run r = run("screen", "--list", "ofac-sdn=" + resource("ofac"), "--queries", resource("bad-queries.jsonl"));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("bad-queries.jsonl:2: field name must be a string");
    }

    @Test
    void anUnknownListKindIsRejectedWithTheValidKinds() {
        Run r = run("screen", "--list", "eu=whatever", "--name", "x");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown list kind 'eu'; valid kinds: [ofac-sdn, csl, bis-dpl]");
    }

    @Test
    void aMalformedListFailsTheRunNamingFileAndLine() {
        Run r = run(
                "screen",
                "--list",
                "ofac-sdn=" + resource("ofac"),
                "--list",
                "bis-dpl=" + resource("ofac/sdn.csv"),
                "--name",
                "x");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("sdn.csv:1: header is");
    }
}
