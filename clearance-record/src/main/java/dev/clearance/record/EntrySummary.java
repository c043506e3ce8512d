package dev.clearance.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The searchable fields of an entry, read back from its JSON: time, principal, model and outcome
 * ({@code allow} or {@code deny} for a decision; {@code policy} for a policy change and for a
 * screening review, whose principal is then who made the change or the review). This is what the
 * log's search index keeps of each entry; fields an entry lacks are empty, and bytes that are not
 * an entry summarise to nothing rather than fail, so one odd entry never stops a search.
 */
public record EntrySummary(Instant time, String principal, String model, String outcome) {
    /** The names of the searchable fields other than time, in the order {@link #fields()} gives them. */
    public static final List<String> FIELDS = List.of("principal", "model", "outcome");

    /** The time of an entry that has none: it falls in no time range a search is likely to ask for. */
    public static final Instant NO_TIME = Instant.EPOCH;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EntrySummary NOTHING = new EntrySummary(NO_TIME, "", "", "");

    public static EntrySummary of(byte[] entry) {
        JsonNode n;
        try {
            n = JSON.readTree(entry);
        } catch (IOException e) {
            return NOTHING;
        }
        if (n == null || !n.isObject()) {
            return NOTHING;
        }
        Instant time = NO_TIME;
        try {
            time = Instant.parse(n.path("time").asText(""));
        } catch (DateTimeParseException e) {
            // an entry without a valid time matches no time range
        }
        return switch (EntryKind.of(n)) {
            case POLICY_CHANGE, SCREENING_REVIEW ->
                new EntrySummary(time, n.path("by").asText(""), "", "policy");
            case DECISION ->
                new EntrySummary(
                        time,
                        n.path("principal").asText(""),
                        n.path("request").path("model").asText(""),
                        n.path("decision").asText(""));
        };
    }

    /** The values of {@link #FIELDS}, in that order. */
    public List<String> fields() {
        return List.of(principal, model, outcome);
    }
}
