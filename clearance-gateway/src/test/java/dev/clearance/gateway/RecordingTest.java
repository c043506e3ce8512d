package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static dev.clearance.gateway.GatewayFixture.decisionId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.core.Decision;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordingTest {
    record Recorded(Request request, Principal principal, Decision decision) {}

    @Test
    void every_decision_is_recorded_with_its_context_under_the_id_the_caller_sees() throws Exception {
        List<Recorded> log = new CopyOnWriteArrayList<>();
        DecisionRecorder recorder = (request, principal, decision) -> {
            log.add(new Recorded(request, principal, decision));
            return CompletableFuture.completedFuture(null);
        };
        try (GatewayFixture f = new GatewayFixture(recorder)) {
            HttpResponse<String> allowed =
                    f.post("/v1/chat/completions", f.aliceKey, chat("frontier-x"), "clearance-capabilities", "chat");
            HttpResponse<String> denied =
                    f.post("/v1/messages", f.chenKey, GatewayFixture.message("frontier-x", false));

            assertThat(log).hasSize(2);
            Recorded a = log.get(0);
            assertThat(a.decision().id()).isEqualTo(decisionId(allowed).orElseThrow());
            assertThat(a.decision().allowed()).isTrue();
            assertThat(a.request().principal()).isEqualTo("alice");
            assertThat(a.request().model()).isEqualTo("frontier-x");
            assertThat(a.request().capabilities()).containsExactly("chat");
            assertThat(a.request().endpoint()).isEqualTo("/v1/chat/completions");
            assertThat(a.request().ip()).isEqualTo("127.0.0.1");
            assertThat(a.request().country()).isEmpty();
            assertThat(a.principal().citizenships()).containsExactly("US");
            Recorded d = log.get(1);
            assertThat(d.decision().id()).isEqualTo(decisionId(denied).orElseThrow());
            assertThat(d.decision().directives()).containsExactly("dir-2026-017-frontier-foreign-nationals");
            assertThat(d.request().endpoint()).isEqualTo("/v1/messages");
        }
    }

    @Test
    void an_allowed_call_whose_record_the_log_refuses_never_reaches_the_upstream_and_a_denial_stays_a_denial()
            throws Exception {
        DecisionRecorder broken =
                (request, principal, decision) -> CompletableFuture.failedFuture(new java.io.IOException("log closed"));
        try (GatewayFixture f = new GatewayFixture(broken)) {
            assertWithheld(f);
            assertThat(f.upstream.received.poll(300, TimeUnit.MILLISECONDS))
                    .as("a call whose record was not accepted is never forwarded")
                    .isNull();

            assertThat(f.post("/v1/chat/completions", f.chenKey, chat("frontier-x"))
                            .statusCode())
                    .isEqualTo(403);
        }
    }

    @Test
    void an_allowed_answer_is_withheld_when_its_accepted_record_never_becomes_durable() throws Exception {
        // Accepted (queued) at once, then the write fails: the call was forwarded, its answer must not be.
        DecisionRecorder failingLater = (request, principal, decision) -> CompletableFuture.runAsync(
                () -> {
                    throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
                },
                CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
        try (GatewayFixture f = new GatewayFixture(failingLater)) {
            f.upstream.interval = java.time.Duration.ofMillis(50);
            f.upstream.streamWords = 1000;
            assertWithheld(f);
            assertThat(f.upstream.peerClosed.await(10, TimeUnit.SECONDS))
                    .as("the withheld stream's upstream is closed")
                    .isTrue();
        }
    }

    /** Alice's plain call and her stream both answer 500 decision_not_recorded, with nothing from the upstream. */
    private static void assertWithheld(GatewayFixture f) throws Exception {
        HttpResponse<String> allowed = f.post("/v1/chat/completions", f.aliceKey, chat("open-small"));
        assertThat(allowed.statusCode()).isEqualTo(500);
        assertThat(allowed.body()).contains("decision_not_recorded").doesNotContain("hello from the test upstream");
        HttpResponse<String> stream =
                f.post("/v1/chat/completions", f.aliceKey, GatewayFixture.chatStream("open-small"));
        assertThat(stream.statusCode()).isEqualTo(500);
        assertThat(stream.body()).contains("decision_not_recorded").doesNotContain("data:");
    }

    @Test
    void a_stream_cut_is_recorded_as_a_denial() throws Exception {
        List<Recorded> log = new CopyOnWriteArrayList<>();
        DecisionRecorder recorder = (request, principal, decision) -> {
            log.add(new Recorded(request, principal, decision));
            return CompletableFuture.completedFuture(null);
        };
        try (GatewayFixture f = new GatewayFixture(recorder)) {
            f.upstream.interval = java.time.Duration.ofMillis(50);
            f.upstream.streamWords = 1000;
            var response = f.http.send(
                    f.postRequest("/v1/chat/completions", f.chenKey, GatewayFixture.chatStream("open-small")),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (SseReader stream = new SseReader(response.body())) {
                stream.next(java.time.Duration.ofSeconds(5));
                f.admin(
                        "PUT",
                        "/admin/v1/directives/restrict-open-models",
                        StreamingTest.RESTRICT_OPEN_MODELS,
                        "application/yaml");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (log.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(log).hasSize(2);
            assertThat(log.get(1).decision().allowed()).isFalse();
            assertThat(log.get(1).decision().directives()).containsExactly("restrict-open-models");
            assertThat(log.get(1).request().principal()).isEqualTo("chen");
        }
    }

    @Test
    void each_model_withheld_from_the_model_list_is_recorded_as_a_denial_under_the_id_the_caller_sees()
            throws Exception {
        List<Recorded> log = new CopyOnWriteArrayList<>();
        try (GatewayFixture f = new GatewayFixture(keeping(log))) {
            HttpResponse<String> alice = f.get("/v1/models", "Authorization", "Bearer " + f.aliceKey);
            assertThat(alice.statusCode()).isEqualTo(200);
            assertThat(log).as("a list that withholds nothing records nothing").isEmpty();

            HttpResponse<String> chen = f.get("/v1/models", "Authorization", "Bearer " + f.chenKey);

            assertThat(chen.statusCode()).isEqualTo(200);
            assertThat(chen.body()).doesNotContain("frontier-x");
            assertThat(log)
                    .extracting(r -> r.decision().id() + " " + r.request().model())
                    .containsExactly(
                            decisionId(chen).orElseThrow() + ".1 frontier-x",
                            decisionId(chen).orElseThrow() + ".2 frontier-y");
            assertThat(log).first().satisfies(r -> {
                assertThat(r.decision().id()).isEqualTo(decisionId(chen).orElseThrow() + ".1");
                assertThat(r.decision().allowed()).isFalse();
                assertThat(r.decision().directives()).containsExactly("dir-2026-017-frontier-foreign-nationals");
                assertThat(r.request().model()).isEqualTo("frontier-x");
                assertThat(r.request().endpoint()).isEqualTo("/v1/models");
                assertThat(r.principal().id()).isEqualTo("chen");
            });
        }
    }

    @Test
    void every_admin_decide_answer_is_recorded_and_an_allowed_one_is_withheld_when_its_record_fails() throws Exception {
        List<Recorded> log = new CopyOnWriteArrayList<>();
        try (GatewayFixture f = new GatewayFixture(keeping(log))) {
            HttpResponse<String> r = f.admin(
                    "POST",
                    "/admin/v1/decide",
                    "{\"id\":\"r1\",\"principal\":\"alice\",\"model\":\"frontier-x\"}\n"
                            + "{\"principal\":\"chen\",\"model\":\"frontier-x\"}",
                    "application/json");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(log).extracting(x -> x.decision().allowed()).containsExactly(true, false);
            assertThat(log.get(0).decision().id()).isEqualTo("r1");
            assertThat(log.get(1).decision().id())
                    .as("a request without an id gets a decision id")
                    .isNotBlank();
            assertThat(r.body()).contains(log.get(1).decision().id());
        }
        DecisionRecorder broken =
                (request, principal, decision) -> CompletableFuture.failedFuture(new java.io.IOException("disk full"));
        try (GatewayFixture f = new GatewayFixture(broken)) {
            HttpResponse<String> allowed =
                    f.admin("POST", "/admin/v1/decide", "{\"principal\":\"alice\",\"model\":\"frontier-x\"}", null);
            assertThat(allowed.statusCode()).isEqualTo(500);
            assertThat(allowed.body()).contains("could not be recorded").doesNotContain("\"allow\"");
        }
    }

    static DecisionRecorder keeping(List<Recorded> log) {
        return (request, principal, decision) -> {
            log.add(new Recorded(request, principal, decision));
            return CompletableFuture.completedFuture(null);
        };
    }

    @Test
    void a_directive_uploaded_or_withdrawn_through_the_admin_api_is_recorded_before_it_is_enforced() throws Exception {
        // The node may also see its own activation arrive on the store's change feed first and log it
        // as ACTIVATED: true, and not what this test is about.
        PolicyChanges recorder = new PolicyChanges(DecisionRecorder.PolicyChange.Kind.ACTIVATED);
        List<DecisionRecorder.PolicyChange> changes = recorder.changes;
        List<String> versionWhenRecorded = recorder.versionWhenRecorded;
        try (GatewayFixture f = new GatewayFixture(recorder)) {
            recorder.fixture = f;
            String before = f.gateway.policy().version();
            f.admin(
                    "PUT",
                    "/admin/v1/directives/restrict-open-models",
                    StreamingTest.RESTRICT_OPEN_MODELS,
                    "application/yaml");
            String after = f.gateway.policy().version();
            f.admin("DELETE", "/admin/v1/directives/restrict-open-models", null, null);

            assertThat(changes)
                    .extracting(DecisionRecorder.PolicyChange::kind)
                    .containsExactly(
                            DecisionRecorder.PolicyChange.Kind.UPLOADED, DecisionRecorder.PolicyChange.Kind.WITHDRAWN);
            assertThat(changes.get(0).directive()).isEqualTo("restrict-open-models");
            assertThat(changes.get(0).policyVersion()).isEqualTo(after);
            assertThat(changes.get(1).policyVersion()).isEqualTo(before);
            assertThat(versionWhenRecorded).containsExactly(before, after);
        }
    }

    @Test
    void a_policy_activated_elsewhere_is_recorded_with_who_and_why_before_this_node_enforces_it() throws Exception {
        PolicyChanges recorder = new PolicyChanges(null);
        List<DecisionRecorder.PolicyChange> changes = recorder.changes;
        List<String> versionWhenRecorded = recorder.versionWhenRecorded;
        try (GatewayFixture f = new GatewayFixture(recorder)) {
            recorder.fixture = f;
            String before = f.gateway.policy().version();
            // What `clearance directives load` or another node does: write a new active policy to the store.
            List<dev.clearance.core.Directive> next =
                    new java.util.ArrayList<>(f.gateway.policy().directives());
            next.addAll(dev.clearance.core.DirectiveParser.parse("cli.yaml", StreamingTest.RESTRICT_OPEN_MODELS));
            dev.clearance.core.Policy compiled = dev.clearance.core.Policy.compile(next);
            f.store
                    .policies()
                    .activate(
                            f.store.policies().active().orElseThrow().number(),
                            compiled.directives().stream()
                                    .map(dev.clearance.store.DirectiveText::of)
                                    .toList(),
                            compiled.version(),
                            "ann",
                            "Directive 2026-018");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!f.gateway.policy().version().equals(compiled.version()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(f.gateway.policy().version()).isEqualTo(compiled.version());
            assertThat(changes).singleElement().satisfies(c -> {
                assertThat(c.kind()).isEqualTo(DecisionRecorder.PolicyChange.Kind.ACTIVATED);
                assertThat(c.policyVersion()).isEqualTo(compiled.version());
                assertThat(c.by()).isEqualTo("ann");
                assertThat(c.why()).isEqualTo("Directive 2026-018");
            });
            assertThat(versionWhenRecorded).containsExactly(before);
        }
    }

    /** Keeps every policy change (but one ignored kind) and the policy in force when it was recorded. */
    static final class PolicyChanges implements DecisionRecorder {
        final List<PolicyChange> changes = new CopyOnWriteArrayList<>();
        final List<String> versionWhenRecorded = new CopyOnWriteArrayList<>();
        private final PolicyChange.Kind ignored;
        volatile GatewayFixture fixture;

        PolicyChanges(PolicyChange.Kind ignored) {
            this.ignored = ignored;
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> record(
                Request request, Principal principal, Decision decision) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> recordPolicyChange(PolicyChange change) {
            if (change.kind() != ignored) {
                changes.add(change);
                versionWhenRecorded.add(fixture.gateway.policy().version());
            }
            return CompletableFuture.completedFuture(null);
        }
    }
}
