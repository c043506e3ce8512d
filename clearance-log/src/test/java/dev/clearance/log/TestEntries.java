package dev.clearance.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Entries for the log's tests, and the summarizer a user of the log would supply for them: the
 * log itself never reads an entry, so its tests bring their own small format.
 */
final class TestEntries {
    static final Instant T = Instant.parse("2026-11-26T12:00:00.250Z");

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestEntries() {}

    static byte[] entry(String id, Instant time, String who, String what, String outcome) {
        return ("{\"id\":\"" + id + "\",\"time\":\"" + time + "\",\"who\":\"" + who + "\",\"what\":\"" + what
                        + "\",\"outcome\":\"" + outcome + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@code time}, {@code who}, {@code what} and {@code outcome}; anything unreadable summarises to nothing. */
    static final Summarizer SUMMARIZER = new Summarizer() {
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
