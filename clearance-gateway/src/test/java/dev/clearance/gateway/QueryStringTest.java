package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Query strings: only parameters an upstream is configured to take are forwarded; any other is refused. */
class QueryStringTest {
    static GatewaySettings.Upstream azure(List<String> queryAllow) {
        return new GatewaySettings.Upstream(
                "azure",
                java.net.URI.create("http://127.0.0.1:9"),
                List.of("*"),
                "",
                List.of(),
                true,
                null,
                queryAllow);
    }

    static JsonNode error(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body()).path("error");
    }

    @Test
    void by_default_a_call_with_any_query_parameter_is_refused_naming_it_and_reaches_nothing() throws Exception {
        try (GatewayFixture f = new GatewayFixture()) {
            HttpResponse<String> r =
                    f.post("/v1/chat/completions?model=frontier-x&api-version=1", f.chenKey, chat("open-small"));

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(error(r).path("code").asText()).isEqualTo("unsupported_query_parameter");
            assertThat(error(r).path("message").asText()).contains("'model'").contains("'lab'");
            HttpResponse<String> anthropic = f.post(
                    "/v1/messages?beta=true",
                    null,
                    GatewayFixture.message("open-small", false),
                    "x-api-key",
                    f.aliceKey);
            assertThat(anthropic.statusCode()).isEqualTo(400);
            assertThat(Json.mapper()
                            .readTree(anthropic.body())
                            .path("error")
                            .path("type")
                            .asText())
                    .isEqualTo("invalid_request_error");
            assertThat(f.upstream.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void an_allowed_parameter_is_forwarded_as_sent_and_any_other_beside_it_is_refused() throws Exception {
        try (GatewayFixture f = new GatewayFixture(
                GatewaySettings.GeoIp.NONE,
                DecisionRecorder.NONE,
                GatewayFixture.UPSTREAM_MODELS,
                List.of("api-version"))) {
            HttpResponse<String> ok =
                    f.post("/v1/chat/completions?api-version=2024-10-21", f.aliceKey, chat("open-small"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(f.upstream.next().path()).isEqualTo("/v1/chat/completions?api-version=2024-10-21");

            for (String query : List.of(
                    "api-version=1&model=frontier-x",
                    "api-version=1&%6Dodel=frontier-x",
                    "API-Version=1",
                    "api-version=1;model=frontier-x")) {
                HttpResponse<String> r = f.post("/v1/chat/completions?" + query, f.chenKey, chat("open-small"));
                assertThat(r.statusCode()).as(query).isEqualTo(400);
                assertThat(error(r).path("code").asText()).isEqualTo("unsupported_query_parameter");
            }
            assertThat(f.upstream.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void a_query_that_is_not_a_valid_uri_query_is_refused_even_when_its_names_are_allowed() {
        GatewaySettings.Upstream azure = azure(List.of("api-version"));
        for (String raw : List.of("api-version=%zz", "api-version=1 2", "api-version=\"x\"")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RouteCall.allowedQuery(raw, azure))
                    .as(raw)
                    .isInstanceOfSatisfying(
                            Rejection.class,
                            r -> assertThat(r.error().code()).isEqualTo("unsupported_query_parameter"));
        }
        assertThat(RouteCall.allowedQuery("api-version=2024-10-21&&", azure)).isEqualTo("api-version=2024-10-21&&");
    }

    @Test
    void an_upstream_cannot_be_configured_to_take_a_model_parameter() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> azure(List.of("api-version", "Model")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query_allow must not allow 'Model'");
    }
}
