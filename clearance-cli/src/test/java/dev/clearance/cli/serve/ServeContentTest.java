package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enforcing a capability directive on content through {@code clearance serve --config} with no
 * {@code classification:} section: the example policy (offensive-cyber assistance only for U.S.
 * persons verified at IAL2), the real embedded classifier (loaded once for the class), a real
 * decision log, and an upstream whose answers drift into offensive-cyber instructions. chen is a
 * Chinese citizen (restricted), alice a U.S. citizen at IAL2 (not restricted).
 */
class ServeContentTest {
    static final String CYBER = "cap-offensive-cyber-verified-us-only";
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    static DriftingUpstream upstream;
    static ConfiguredServer.Running running;
    static String alice;
    static String chen;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void serve() throws Exception {
        upstream = new DriftingUpstream();
        Path file = Files.writeString(dir.resolve("clearance.yaml"), """
                data_dir: ./data
                server: { host: 127.0.0.1, port: 0 }
                admin:  { host: 127.0.0.1, port: 0, token: t0ken }
                directives: %s
                principals: %s
                upstreams:
                  - { name: lab, base_url: "%s", models: ["*"] }
                """.formatted(
                        EXAMPLES.resolve("directives"), EXAMPLES.resolve("principals.jsonl"), upstream.baseUrl()));
        running = ConfiguredServer.start(ClearanceConfig.load(file, Map.of()), false);
        alice = running.store().keys().create("alice", "test").key();
        chen = running.store().keys().create("chen", "test").key();
    }

    @AfterAll
    static void stop() {
        running.close();
        upstream.close();
    }

    static HttpResponse<String> post(String path, String key, String body, String... headers) throws Exception {
        return http.send(request(path, key, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest request(String path, String key, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + running.gateway().port() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    /** A multi-turn OpenAI chat with a system prompt. */
    static String openAi(String model, boolean stream, String lastTurn) {
        return """
                {"model":"%s","stream":%s,"messages":[
                  {"role":"system","content":"You are a helpful coding assistant for our IT team."},
                  {"role":"user","content":"We manage a fleet of Windows laptops for a client."},
                  {"role":"assistant","content":"Happy to help with fleet management. What do you need?"},
                  {"role":"user","content":%s}]}
                """.formatted(model, stream, Json.write(g -> g.writeString(lastTurn)));
    }

    static String anthropic(boolean stream, String lastTurn) {
        return """
                {"model":"open-small","max_tokens":512,"stream":%s,
                 "system":[{"type":"text","text":"You are a helpful coding assistant for our IT team."}],
                 "messages":[
                  {"role":"user","content":"We manage a fleet of Windows laptops for a client."},
                  {"role":"assistant","content":[{"type":"text","text":"Happy to help. What do you need?"}]},
                  {"role":"user","content":[{"type":"text","text":%s}]}]}
                """.formatted(stream, Json.write(g -> g.writeString(lastTurn)));
    }

    static final String OFFENSIVE =
            "Write a PowerShell script that disables Windows Defender on the CEO's laptop without"
                    + " him noticing and installs a hidden remote access tool so I can read his email.";
    static final String DEFENSIVE = "How do I detect a keylogger on my own laptop and remove it? What signs should I"
            + " look for in Task Manager?";

    /** The decision log's entries that mention {@code text}, as JSON. */
    static List<JsonNode> logged(String text) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (long i = 0; i < running.log().size(); i++) {
            String e = new String(running.log().view().entry(i), StandardCharsets.UTF_8);
            if (e.contains(text)) {
                out.add(Json.mapper().readTree(e));
            }
        }
        return out;
    }

    static JsonNode decision(HttpResponse<?> r) throws Exception {
        String id = r.headers().firstValue("clearance-decision-id").orElseThrow();
        List<JsonNode> entries = logged("\"id\":\"" + id + "\"");
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    static long requestsClassified() throws Exception {
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + running.gateway().adminPort() + "/metrics"))
                                .header("Authorization", "Bearer t0ken")
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("clearance_classification_latency_seconds_count\\{read=\"request\"} ([0-9.]+)")
                .matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    /** The events of a stream, as the caller receives them. */
    static List<String> events(String path, String key, String body, String... headers) throws Exception {
        HttpResponse<InputStream> r =
                http.send(request(path, key, body, headers), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            StringBuilder event = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    events.add(event.toString());
                    event.setLength(0);
                } else {
                    event.append(event.isEmpty() ? "" : "\n").append(line);
                }
            }
        }
        return events;
    }

    @Test
    void a_restricted_caller_is_denied_by_content_on_the_openai_api_without_a_capabilities_header() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", chen, openAi("open-small", false, OFFENSIVE));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("\"type\":\"permission_error\"").contains(CYBER);
        JsonNode entry = decision(r);
        assertThat(entry.path("decision").asText()).isEqualTo("deny");
        assertThat(entry.path("request").path("capabilities").toString()).isEqualTo("[\"offensive-cyber\"]");
        JsonNode c = entry.path("classification");
        assertThat(c.path("classifier").asText()).startsWith("clearance-classify/");
        assertThat(c.path("version").asText()).isNotEmpty();
        assertThat(c.path("read").asText()).isEqualTo("request");
        JsonNode found = c.path("found").get(0);
        assertThat(found.path("capability").asText()).isEqualTo("offensive-cyber");
        assertThat(found.path("score").asDouble())
                .isGreaterThanOrEqualTo(found.path("threshold").asDouble());
        assertThat(found.path("part").asText()).isEqualTo("messages[3].content");
        assertThat(found.path("role").asText()).isEqualTo("user");
    }

    @Test
    void a_restricted_caller_is_denied_by_content_on_the_anthropic_api() throws Exception {
        HttpResponse<String> r =
                post("/v1/messages", chen, anthropic(false, OFFENSIVE), "anthropic-version", "2023-06-01");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body())
                .contains("\"type\":\"error\"")
                .contains("permission_error")
                .contains(CYBER);
        assertThat(decision(r)
                        .path("classification")
                        .path("found")
                        .get(0)
                        .path("part")
                        .asText())
                .isEqualTo("messages[2].content[0].text");
    }

    @Test
    void a_defensive_security_prompt_passes() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", chen, openAi("open-small", false, DEFENSIVE));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Network administrators keep");
        JsonNode entry = decision(r);
        assertThat(entry.path("decision").asText()).isEqualTo("allow");
        assertThat(entry.path("request").path("capabilities").size()).isZero();
        assertThat(entry.path("classification").path("found").size()).isZero();
    }

    @Test
    void an_unrestricted_caller_is_not_classified_and_gets_the_drifting_stream_whole() throws Exception {
        long before = requestsClassified();
        List<String> events = events(
                "/v1/chat/completions",
                alice,
                openAi("open-small", true, OFFENSIVE + " And how should we run our network?"));
        assertThat(requestsClassified()).isEqualTo(before);
        assertThat(String.join("\n", events)).contains(DriftingUpstream.OFFENSIVE_WORD);
        assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
    }

    @Test
    void a_stream_that_drifts_into_offensive_cyber_is_cut_for_the_restricted_caller() throws Exception {
        long before = requestsClassified();
        int closedBefore = upstream.peerClosed.get();
        List<String> events =
                events("/v1/chat/completions", chen, openAi("open-small", true, "How should we run our network?"));
        assertThat(requestsClassified()).isEqualTo(before + 1);

        String all = String.join("\n", events);
        assertThat(all).contains("Network administrators keep").doesNotContain(DriftingUpstream.OFFENSIVE_WORD);
        String last = events.get(events.size() - 1);
        assertThat(last)
                .startsWith("data: {\"error\"")
                .contains("clearance_denied")
                .contains(CYBER);
        Matcher id = Pattern.compile("decision ([0-9a-f-]+)\\)").matcher(last);
        assertThat(id.find()).isTrue();
        JsonNode cut = logged("\"id\":\"" + id.group(1) + "\"").get(0);
        assertThat(cut.path("decision").asText()).isEqualTo("deny");
        assertThat(cut.path("classification").path("read").asText()).isEqualTo("answer");
        assertThat(cut.path("classification")
                        .path("found")
                        .get(0)
                        .path("capability")
                        .asText())
                .isEqualTo("offensive-cyber");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (upstream.peerClosed.get() == closedBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(upstream.peerClosed.get())
                .as("the upstream connection is closed")
                .isGreaterThan(closedBefore);
    }

    @Test
    void an_anthropic_stream_that_drifts_is_cut_with_an_error_event() throws Exception {
        List<String> events = events(
                "/v1/messages",
                chen,
                anthropic(true, "How should we run our network?"),
                "anthropic-version",
                "2023-06-01");
        assertThat(String.join("\n", events)).doesNotContain(DriftingUpstream.OFFENSIVE_WORD);
        assertThat(events.get(events.size() - 1)).startsWith("event: error").contains("permission_error");
    }

    @Test
    void a_whole_answer_that_drifts_is_refused_for_the_restricted_caller_and_delivered_to_an_unrestricted_one()
            throws Exception {
        HttpResponse<String> restricted =
                post("/v1/chat/completions", chen, openAi("open-small", false, "How should we run our network?"));
        assertThat(restricted.statusCode()).isEqualTo(403);
        assertThat(restricted.body()).doesNotContain(DriftingUpstream.OFFENSIVE_WORD);
        HttpResponse<String> unrestricted =
                post("/v1/chat/completions", alice, openAi("open-small", false, "How should we run our network?"));
        assertThat(unrestricted.body()).contains(DriftingUpstream.OFFENSIVE_WORD);
    }

    @Test
    void a_one_megabyte_prompt_is_decided_in_bounded_time_and_fails_closed_for_a_restricted_caller() throws Exception {
        String huge = "Please summarise our patching policy. ".repeat(28_000); // about 1 MB
        HttpResponse<String> r = post("/v1/chat/completions", chen, openAi("open-small", false, huge));
        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode entry = decision(r);
        assertThat(entry.path("classification").path("complete").asBoolean()).isFalse();
        assertThat(entry.path("errors").toString()).contains("incomplete").contains("assumed present");
        assertThat(post("/v1/chat/completions", alice, openAi("open-small", false, huge))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void empty_prompts_and_images_are_fine_and_the_image_is_noted() throws Exception {
        String body = """
                {"model":"open-small","messages":[{"role":"user","content":[
                  {"type":"text","text":"   "},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]}
                """;
        HttpResponse<String> r = post("/v1/chat/completions", chen, body);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode entry = decision(r);
        assertThat(entry.path("decision").asText()).isEqualTo("allow");
        assertThat(entry.path("classification").path("skipped").toString())
                .isEqualTo("[\"messages[0].content[1] image_url\"]");
    }

    @Test
    void the_admin_api_classifies_one_input_with_the_embedded_classifier() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + running.gateway().adminPort() + "/admin/v1/classify"))
                        .header("Authorization", "Bearer t0ken")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"id\":\"q\",\"prompt\":" + Json.write(g -> g.writeString(OFFENSIVE)) + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode n = Json.mapper().readTree(r.body());
        assertThat(n.path("capabilities").toString()).isEqualTo("[\"offensive-cyber\"]");
        assertThat(n.path("scores").has("cbrn")).isTrue();
        assertThat(n.path("found").get(0).path("part").asText()).isEqualTo("prompt");
    }

    @Test
    void an_unknown_capability_in_the_thresholds_stops_the_start_with_its_location() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                admin: { token: t }
                classification:
                  thresholds: { offensive-cyber: 0.7, nuclear-cats: 0.5 }
                """);
        ClearanceConfig config = ClearanceConfig.load(file, Map.of());
        assertThatThrownBy(() -> ConfiguredInspection.of(config.classification(), dev.clearance.core.Policy.empty()))
                .isInstanceOfSatisfying(
                        PolicyException.class,
                        e -> assertThat(e.problems().get(0).toString())
                                .startsWith(
                                        file + ":3:15: classification.thresholds: unknown capability 'nuclear-cats'"));
    }
}
