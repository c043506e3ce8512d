package dev.clearance.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.core.Decision;
import dev.clearance.core.License;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import dev.clearance.core.Screening;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** A denial is recorded whatever the caller sent: an entry too large for the log is shortened, and says so. */
class OversizedDecisionEntryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String ONE_MEGABYTE_MODEL = "mythos-5" + "A".repeat(1 << 20);
    // { printf 'mythos-5'; head -c 1048576 /dev/zero | tr '\0' A; } | sha256sum
    static final String ONE_MEGABYTE_MODEL_SHA256 = "5b4376e02a1eac8ca37c4c83c3f6d0b135a075c79c41cf0ea39e320b9a94fb51";

    static Request request(String principal, String model, List<String> capabilities, String ip, String endpoint) {
        return new Request("r-1", principal, model, capabilities, DecisionEntryTest.T, "US", ip, endpoint);
    }

    static JsonNode parse(LogEntry e) throws Exception {
        byte[] bytes = e.bytes();
        assertThat(bytes.length).isLessThanOrEqualTo(LogEntry.MAX_BYTES);
        return JSON.readTree(bytes);
    }

    @Test
    void a_denial_for_a_one_megabyte_model_name_fits_the_log_and_names_the_shortened_field() throws Exception {
        DecisionEntry e = DecisionEntry.of(
                "node-a",
                request("alice", ONE_MEGABYTE_MODEL, List.of("chat", "code"), "203.0.113.9", "/v1/messages"),
                DecisionEntryTest.alice(),
                DecisionEntryTest.deny());
        JsonNode n = parse(e);
        assertThat(n.path("request").path("model").asText())
                .isEqualTo("mythos-5" + "A".repeat(56) + "\u2026sha256:" + ONE_MEGABYTE_MODEL_SHA256);
        assertThat(n.path("truncated").toString()).isEqualTo("[\"request.model\"]");
        // everything else is the entry as it would have been
        String json = e.toJson();
        String model = n.path("request").path("model").asText();
        assertThat(json.replace(model, "frontier-2").replace(",\"truncated\":[\"request.model\"]", ""))
                .isEqualTo(DecisionEntryTest.ALICE_DENIED);
        assertThat(DecisionEntry.readRequest(e.bytes()).orElseThrow().model()).isEqualTo(model);
        assertThat(EntrySummary.of(e.bytes()).outcome()).isEqualTo("deny");
    }

    @Test
    void an_entry_that_fits_keeps_every_field_whole_however_long() {
        String longModel = "m".repeat(10_000);
        DecisionEntry e = DecisionEntry.of(
                "node-a",
                request("alice", longModel, List.of("chat"), "", ""),
                (Principal) null,
                DecisionEntryTest.deny());
        assertThat(e.toJson()).contains("\"model\":\"" + longModel + "\"").doesNotContain("truncated");
    }

    @Test
    void every_oversized_field_the_caller_chose_is_shortened_and_named_and_the_rest_kept() throws Exception {
        List<String> capabilities = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            capabilities.add("cap-" + i + "-" + "c".repeat(1000));
        }
        Decision d = new Decision(
                "dec-1",
                Decision.Outcome.DENY,
                List.of("dir-7"),
                List.of(),
                List.of("unknown model '" + "x".repeat(100_000) + "'"),
                "",
                "pv-abc");
        DecisionEntry e = DecisionEntry.of(
                "node-a",
                request("p".repeat(70_000), "frontier-2", capabilities, "9".repeat(70_000), "/" + "e".repeat(70_000)),
                DecisionEntryTest.alice(),
                d);
        JsonNode n = parse(e);
        assertThat(JSON.convertValue(n.path("truncated"), List.class))
                .containsExactly("principal", "request.capabilities", "request.ip", "request.endpoint", "errors");
        assertThat(n.path("request").path("model").asText()).isEqualTo("frontier-2");
        assertThat(n.path("principal_facts").path("attributes").path("team").asText())
                .isEqualTo("research");
        JsonNode caps = n.path("request").path("capabilities");
        assertThat(caps).hasSize(65);
        assertThat(caps.get(0).asText()).startsWith("cap-0-ccc").contains("\u2026sha256:");
        assertThat(caps.get(64).asText()).matches("\u202636 more, sha256:[0-9a-f]{64}");
        assertThat(n.path("directives").toString()).isEqualTo("[\"dir-7\"]");
    }

    @Test
    void when_the_callers_fields_are_not_enough_every_field_is_shortened() throws Exception {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            attributes.put("attribute-" + i, "v".repeat(100));
        }
        DecisionEntry e = DecisionEntry.of(
                "node-a",
                request("alice", ONE_MEGABYTE_MODEL, List.of("chat"), "", ""),
                DecisionEntryTest.alice(attributes),
                DecisionEntryTest.deny());
        JsonNode n = parse(e);
        assertThat(JSON.convertValue(n.path("truncated"), List.class))
                .containsExactly("principal_facts.attributes", "request.model");
        JsonNode attrs = n.path("principal_facts").path("attributes");
        assertThat(attrs).hasSize(5);
        assertThat(attrs.path("\u2026").asText()).matches("4996 more, sha256:[0-9a-f]{64}");
        assertThat(n.path("request").path("model").asText())
                .isEqualTo("mythos-5AAAAAAAA\u2026sha256:" + ONE_MEGABYTE_MODEL_SHA256);
    }

    @Test
    void a_character_outside_the_basic_plane_is_never_cut_in_half() throws Exception {
        String model = "x" + "\uD83D\uDE00".repeat(200_000);
        JsonNode n = parse(DecisionEntry.of(
                "n", request("alice", model, List.of(), "", ""), (Principal) null, DecisionEntryTest.deny()));
        String kept = n.path("request").path("model").asText();
        String prefix = kept.substring(0, kept.indexOf('\u2026'));
        assertThat(prefix).isEqualTo("x" + "\uD83D\uDE00".repeat(31));
    }

    /** Characters whose JSON is longest per UTF-16 unit: a six-byte escape, a two-byte escape, three-byte UTF-8. */
    private static final String[] WIDE = {"\u0001", "\"", "\u20ac", "\u00e9", "a"};

    private static String wide(int length, int kind) {
        return WIDE[kind % WIDE.length].repeat(length);
    }

    @Property(tries = 30)
    void any_decision_entry_fits_the_log_however_large_its_fields(
            @ForAll @IntRange(min = 0, max = 200_000) int stringLength,
            @ForAll @IntRange(min = 0, max = 3_000) int listLength,
            @ForAll @IntRange(min = 0, max = 4) int kind)
            throws Exception {
        String s = wide(stringLength, kind);
        List<String> list = Collections.nCopies(listLength, wide(Math.min(stringLength, 500), kind + 1));
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < listLength; i++) {
            attributes.put(i + s.substring(0, Math.min(s.length(), 300)), s.substring(0, Math.min(s.length(), 300)));
        }
        Principal p = new Principal(
                s.isEmpty() ? "p" : s,
                Principal.Kind.PERSON,
                s,
                list,
                s,
                false,
                s,
                s,
                s,
                2,
                list.stream()
                        .map(id -> new License(id, "export", List.of(), DecisionEntryTest.T, DecisionEntryTest.T))
                        .toList(),
                attributes,
                new Screening(s, list, 0.0),
                new Screening(s, list, 0.0));
        Decision d = new Decision(s, Decision.Outcome.DENY, list, list, list, s, s);
        JsonNode n = parse(DecisionEntry.of(s, request(s, s, list, s, s), p, d));
        assertThat(n.path("decision").asText()).isEqualTo("deny");
        assertThat(n.path("time").asText()).isEqualTo(DecisionEntryTest.T.toString());
    }
}
