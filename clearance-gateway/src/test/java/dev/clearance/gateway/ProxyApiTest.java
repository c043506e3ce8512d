package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static dev.clearance.gateway.GatewayFixture.decisionId;
import static dev.clearance.gateway.GatewayFixture.message;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyApiTest {
    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/responses"})
    void an_allowed_openai_call_reaches_the_upstream_unchanged_with_the_upstream_key_instead_of_the_callers(String path)
            throws Exception {
        String body = "{\"model\":\"frontier-x\",  \"input\": \"hi\", \"extra\":{\"kept\":[1,2,3]}}";
        HttpResponse<String> r =
                f.post(path, f.aliceKey, body, "openai-organization", "org-1", "clearance-capabilities", "chat");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(decisionId(r)).isPresent();
        FakeUpstream.Received seen = f.upstream.next();
        assertThat(seen.path()).isEqualTo(path);
        assertThat(seen.body()).isEqualTo(body);
        assertThat(seen.header("authorization")).isEqualTo("Bearer " + GatewayFixture.UPSTREAM_KEY);
        assertThat(seen.header("x-api-key")).isNull();
        assertThat(seen.header("openai-organization")).isEqualTo("org-1");
        assertThat(seen.header("clearance-capabilities")).isNull();
        assertThat(seen.headers().toString()).doesNotContain(f.aliceKey);
    }

    @Test
    void an_allowed_anthropic_call_sends_the_upstream_key_as_x_api_key_and_keeps_the_anthropic_headers()
            throws Exception {
        HttpResponse<String> r = f.post(
                "/v1/messages",
                null,
                message("frontier-x", false),
                "x-api-key",
                f.aliceKey,
                "anthropic-version",
                "2023-06-01",
                "anthropic-beta",
                "tools-2024");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("type").asText()).isEqualTo("message");
        FakeUpstream.Received seen = f.upstream.next();
        assertThat(seen.header("x-api-key")).isEqualTo(GatewayFixture.UPSTREAM_KEY);
        assertThat(seen.header("authorization")).isNull();
        assertThat(seen.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(seen.header("anthropic-beta")).isEqualTo("tools-2024");
    }

    @Test
    void the_upstream_answer_is_relayed_with_its_headers_but_the_decision_id_is_the_gateways() throws Exception {
        HttpResponse<String> r = f.post("/v1/chat/completions", f.aliceKey, chat("open-small"));

        assertThat(json(r).path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isEqualTo("hello from the test upstream");
        assertThat(r.headers().firstValue("x-request-id")).contains("upstream-req-1");
        assertThat(r.headers().allValues("clearance-decision-id")).hasSize(1).doesNotContain("forged-by-upstream");
    }

    @Test
    void a_denied_openai_call_gets_an_openai_shaped_403_naming_the_directive_and_never_reaches_the_upstream()
            throws Exception {
        HttpResponse<String> r = f.post("/v1/chat/completions", f.chenKey, chat("frontier-x"));

        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode error = json(r).path("error");
        assertThat(error.path("type").asText()).isEqualTo("permission_error");
        assertThat(error.path("code").asText()).isEqualTo("clearance_denied");
        assertThat(error.path("message").asText())
                .contains("dir-2026-017-frontier-foreign-nationals")
                .contains("restricted to U.S. persons")
                .contains(decisionId(r).orElseThrow());
        assertThat(f.upstream.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void a_denied_anthropic_call_gets_an_anthropic_permission_error() throws Exception {
        HttpResponse<String> r = f.post("/v1/messages", null, message("frontier-x", false), "x-api-key", f.chenKey);

        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode body = json(r);
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("permission_error");
        assertThat(body.path("error").path("message").asText()).contains("dir-2026-017-frontier-foreign-nationals");
        assertThat(decisionId(r)).isPresent();
        assertThat(f.upstream.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void a_license_holder_is_allowed_where_other_foreign_persons_are_denied() throws Exception {
        assertThat(f.post("/v1/chat/completions", f.farahKey, chat("frontier-x"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(f.post("/v1/chat/completions", f.farahKey, chat("frontier-y"))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void a_restricted_capability_from_the_capabilities_header_is_denied_while_the_model_stays_available()
            throws Exception {
        assertThat(f.post("/v1/chat/completions", f.chenKey, chat("open-small")).statusCode())
                .isEqualTo(200);
        HttpResponse<String> r = f.post(
                "/v1/chat/completions",
                f.chenKey,
                chat("open-small"),
                "clearance-capabilities",
                "chat, offensive-cyber.exploit");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("error").path("message").asText()).contains("cap-offensive-cyber-verified-us-only");
    }

    @Test
    void a_missing_or_unknown_key_gets_401_in_the_style_of_the_endpoint() throws Exception {
        HttpResponse<String> none = f.post("/v1/chat/completions", null, chat("open-small"));
        HttpResponse<String> unknown = f.post("/v1/messages", "clr_nothere_0000", message("open-small", false));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).path("error").path("code").asText()).isEqualTo("missing_api_key");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(json(unknown).path("error").path("type").asText()).isEqualTo("authentication_error");
        assertThat(decisionId(none)).isPresent();
        assertThat(decisionId(unknown)).isPresent();
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void bad_bodies_get_400_saying_what_and_where() throws Exception {
        record Case(String body, String code, String text) {}
        List<Case> cases = List.of(
                new Case("", "empty_body", "empty"),
                new Case("{\"model\": \"open-small\",\n  \"messages\": [}", "invalid_json", "line 2"),
                new Case("[1,2]", "invalid_json", "must be a JSON object"),
                new Case("{\"messages\":[]}", "missing_model", "\"model\" is required"),
                new Case("{\"model\":\"\"}", "missing_model", "\"model\" is required"),
                new Case("{\"model\":42}", "invalid_model", "must be a string"),
                new Case("{\"model\":\"open-small\",\"stream\":\"yes\"}", "invalid_stream", "must be a boolean"),
                new Case("{\"model\":\"open-small\",\"model\":\"frontier-x\"}", "duplicate_model", "appears twice"),
                new Case("{\"model\":\"open-small\"} {}", "invalid_json", "after the JSON object"));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            HttpResponse<String> r = f.post("/v1/chat/completions", f.aliceKey, c.body());
            JsonNode error = json(r).path("error");
            if (r.statusCode() != 400
                    || !error.path("code").asText().equals(c.code())
                    || !error.path("message").asText().contains(c.text())
                    || decisionId(r).isEmpty()) {
                failures.add(c.body() + " -> " + r.statusCode() + " " + r.body());
            }
        }
        assertThat(failures).isEmpty();
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void a_body_over_the_size_limit_is_refused_before_it_reaches_the_upstream() throws Exception {
        String huge = "{\"model\":\"open-small\",\"pad\":\"" + "x".repeat((int) Gateway.MAX_BODY_BYTES) + "\"}";
        try {
            HttpResponse<String> r = f.post("/v1/chat/completions", f.aliceKey, huge);
            assertThat(r.statusCode()).isEqualTo(413);
        } catch (java.io.IOException e) {
            // The server answers 413 from the declared length and closes; a client still writing the
            // body may see the close before the answer. Either way nothing may reach the upstream.
            assertThat(e).hasMessageContaining("header parser received no bytes");
        }
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void a_model_no_upstream_serves_gets_404_and_an_unreachable_upstream_gets_502() throws Exception {
        HttpResponse<String> unserved = f.post("/v1/chat/completions", f.aliceKey, chat("no-such-model"));
        HttpResponse<String> down = f.post("/v1/messages", f.aliceKey, message("offline-model", false));

        assertThat(unserved.statusCode()).isEqualTo(404);
        assertThat(json(unserved).path("error").path("code").asText()).isEqualTo("model_not_found");
        assertThat(down.statusCode()).isEqualTo(502);
        assertThat(json(down).path("error").path("type").asText()).isEqualTo("api_error");
        assertThat(json(down).path("error").path("message").asText()).contains("'down'");
        assertThat(decisionId(unserved)).isPresent();
        assertThat(decisionId(down)).isPresent();
    }

    @Test
    void an_unknown_path_gets_a_provider_shaped_404_with_a_decision_id() throws Exception {
        HttpResponse<String> r = f.post("/v1/nothing", f.aliceKey, chat("open-small"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo("unknown_endpoint");
        assertThat(decisionId(r)).isPresent();
    }

    @Test
    void the_model_list_shows_each_caller_only_the_models_they_may_use_now() throws Exception {
        HttpResponse<String> alice = f.get("/v1/models", "Authorization", "Bearer " + f.aliceKey);
        HttpResponse<String> chen = f.get("/v1/models", "Authorization", "Bearer " + f.chenKey);

        assertThat(ids(alice)).containsExactly("frontier-x", "frontier-y", "open-small", "offline-model");
        assertThat(ids(chen)).containsExactly("open-small", "offline-model");
        assertThat(json(chen).path("object").asText()).isEqualTo("list");
        assertThat(decisionId(chen)).isPresent();
        assertThat(f.upstream.modelLists.poll().header("authorization"))
                .isEqualTo("Bearer " + GatewayFixture.UPSTREAM_KEY);
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void the_anthropic_model_list_keeps_its_shape_and_its_first_and_last_ids_follow_the_filter() throws Exception {
        HttpResponse<String> chen = f.get("/v1/models", "x-api-key", f.chenKey, "anthropic-version", "2023-06-01");

        assertThat(ids(chen)).containsExactly("open-small", "offline-model");
        assertThat(json(chen).path("first_id").asText()).isEqualTo("open-small");
        assertThat(json(chen).path("last_id").asText()).isEqualTo("offline-model");
        assertThat(json(chen).path("data").get(0).path("type").asText()).isEqualTo("model");
    }

    @Test
    void a_revoked_key_is_refused_from_the_next_request_on() throws Exception {
        var key = f.store.keys().create("alice", "test");
        assertThat(f.post("/v1/chat/completions", key.key(), chat("open-small")).statusCode())
                .isEqualTo(200);

        assertThat(f.admin("DELETE", "/admin/v1/keys/" + key.info().prefix(), null, null)
                        .statusCode())
                .isEqualTo(204);

        assertThat(f.post("/v1/chat/completions", key.key(), chat("open-small")).statusCode())
                .isEqualTo(401);
        assertThat(f.post("/v1/chat/completions", f.aliceKey, chat("open-small"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void a_key_revoked_in_the_store_by_another_node_is_refused_within_a_second() throws Exception {
        var key = f.store.keys().create("alice", "test");
        assertThat(f.post("/v1/chat/completions", key.key(), chat("open-small")).statusCode())
                .isEqualTo(200);

        f.store.keys().revoke(key.info().prefix(), "other-node");

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        int status;
        do {
            Thread.sleep(50);
            status = f.post("/v1/chat/completions", key.key(), chat("open-small"))
                    .statusCode();
        } while (status != 401 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(401);
    }

    private static List<String> ids(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(r).path("data").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }
}
