package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static dev.clearance.gateway.GatewayFixture.chatStream;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Decision;
import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.Request;
import dev.clearance.store.DirectiveText;
import dev.clearance.store.StoredPolicy;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every allowed call in flight is re-decided on every change, whatever its phase: a call denied before
 * its answer has started gets the provider-shaped denial and never a byte from the upstream. The
 * upstream here holds its first byte until the test has made the change.
 */
class LiveCallsTest {
    static final String ALICE_NOW_FOREIGN =
            "{\"id\": \"alice\", \"kind\": \"person\", \"name\": \"Alice Walker\", \"citizenships\": [\"CN\"],"
                    + " \"residence_country\": \"US\"}";
    static final String FRONTIER_DIRECTIVE = "dir-2026-017-frontier-foreign-nationals";

    final List<Decision> recorded = new CopyOnWriteArrayList<>();
    volatile CompletableFuture<Void> durable = CompletableFuture.completedFuture(null);
    GatewayFixture f;

    void start() throws Exception {
        f = new GatewayFixture((request, principal, decision) -> {
            recorded.add(decision);
            return decision.allowed() ? durable : CompletableFuture.completedFuture(null);
        });
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    /** Sends a call the upstream receives but does not answer yet; returns once the upstream has it. */
    CompletableFuture<HttpResponse<String>> heldCall(String path, String key, String body, String... headers)
            throws Exception {
        f.upstream.holdHead();
        CompletableFuture<HttpResponse<String>> response =
                f.http.sendAsync(f.postRequest(path, key, body, headers), HttpResponse.BodyHandlers.ofString());
        f.upstream.next();
        return response;
    }

    static void assertDenied(HttpResponse<String> r, String directive) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode error = Json.mapper().readTree(r.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("permission_error");
        assertThat(error.path("message").asText()).contains(directive);
        assertThat(r.body()).doesNotContain("data:").doesNotContain("hello from the test upstream");
    }

    @Test
    void a_principal_changed_before_the_first_byte_stops_the_stream_with_the_denial() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> stream =
                heldCall("/v1/chat/completions", f.aliceKey, chatStream("frontier-x"));

        HttpResponse<String> put = f.admin("POST", "/admin/v1/principals", ALICE_NOW_FOREIGN, "application/json");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        HttpResponse<String> r = stream.get(5, TimeUnit.SECONDS); // before the upstream sent anything
        assertDenied(r, FRONTIER_DIRECTIVE);
        f.upstream.sendHead();
        assertThat(recorded)
                .extracting(d -> d.outcome() + " " + d.directives())
                .containsExactly("ALLOW []", "DENY [" + FRONTIER_DIRECTIVE + "]");
        assertThat(r.body()).contains(recorded.get(1).id());
    }

    @Test
    void a_principal_changed_before_the_first_byte_stops_a_whole_answer_too() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> call = heldCall("/v1/chat/completions", f.aliceKey, chat("frontier-x"));

        f.admin("POST", "/admin/v1/principals", ALICE_NOW_FOREIGN, "application/json");

        assertDenied(call.get(5, TimeUnit.SECONDS), FRONTIER_DIRECTIVE);
        f.upstream.sendHead();
    }

    @Test
    void an_anthropic_stream_stopped_before_its_first_byte_gets_the_anthropic_denial() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> stream = heldCall(
                "/v1/messages",
                null,
                GatewayFixture.message("frontier-x", true),
                "x-api-key",
                f.aliceKey,
                "anthropic-version",
                "2023-06-01");

        f.admin("POST", "/admin/v1/principals", ALICE_NOW_FOREIGN, "application/json");

        HttpResponse<String> r = stream.get(5, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("permission_error");
        f.upstream.sendHead();
    }

    @Test
    void a_directive_uploaded_before_the_first_byte_stops_the_stream() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> stream =
                heldCall("/v1/chat/completions", f.chenKey, chatStream("open-small"));

        f.admin(
                "PUT",
                "/admin/v1/directives/restrict-open-models",
                StreamingTest.RESTRICT_OPEN_MODELS,
                "application/yaml");

        assertDenied(stream.get(5, TimeUnit.SECONDS), "restrict-open-models");
        f.upstream.sendHead();
    }

    @Test
    void a_key_revoked_before_the_first_byte_stops_the_stream() throws Exception {
        start();
        var key = f.store.keys().create("alice", "test");
        CompletableFuture<HttpResponse<String>> stream =
                heldCall("/v1/chat/completions", key.key(), chatStream("open-small"));

        assertThat(f.admin("DELETE", "/admin/v1/keys/" + key.info().prefix(), null, null)
                        .statusCode())
                .isEqualTo(204);

        HttpResponse<String> r = stream.get(5, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("not a known principal").doesNotContain("data:");
        f.upstream.sendHead();
    }

    @Test
    void a_principal_changed_by_another_node_before_the_first_byte_stops_the_stream() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> stream =
                heldCall("/v1/chat/completions", f.aliceKey, chatStream("frontier-x"));

        f.store.principals().put(Json.principal(ALICE_NOW_FOREIGN), "other-node");

        assertDenied(stream.get(10, TimeUnit.SECONDS), FRONTIER_DIRECTIVE); // the change feed brings it
        f.upstream.sendHead();
    }

    @Test
    void a_directive_activated_by_another_node_before_the_first_byte_stops_the_stream() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> stream =
                heldCall("/v1/chat/completions", f.chenKey, chatStream("open-small"));

        // What another node or `clearance directives load` does: activate the next version in the store.
        List<Directive> next = new ArrayList<>(f.gateway.policy().directives());
        next.addAll(DirectiveParser.parse("other-node.yaml", StreamingTest.RESTRICT_OPEN_MODELS));
        Policy compiled = Policy.compile(next);
        f.store
                .policies()
                .activate(
                        f.store.policies().active().orElseThrow().number(),
                        compiled.directives().stream().map(DirectiveText::of).toList(),
                        compiled.version(),
                        "ann",
                        "Directive 2026-018");

        assertDenied(stream.get(10, TimeUnit.SECONDS), "restrict-open-models"); // the change feed brings it
        f.upstream.sendHead();
    }

    @Test
    void a_call_whose_answer_waits_for_its_record_is_stopped_by_a_change_meanwhile() throws Exception {
        start();
        durable = new CompletableFuture<>(); // accepted by the log, not yet durable
        CompletableFuture<HttpResponse<String>> call = f.http.sendAsync(
                f.postRequest("/v1/chat/completions", f.aliceKey, chat("frontier-x")),
                HttpResponse.BodyHandlers.ofString());
        f.upstream.next(); // the upstream has answered; the gateway holds the answer for the record

        f.admin("POST", "/admin/v1/principals", ALICE_NOW_FOREIGN, "application/json");
        durable.complete(null);

        assertDenied(call.get(5, TimeUnit.SECONDS), FRONTIER_DIRECTIVE);
    }

    @Test
    void a_call_registered_after_a_change_it_did_not_see_is_decided_again_at_once() throws Exception {
        start();
        Callers callers = new Callers(f.store);
        ActivePolicy policy = new ActivePolicy(ActivePolicy.Applied.of(StoredPolicy.active(f.store)));
        Enforcement enforcement = new Enforcement(DecisionRecorder.NONE, new GatewayMetrics(), Duration.ofSeconds(1));
        LiveCalls live = new LiveCalls(
                policy,
                callers,
                List.of(new ApiKeyAuthenticator(callers)),
                enforcement,
                new DecisionIds(Clock.systemUTC(), () -> new Random(1)),
                Clock.systemUTC());
        long seen = live.changes();
        Callers.Resolved asSeen = callers.resolve("alice"); // the call read its caller: a U.S. citizen
        Request request = new Request(
                "call-1", "alice", "frontier-x", List.of(), java.time.Instant.now(), "", "", "/v1/chat/completions");
        assertThat(enforcement
                        .decide(policy.current(), asSeen, request)
                        .decision()
                        .allowed())
                .isTrue();

        f.store.principals().put(Json.principal(ALICE_NOW_FOREIGN), "test"); // the change, before registration
        callers.forget();
        live.redecideAll(); // finds nothing registered yet

        GatewayCall call = GatewayCall.start(null, ApiStyle.OPENAI, "/v1/chat/completions", "call-1")
                .withIdentity(new Authenticator.Identity("alice", ClaimedFacts.NONE), seen, f.aliceKey)
                .withCaller(asSeen)
                .withRequest(request);
        LiveCalls.LiveCall registered = live.open(call);

        assertThat(registered.cutBy()).isNotNull();
        assertThat(registered.cutBy().directives()).containsExactly(FRONTIER_DIRECTIVE);
        assertThat(registered.release()).as("a cut call releases nothing").isFalse();
    }
}
