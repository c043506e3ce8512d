package dev.clearance.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The searchable fields of an entry, read back from its JSON: time, principal, model and outcome
 * ({@code allow}, {@code deny}, or {@code policy} for a policy change). Fields an entry lacks are empty.
 */
public record EntrySummary(Instant time, String principal, String model, String outcome) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NO_TIME = Instant.EPOCH;

    public static EntrySummary of(byte[] entry) {
        JsonNode n;
        try {
            n = JSON.readTree(entry);
        } catch (IOException e) {
            return new EntrySummary(NO_TIME, "", "", "");
        }
        if (n == null || !n.isObject()) {
            return new EntrySummary(NO_TIME, "", "", "");
        }
        Instant time = NO_TIME;
        try {
            time = Instant.parse(n.path("time").asText(""));
        } catch (DateTimeParseException e) {
            // an entry without a valid time matches no time range
        }
        if (n.has("change")) {
            return new EntrySummary(time, n.path("by").asText(""), "", "policy");
        }
        return new EntrySummary(
                time,
                n.path("principal").asText(""),
                n.path("request").path("model").asText(""),
                n.path("decision").asText(""));
    }
}
