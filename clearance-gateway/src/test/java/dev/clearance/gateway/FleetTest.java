package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import dev.clearance.store.FleetView;
import dev.clearance.store.PolicyApplication;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A node in a fleet: it refuses to serve a policy it cannot confirm and recovers by itself, it shows
 * every node and what each enforces, and it records each policy it applies, in its log and the store.
 */
class FleetTest {
    private static final FleetView.Thresholds QUICK =
            new FleetView.Thresholds(Duration.ofMillis(1500), Duration.ofMillis(2500));

    private static GatewaySettings.Node node(String name, boolean serveCached) {
        return new GatewaySettings.Node(name, Duration.ofMillis(500), serveCached, QUICK, "", "");
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    /** Waits (at most 15 s) until {@code condition} holds. */
    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.sleep(25);
        }
    }

    private static int status(ThrowingCall call) {
        try {
            return call.get().statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        HttpResponse<String> get() throws Exception;
    }

    @Test
    void a_node_that_cannot_confirm_its_policy_refuses_model_calls_and_recovers_by_itself() throws Exception {
        SeveredStore[] seen = new SeveredStore[1];
        try (GatewayFixture f =
                new GatewayFixture(node("gw-a", false), s -> seen[0] = new SeveredStore(s), DecisionRecorder.NONE)) {
            assertThat(f.post("/v1/chat/completions", f.aliceKey, chat("frontier-x"))
                            .statusCode())
                    .isEqualTo(200);

            seen[0].sever();
            eventually(
                    "a refusal",
                    () -> status(() -> f.post("/v1/chat/completions", f.aliceKey, chat("frontier-x"))) == 503);

            HttpResponse<String> openAi = f.post("/v1/chat/completions", f.aliceKey, chat("frontier-x"));
            assertThat(openAi.statusCode()).isEqualTo(503);
            assertThat(openAi.headers().firstValue("retry-after")).contains("2");
            assertThat(json(openAi).at("/error/code").asText()).isEqualTo("policy_unconfirmed");
            HttpResponse<String> anthropic = f.post(
                    "/v1/messages",
                    f.aliceKey,
                    GatewayFixture.message("frontier-x", false),
                    "anthropic-version",
                    "2023-06-01");
            assertThat(anthropic.statusCode()).isEqualTo(503);
            assertThat(json(anthropic).path("type").asText()).isEqualTo("error");
            assertThat(f.post("/v1/chat/completions", null, chat("frontier-x")).statusCode())
                    .as("refused before authentication: keys may have been revoked elsewhere")
                    .isEqualTo(503);
            HttpResponse<String> ready = f.admin("GET", "/ready", null, null);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(json(ready).path("status").asText()).isEqualTo("POLICY_UNCONFIRMED");
            assertThat(f.admin(
                                    "POST",
                                    "/admin/v1/decide",
                                    "{\"principal\":\"alice\",\"model\":\"frontier-x\"}",
                                    "application/json")
                            .statusCode())
                    .isEqualTo(503);

            seen[0].restore();
            eventually(
                    "serving again",
                    () -> status(() -> f.post("/v1/chat/completions", f.aliceKey, chat("frontier-x"))) == 200);
            assertThat(json(f.admin("GET", "/ready", null, null)).path("status").asText())
                    .isEqualTo("READY");
        }
    }

    @Test
    void under_serve_cached_an_unconfirmed_node_keeps_serving_and_says_so() throws Exception {
        SeveredStore[] seen = new SeveredStore[1];
        try (GatewayFixture f =
                new GatewayFixture(node("gw-a", true), s -> seen[0] = new SeveredStore(s), DecisionRecorder.NONE)) {
            seen[0].sever();

            eventually("reported unconfirmed", () -> {
                try {
                    return json(f.admin("GET", "/ready", null, null))
                            .path("status")
                            .asText()
                            .equals("SERVING_UNCONFIRMED");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(f.admin("GET", "/ready", null, null).statusCode()).isEqualTo(200);
            assertThat(f.post("/v1/chat/completions", f.aliceKey, chat("frontier-x"))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void the_fleet_view_lists_every_node_with_the_version_it_enforces_and_a_stopped_node_as_not_seen_since()
            throws Exception {
        try (GatewayFixture f = new GatewayFixture(node("gw-a", false), s -> s, DecisionRecorder.NONE)) {
            GatewayFixture.Node b = f.another(node("gw-b", false));
            String active = f.store.policies().active().orElseThrow().contentHash();

            eventually(
                    "both nodes have recorded their policy",
                    () -> f.store.fleet().nodes().stream()
                                    .filter(n -> n.applied().isPresent())
                                    .count()
                            == 2);
            JsonNode fleet = json(f.admin("GET", "/admin/v1/fleet", null, null));
            assertThat(fleet.path("policy_version").asText()).isEqualTo(active);
            assertThat(fleet.path("nodes")).hasSize(2);
            for (JsonNode n : fleet.path("nodes")) {
                assertThat(n.path("policy_version").asText()).isEqualTo(active);
                assertThat(n.path("applied_at").asText()).isNotEmpty();
                assertThat(n.path("status").asText()).isEqualTo("up");
            }

            b.close();
            // Closed: no more heartbeats, so this is when it was last seen.
            String lastSeen = f.store.fleet().nodes().get(1).lastSeen().toString();
            eventually("gw-b shown down", () -> {
                try {
                    return json(f.admin("GET", "/admin/v1/fleet", null, null))
                            .path("nodes")
                            .get(1)
                            .path("status")
                            .asText()
                            .equals("down");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            JsonNode after = json(f.admin("GET", "/admin/v1/fleet", null, null));
            assertThat(after.path("nodes").get(1).path("node").asText()).isEqualTo("gw-b");
            assertThat(after.path("nodes").get(1).path("last_seen").asText()).isEqualTo(lastSeen);
            assertThat(after.path("nodes").get(0).path("status").asText()).isEqualTo("up");
        }
    }

    @Test
    void each_policy_a_node_applies_is_written_to_its_log_and_then_to_the_store_with_the_log_size() throws Exception {
        List<DecisionRecorder.PolicyApplied> logged = new CopyOnWriteArrayList<>();
        AtomicLong size = new AtomicLong(40);
        DecisionRecorder recorder = new DecisionRecorder() {
            @Override
            public CompletionStage<Void> record(
                    dev.clearance.core.Request request,
                    dev.clearance.core.Principal principal,
                    dev.clearance.core.Decision decision) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Long> recordPolicyApplied(PolicyApplied applied) {
                logged.add(applied);
                return CompletableFuture.completedFuture(size.incrementAndGet());
            }
        };
        try (GatewayFixture f = new GatewayFixture(node("gw-a", false), s -> s, recorder)) {
            f.admin(
                    "PUT",
                    "/admin/v1/directives/restrict-open-models",
                    StreamingTest.RESTRICT_OPEN_MODELS,
                    "application/yaml");

            eventually(
                    "two applications in the store",
                    () -> f.store.fleet().applications("gw-a").size() == 2);
            List<PolicyApplication> applied = f.store.fleet().applications("gw-a");
            assertThat(applied).extracting(PolicyApplication::policyNumber).containsExactly(1L, 2L);
            assertThat(applied).extracting(PolicyApplication::logSize).containsExactly(41L, 42L);
            assertThat(logged)
                    .extracting(DecisionRecorder.PolicyApplied::policyVersion)
                    .containsExactly(
                            f.store.policies().get(1).orElseThrow().contentHash(),
                            f.gateway.policy().version());
            assertThat(logged).allSatisfy(a -> assertThat(a.node()).isEqualTo("gw-a"));
            assertThat(f.store.fleet().nodes())
                    .singleElement()
                    .satisfies(n ->
                            assertThat(n.applied().orElseThrow().policyNumber()).isEqualTo(2));

            eventually("the fleet gauge", () -> {
                try {
                    return f.admin("GET", "/metrics", null, null)
                            .body()
                            .contains("clearance_fleet_nodes{status=\"up\"} 1.0");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String metrics = f.admin("GET", "/metrics", null, null).body();
            assertThat(metrics).contains("clearance_policy_propagation_seconds_count 1\n");
            assertThat(metrics).contains("clearance_policy_confirmation_age_seconds");
        }
    }
}
