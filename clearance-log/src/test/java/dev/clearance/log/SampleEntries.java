package dev.clearance.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.log.search.Summarizer;
import dev.clearance.log.search.Summary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Entries for the log's tests, and the summarizer a user of the log would supply for them: the
 * log itself never reads an entry, so its tests bring their own small format.
 */
public final class SampleEntries {
    public static final Instant T = Instant.parse("2026-11-26T12:00:00.250Z");

    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleEntries() {}

    /** Entry {@code i} of the logs {@link #fill} writes. */
    public static byte[] entry(int i) {
        return ("{\"id\":\"d-" + i + "\",\"time\":\"2026-11-26T12:00:00Z\",\"decision\":\"allow\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Appends entries {@code [from, to)} and checks each is acknowledged at its own index. */
    public static void fill(TransparencyLog log, int from, int to) throws Exception {
        List<CompletableFuture<Long>> fs = new ArrayList<>();
        for (int i = from; i < to; i++) {
            fs.add(log.append(entry(i)));
        }
        for (int i = 0; i < fs.size(); i++) {
            assertThat(fs.get(i).get()).isEqualTo(from + i);
        }
    }

    /**
     * Appends 50 entries, entry {@code i} at T + i minutes, by alice when {@code i % 3 == 0} (else bob), on
     * m-2 when {@code i} is even (else m-1), deny when {@code i % 5 == 0} (else allow), and signs a checkpoint.
     */
    public static void populate(TransparencyLog log) throws Exception {
        for (int i = 0; i < 50; i++) {
            log.append(entry(
                            "e-" + i,
                            T.plusSeconds(60L * i),
                            i % 3 == 0 ? "alice" : "bob",
                            i % 2 == 0 ? "m-2" : "m-1",
                            i % 5 == 0 ? "deny" : "allow"))
                    .get();
        }
        log.checkpoint().get();
    }

    public static byte[] entry(String id, Instant time, String who, String what, String outcome) {
        return ("{\"id\":\"" + id + "\",\"time\":\"" + time + "\",\"who\":\"" + who + "\",\"what\":\"" + what
                        + "\",\"outcome\":\"" + outcome + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@code time}, {@code who}, {@code what} and {@code outcome}; anything unreadable summarises to nothing. */
    public static final Summarizer SUMMARIZER = new Summarizer() {
        @Override
        public List<String> fields() {
            return List.of("who", "what", "outcome");
        }

        @Override
        public Summary summarize(byte[] entry) {
            JsonNode n;
            try {
                n = JSON.readTree(entry);
            } catch (IOException e) {
                return new Summary(Instant.EPOCH, List.of("", "", ""));
            }
            Instant time = Instant.EPOCH;
            try {
                time = Instant.parse(n.path("time").asText(""));
            } catch (DateTimeParseException e) {
                // no time: matches no time range
            }
            return new Summary(
                    time,
                    List.of(
                            n.path("who").asText(""),
                            n.path("what").asText(""),
                            n.path("outcome").asText("")));
        }
    };
}
