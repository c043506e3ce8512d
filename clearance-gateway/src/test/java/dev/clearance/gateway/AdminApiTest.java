package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminApiTest {
    static final String OPEN_FOR_US_ONLY_JSON = """
            {"id": "open-us-only", "title": "Open models for U.S. persons only",
             "effective_from": "2020-01-01T00:00:00Z", "scope": {"models": ["open-*"]},
             "applies_to": "!principal.us_person", "effect": "deny", "message": "U.S. persons only."}
            """;

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

    @Test
    void every_admin_call_without_the_right_token_gets_401_and_changes_nothing() throws Exception {
        String version = f.gateway.policy().version();
        for (String token : new String[] {
            null, "", "wrong", GatewayFixture.ADMIN_TOKEN + "x", GatewayFixture.ADMIN_TOKEN.substring(1)
        }) {
            assertThat(f.adminAs(token, "GET", "/admin/v1/policy", null, null).statusCode())
                    .isEqualTo(401);
            assertThat(f.adminAs(token, "GET", "/metrics", null, null).statusCode())
                    .isEqualTo(401);
            assertThat(f.adminAs(
                                    token,
                                    "DELETE",
                                    "/admin/v1/directives/dir-2026-017-frontier-foreign-nationals",
                                    null,
                                    null)
                            .statusCode())
                    .isEqualTo(401);
        }
        assertThat(f.gateway.policy().version()).isEqualTo(version);
        assertThat(f.admin("GET", "/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void an_unknown_admin_path_is_refused_401_without_the_token_and_404_with_it() throws Exception {
        assertThat(f.adminAs(null, "GET", "/admin/v1/nothing", null, null).statusCode())
                .isEqualTo(401);
        HttpResponse<String> r = f.admin("GET", "/admin/v1/nothing", null, null);
        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void the_log_tiles_need_the_token_by_default_and_a_gateway_without_a_log_has_none() throws Exception {
        assertThat(f.adminAs(null, "GET", "/log/checkpoint", null, null).statusCode())
                .isEqualTo(401);
        HttpResponse<String> r = f.admin("GET", "/log/checkpoint", null, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no /log/checkpoint in the decision log");
    }

    @Test
    void only_reads_of_tlog_tiles_paths_are_log_reads() {
        for (String path : List.of(
                "/log/checkpoint",
                "/log/tile/0/000",
                "/log/tile/3/x001/x234/067.p/7",
                "/log/tile/entries/x002/145.p/255")) {
            assertThat(LogService.isRead(io.helidon.http.Method.GET, path))
                    .as(path)
                    .isTrue();
        }
        for (String path : List.of(
                "/log/../admin/v1/policy",
                "/log/checkpoint/../../metrics",
                "/log/tile/0/000/",
                "/log//checkpoint",
                "/log/tile/entries/0",
                "/log/keys",
                "/admin/v1/log/checkpoint")) {
            assertThat(LogService.isRead(io.helidon.http.Method.GET, path))
                    .as(path)
                    .isFalse();
        }
        assertThat(LogService.isRead(io.helidon.http.Method.POST, "/log/checkpoint"))
                .isFalse();
    }

    @Test
    void a_missing_principal_or_directive_gets_404_naming_it() throws Exception {
        HttpResponse<String> principal = f.admin("DELETE", "/admin/v1/principals/nobody", null, null);
        HttpResponse<String> directive = f.admin("DELETE", "/admin/v1/directives/no-such-directive", null, null);

        assertThat(principal.statusCode()).isEqualTo(404);
        assertThat(json(principal).path("error").asText()).contains("'nobody'");
        assertThat(directive.statusCode()).isEqualTo(404);
        assertThat(json(directive).path("error").asText()).contains("'no-such-directive'");
    }

    @Test
    void the_admin_api_is_not_served_on_the_model_listener() throws Exception {
        assertThat(f.get("/admin/v1/policy", "Authorization", "Bearer " + GatewayFixture.ADMIN_TOKEN)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void a_principal_is_upserted_read_and_deleted_and_the_gateway_decides_with_the_new_facts_at_once()
            throws Exception {
        assertThat(f.post("/v1/chat/completions", f.chenKey, chat("frontier-x")).statusCode())
                .isEqualTo(403);

        String naturalised =
                "{\"id\": \"chen\", \"kind\": \"person\", \"name\": \"Chen Wei\", \"citizenships\": [\"US\"]}";
        HttpResponse<String> put = f.admin("POST", "/admin/v1/principals", naturalised, "application/json");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(f.post("/v1/chat/completions", f.chenKey, chat("frontier-x")).statusCode())
                .isEqualTo(200);

        HttpResponse<String> got = f.admin("GET", "/admin/v1/principals/chen", null, null);
        assertThat(json(got).path("citizenships").get(0).asText()).isEqualTo("US");

        assertThat(f.admin("DELETE", "/admin/v1/principals/chen", null, null).statusCode())
                .isEqualTo(204);
        assertThat(f.admin("GET", "/admin/v1/principals/chen", null, null).statusCode())
                .isEqualTo(404);
        HttpResponse<String> orphan = f.post("/v1/chat/completions", f.chenKey, chat("open-small"));
        assertThat(orphan.statusCode())
                .as("a key whose principal is gone is decided as unknown: denied")
                .isEqualTo(403);
        assertThat(json(orphan).path("error").path("message").asText()).contains("not a known principal");
    }

    @Test
    void an_invalid_principal_is_refused_with_the_field_named() throws Exception {
        HttpResponse<String> r = f.admin(
                "POST", "/admin/v1/principals", "{\"id\": \"x\", \"citizenships\": \"US\"}", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).contains("citizenships");
        assertThat(f.admin("GET", "/admin/v1/principals/x", null, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void a_key_is_issued_for_a_known_principal_works_at_once_and_is_revoked_by_its_prefix() throws Exception {
        HttpResponse<String> issued =
                f.admin("POST", "/admin/v1/keys", "{\"principal\": \"alice\"}", "application/json");
        assertThat(issued.statusCode()).isEqualTo(201);
        String key = json(issued).path("key").asText();
        String prefix = json(issued).path("prefix").asText();
        assertThat(key).startsWith("clr_" + prefix + "_");
        assertThat(f.post("/v1/chat/completions", key, chat("open-small")).statusCode())
                .isEqualTo(200);

        assertThat(f.admin("DELETE", "/admin/v1/keys/" + prefix, null, null).statusCode())
                .isEqualTo(204);
        assertThat(f.post("/v1/chat/completions", key, chat("open-small")).statusCode())
                .isEqualTo(401);
        assertThat(f.admin("DELETE", "/admin/v1/keys/clr_zzzzzzzz", null, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void a_key_for_an_unknown_principal_or_a_bad_body_is_refused() throws Exception {
        assertThat(f.admin("POST", "/admin/v1/keys", "{\"principal\": \"nobody\"}", "application/json")
                        .statusCode())
                .isEqualTo(404);
        assertThat(f.admin("POST", "/admin/v1/keys", "{\"who\": \"alice\"}", "application/json")
                        .statusCode())
                .isEqualTo(400);
        assertThat(f.admin("POST", "/admin/v1/keys", "{not json", "application/json")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void a_json_directive_is_enforced_on_the_next_request_and_withdrawing_it_restores_access() throws Exception {
        String before = f.gateway.policy().version();
        HttpResponse<String> put =
                f.admin("PUT", "/admin/v1/directives/open-us-only", OPEN_FOR_US_ONLY_JSON, "application/json");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(json(put).path("policy_version").asText())
                .isNotEqualTo(before)
                .isEqualTo(f.gateway.policy().version());
        assertThat(f.post("/v1/chat/completions", f.chenKey, chat("open-small")).statusCode())
                .isEqualTo(403);
        assertThat(activeDirectiveIds()).contains("open-us-only");

        assertThat(f.admin("DELETE", "/admin/v1/directives/open-us-only", null, null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(f.post("/v1/chat/completions", f.chenKey, chat("open-small")).statusCode())
                .isEqualTo(200);
        assertThat(f.gateway.policy().version()).isEqualTo(before);
        assertThat(f.admin("DELETE", "/admin/v1/directives/open-us-only", null, null)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void a_put_made_before_another_nodes_activation_reached_this_node_keeps_that_activation() throws Exception {
        // Another node (or the CLI) activates a directive; this node has probably not applied it yet.
        dev.clearance.store.PolicyVersion active = f.store.policies().active().orElseThrow();
        List<dev.clearance.core.Directive> elsewhere =
                new java.util.ArrayList<>(f.gateway.policy().directives());
        elsewhere.addAll(
                dev.clearance.core.DirectiveParser.parse("other-node.yaml", StreamingTest.RESTRICT_OPEN_MODELS));
        dev.clearance.core.Policy other = dev.clearance.core.Policy.compile(elsewhere);
        f.store
                .policies()
                .activate(
                        active.number(),
                        other.directives().stream()
                                .map(dev.clearance.store.DirectiveText::of)
                                .toList(),
                        other.version(),
                        "ben",
                        "on another node");

        HttpResponse<String> put =
                f.admin("PUT", "/admin/v1/directives/open-us-only", OPEN_FOR_US_ONLY_JSON, "application/json");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        List<String> inForce = f.store.policies().active().orElseThrow().directives().stream()
                .map(dev.clearance.store.DirectiveVersion::directiveId)
                .toList();
        assertThat(inForce)
                .contains("open-us-only")
                .containsAll(other.directives().stream()
                        .map(dev.clearance.core.Directive::id)
                        .toList());
        assertThat(f.gateway.policy().version())
                .isEqualTo(json(put).path("policy_version").asText());
    }

    @Test
    void an_invalid_directive_gets_400_with_a_located_error_and_the_active_policy_is_unchanged() throws Exception {
        String before = f.gateway.policy().version();
        String badCel = """
                id: broken
                title: Broken
                effective_from: 2020-01-01T00:00:00Z
                scope:
                  models: ["*"]
                applies_to: "principal.no_such_field == 1"
                """;
        String missingTitle =
                "id: broken\neffective_from: 2020-01-01T00:00:00Z\nscope: {models: ['*']}\napplies_to: 'true'\n";
        String wrongId = OPEN_FOR_US_ONLY_JSON;
        for (String body : List.of(badCel, missingTitle, "id: [unclosed", "")) {
            HttpResponse<String> r = f.admin("PUT", "/admin/v1/directives/broken", body, "application/yaml");
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(json(r).path("error").asText()).as(body).matches("directive broken:\\d+:\\d+: .+");
        }
        HttpResponse<String> mismatch = f.admin("PUT", "/admin/v1/directives/broken", wrongId, "application/json");
        assertThat(json(mismatch).path("error").asText()).contains("differs from the path's 'broken'");

        assertThat(f.gateway.policy().version()).isEqualTo(before);
        assertThat(activeDirectiveIds()).doesNotContain("broken", "open-us-only");
        assertThat(f.store.policies().active().orElseThrow().contentHash()).isEqualTo(before);
    }

    private List<String> activeDirectiveIds() {
        return f.store.policies().active().orElseThrow().directives().stream()
                .map(v -> v.directiveId())
                .toList();
    }

    @Test
    void the_policy_shows_the_active_version_and_directives() throws Exception {
        JsonNode policy = json(f.admin("GET", "/admin/v1/policy", null, null));
        assertThat(policy.path("version").asText()).isEqualTo(f.gateway.policy().version());
        assertThat(policy.path("directives").findValuesAsText("id"))
                .contains(
                        "dir-2026-017-frontier-foreign-nationals",
                        "cap-offensive-cyber-verified-us-only",
                        "ofac-comprehensive-locations");
    }

    @Test
    void decide_answers_with_the_decision_json_of_the_cli_one_line_per_request() throws Exception {
        String requests = """
                {"id": "r1", "principal": "alice", "model": "frontier-x"}
                {"id": "r2", "principal": "chen", "model": "frontier-x"}
                {"id": "r3", "principal": "nobody", "model": "open-small"}
                """;
        HttpResponse<String> r = f.admin("POST", "/admin/v1/decide", requests, "application/json");

        assertThat(r.statusCode()).isEqualTo(200);
        List<String> lines = r.body().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(Json.mapper().readTree(lines.get(0)).path("decision").asText())
                .isEqualTo("allow");
        JsonNode denied = Json.mapper().readTree(lines.get(1));
        assertThat(denied.path("id").asText()).isEqualTo("r2");
        assertThat(denied.path("decision").asText()).isEqualTo("deny");
        assertThat(denied.path("directives").get(0).asText()).isEqualTo("dir-2026-017-frontier-foreign-nationals");
        assertThat(denied.path("policy_version").asText())
                .isEqualTo(f.gateway.policy().version());
        assertThat(Json.mapper().readTree(lines.get(2)).path("decision").asText())
                .isEqualTo("deny");
    }

    @Test
    void decide_refuses_a_malformed_request_with_its_line() throws Exception {
        HttpResponse<String> r = f.admin(
                "POST",
                "/admin/v1/decide",
                "{\"principal\": \"alice\", \"model\": \"m\"}\n{\"principal\": 3}",
                "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).startsWith("request body:2:");
    }

    @Test
    void health_readiness_and_prometheus_metrics_are_served() throws Exception {
        f.post("/v1/chat/completions", f.aliceKey, chat("open-small"));
        f.post("/v1/chat/completions", f.chenKey, chat("frontier-x"));

        assertThat(json(f.admin("GET", "/health", null, null)).path("status").asText())
                .isEqualTo("UP");
        assertThat(json(f.admin("GET", "/ready", null, null))
                        .path("policy_version")
                        .asText())
                .isEqualTo(f.gateway.policy().version());
        HttpResponse<String> metrics = f.admin("GET", "/metrics", null, null);
        assertThat(metrics.headers().firstValue("content-type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("clearance_requests_total{endpoint=\"/v1/chat/completions\",status=\"200\"} 1.0")
                .contains("clearance_requests_total{endpoint=\"/v1/chat/completions\",status=\"403\"} 1.0")
                .contains(
                        "clearance_decisions_total{directive=\"dir-2026-017-frontier-foreign-nationals\",result=\"deny\"} 1.0")
                .contains("clearance_decisions_total{directive=\"\",result=\"allow\"} 1.0")
                .contains("clearance_shadow_hits_total{directive=\"proposed-remote-access-d5\"} 1.0")
                .contains("clearance_upstream_latency_seconds_count{upstream=\"lab\"} 1")
                .contains("clearance_active_streams 0.0");
    }
}
