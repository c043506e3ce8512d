package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.decisionId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model reached under another spelling is the model: every alias of a restricted model is decided
 * as that model (or refused), and an allowed caller's body reaches the upstream with the catalogue id.
 * Real gateway, real upstream on loopback recording what it receives, real SQLite store.
 */
class ModelAliasTest {
    static final String MYTHOS_US_ONLY = """
            id: mythos-us-only
            title: Mythos 5 for U.S. persons only
            effective_from: 2020-01-01T00:00:00Z
            scope: {models: ["mythos-5"]}
            applies_to: "!principal.us_person"
            message: Mythos 5 is restricted to U.S. persons.
            """;

    /** The model field as JSON text (escapes as the caller wrote them), and what the gateway must answer chen. */
    record Alias(String json, int chenStatus) {}

    static final List<Alias> ALIASES = List.of(
            new Alias("\"MYTHOS-5\"", 403),
            new Alias("\"Mythos-5\"", 403),
            new Alias("\" mythos-5\"", 403),
            new Alias("\"library/mythos-5\"", 403),
            new Alias("\"mythos-5:latest\"", 403),
            new Alias("\"mythos\u20115\"", 403), // non-breaking hyphen, raw UTF-8
            new Alias("\"mythos\\u20115\"", 403), // the same, as a JSON escape
            new Alias("\"\uff4dythos-5\"", 403), // fullwidth m
            new Alias("\"\\u0000mythos-5\"", 400), // NUL
            new Alias("\"myth\\u200bos-5\"", 400)); // zero-width space

    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(
                GatewaySettings.GeoIp.NONE,
                DecisionRecorder.NONE,
                List.of("mythos-5", "frontier-x", "open-small", "Open-Small"),
                List.of());
        HttpResponse<String> put =
                f.admin("PUT", "/admin/v1/directives/mythos-us-only", MYTHOS_US_ONLY, "application/yaml");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    static String chatWith(String modelJson) {
        return "{\"model\":" + modelJson + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static JsonNode error(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body()).path("error");
    }

    @Test
    void no_alias_of_a_restricted_model_reaches_the_upstream_for_a_restricted_caller() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Alias a : ALIASES) {
            HttpResponse<String> r = f.post("/v1/chat/completions", f.chenKey, chatWith(a.json()));
            if (r.statusCode() != a.chenStatus()) {
                failures.add(a.json() + " -> " + r.statusCode() + " " + r.body());
            }
        }
        HttpResponse<String> stream =
                f.post("/v1/chat/completions", f.chenKey, "{\"model\":\"MYTHOS-5\",\"stream\":true,\"messages\":[]}");
        assertThat(stream.statusCode()).isEqualTo(403);
        assertThat(error(stream).path("message").asText()).contains("mythos-us-only");

        assertThat(failures).isEmpty();
        assertThat(f.upstream.received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void every_alias_of_an_allowed_model_reaches_the_upstream_as_the_catalogue_id_with_the_rest_of_the_body_unchanged()
            throws Exception {
        for (Alias a : ALIASES) {
            if (a.chenStatus() != 403) {
                continue;
            }
            String body = "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"h\\u00e9\"} ],\n  \"model\" : "
                    + a.json() + " , \"temperature\":0.5}";
            HttpResponse<String> r = f.post("/v1/chat/completions", f.aliceKey, body);
            assertThat(r.statusCode()).as(a.json() + ": " + r.body()).isEqualTo(200);
            assertThat(f.upstream.next().body())
                    .as(a.json())
                    .isEqualTo("{ \"messages\" : [ {\"role\":\"user\",\"content\":\"h\\u00e9\"} ],\n  \"model\" : "
                            + "\"mythos-5\" , \"temperature\":0.5}");
        }
        HttpResponse<String> exact = f.post("/v1/chat/completions", f.aliceKey, chatWith("\"mythos-5\""));
        assertThat(exact.statusCode()).isEqualTo(200);
        assertThat(f.upstream.next().body()).isEqualTo(chatWith("\"mythos-5\""));
    }

    @Test
    void a_key_that_an_upstream_could_read_as_model_is_refused() throws Exception {
        List<String> bodies = List.of(
                "{\"model\":\"open-small\",\"Model\":\"mythos-5\"}",
                "{\"Model\":\"mythos-5\",\"model\":\"open-small\"}",
                "{\"model\":\"open-small\",\"MODEL\":\"mythos-5\"}",
                "{\"model\":\"open-small\",\"\uff4dodel\":\"mythos-5\"}",
                "{\"model\":\"open-small\",\"Mod\\u0065l\":\"mythos-5\"}",
                "{\"model\":\"open-small\",\"Stream\":true}");
        for (String body : bodies) {
            HttpResponse<String> r = f.post("/v1/chat/completions", f.aliceKey, body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(error(r).path("code").asText()).as(body).isEqualTo("ambiguous_field");
            assertThat(error(r).path("type").asText()).isEqualTo("invalid_request_error");
        }
        HttpResponse<String> gptX =
                f.post("/v1/chat/completions", f.chenKey, "{\"model\":\"gpt-x\",\"Model\":\"mythos-5\"}");
        assertThat(gptX.statusCode()).isEqualTo(400);
        HttpResponse<String> twice = f.post(
                "/v1/chat/completions", f.aliceKey, "{\"model\":\"open-small\",\"stream\":false,\"stream\":true}");
        assertThat(error(twice).path("code").asText()).isEqualTo("duplicate_stream");
        assertThat(f.upstream.received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void a_name_no_upstream_serves_gets_a_provider_shaped_404_in_both_shapes() throws Exception {
        HttpResponse<String> openAi = f.post("/v1/chat/completions", f.aliceKey, chatWith("\"gpt-x\""));
        HttpResponse<String> anthropic = f.post(
                "/v1/messages",
                null,
                "{\"model\":\"MYTHOS-6\",\"max_tokens\":5,\"messages\":[]}",
                "x-api-key",
                f.aliceKey,
                "anthropic-version",
                "2023-06-01");

        assertThat(openAi.statusCode()).isEqualTo(404);
        assertThat(error(openAi).path("code").asText()).isEqualTo("model_not_found");
        assertThat(error(openAi).path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(anthropic.statusCode()).isEqualTo(404);
        JsonNode body = Json.mapper().readTree(anthropic.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("not_found_error");
        assertThat(decisionId(anthropic)).isPresent();
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void a_name_that_could_be_two_catalogue_ids_is_refused_as_ambiguous() throws Exception {
        // The upstream lists both "open-small" and "Open-Small": which one a caller means cannot be told.
        HttpResponse<String> r = f.post("/v1/chat/completions", f.aliceKey, chatWith("\"OPEN-SMALL\""));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("code").asText()).isEqualTo("ambiguous_model");
        assertThat(error(r).path("message").asText()).contains("'open-small'").contains("'Open-Small'");
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void the_model_list_holds_catalogue_ids_only_and_only_those_the_caller_may_use() throws Exception {
        HttpResponse<String> chen = f.get("/v1/models", "Authorization", "Bearer " + f.chenKey);
        HttpResponse<String> alice = f.get("/v1/models", "Authorization", "Bearer " + f.aliceKey);

        assertThat(ids(chen)).containsExactly("open-small", "Open-Small", "offline-model");
        assertThat(ids(alice)).containsExactly("mythos-5", "frontier-x", "open-small", "Open-Small", "offline-model");
    }

    private static List<String> ids(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Json.mapper()
                .readTree(r.body())
                .path("data")
                .forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }
}
