package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.core.ContentClassification;
import dev.clearance.core.Decision;
import dev.clearance.core.Request;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The content stage and the answer side through a real gateway and upstream, with a keyword classifier
 * standing in for the embedded one (the embedded one is tested the same way through {@code clearance
 * serve}). The example policy restricts {@code offensive-cyber*} to U.S. persons verified at IAL2:
 * chen (Chinese citizen) is restricted, alice (U.S. citizen, IAL2) is not.
 */
class ContentClassificationTest {
    static final Duration PATIENCE = Duration.ofSeconds(10);
    static final String CYBER_DIRECTIVE = "cap-offensive-cyber-verified-us-only";

    record Recorded(Request request, Decision decision, ContentClassification content) {}

    final KeywordClassifier classifier = new KeywordClassifier();
    final List<Recorded> log = new CopyOnWriteArrayList<>();
    GatewayFixture f;

    GatewayFixture start(boolean cutAnswers) throws Exception {
        DecisionRecorder recorder = new DecisionRecorder() {
            @Override
            public CompletableFuture<Void> record(
                    Request request, dev.clearance.core.Principal principal, Decision decision) {
                throw new AssertionError("the gateway records through the four-argument method");
            }

            @Override
            public CompletableFuture<Void> record(
                    Request request,
                    dev.clearance.core.Principal principal,
                    Decision decision,
                    ContentClassification content) {
                log.add(new Recorded(request, decision, content));
                return CompletableFuture.completedFuture(null);
            }
        };
        f = new GatewayFixture(recorder, ContentInspection.with(classifier, cutAnswers));
        return f;
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    static String chat(String model, boolean stream, String... turns) {
        StringBuilder b = new StringBuilder("{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[");
        b.append("{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"}");
        for (int i = 0; i < turns.length; i++) {
            b.append(",{\"role\":\"")
                    .append(i % 2 == 0 ? "user" : "assistant")
                    .append("\",\"content\":\"")
                    .append(turns[i])
                    .append("\"}");
        }
        return b.append("]}").toString();
    }

    @Test
    void a_restricted_caller_is_denied_by_content_without_any_capabilities_header() throws Exception {
        start(true);
        HttpResponse<String> r = f.post(
                "/v1/chat/completions",
                f.chenKey,
                chat("open-small", false, "I manage our fleet.", "Happy to help.", "Write a keylogger for it."));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("permission_error").contains(CYBER_DIRECTIVE);
        assertThat(f.upstream.received).isEmpty();
        Recorded d = log.get(0);
        assertThat(d.request().capabilities()).containsExactly("offensive-cyber");
        assertThat(d.content().findings())
                .singleElement()
                .satisfies(x -> assertThat(x.part()).isEqualTo("messages[3].content"));
    }

    @Test
    void a_model_alias_is_classified_decided_and_forwarded_as_its_catalogue_id() throws Exception {
        start(true);
        HttpResponse<String> denied =
                f.post("/v1/chat/completions", f.chenKey, chat("OPEN-Small", false, "Write a keylogger."));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(log.get(0).request().model()).isEqualTo("open-small");
        assertThat(log.get(0).request().capabilities()).containsExactly("offensive-cyber");
        assertThat(f.upstream.received).isEmpty();

        HttpResponse<String> allowed =
                f.post("/v1/chat/completions", f.chenKey, chat("library/open-small:latest", false, "Bake bread."));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(log.get(1).request().model()).isEqualTo("open-small");
        assertThat(log.get(1).content()).isNotNull();
        assertThat(f.upstream.next().body())
                .contains("\"model\":\"open-small\"")
                .contains("Bake bread.");
    }

    @Test
    void the_anthropic_api_is_classified_the_same_way() throws Exception {
        start(true);
        String body = "{\"model\":\"open-small\",\"max_tokens\":64,\"system\":\"Be brief.\",\"messages\":["
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Explain sarin dispersal.\"}]}]}";
        HttpResponse<String> r = f.post("/v1/messages", f.chenKey, body, "anthropic-version", "2023-06-01");
        // cbrn is not restricted by the example policy: found and recorded, but allowed.
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(log.get(0).request().capabilities()).containsExactly("cbrn");
        HttpResponse<String> denied = f.post(
                "/v1/messages",
                f.chenKey,
                body.replace("sarin dispersal", "ransomware encryption loops"),
                "anthropic-version",
                "2023-06-01");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("\"type\":\"error\"").contains("permission_error");
    }

    @Test
    void the_classifier_is_not_asked_about_a_caller_no_capability_directive_can_restrict() throws Exception {
        start(true);
        HttpResponse<String> r =
                f.post("/v1/chat/completions", f.aliceKey, chat("open-small", false, "Write a keylogger."));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(classifier.requests).hasValue(0);
        assertThat(classifier.checks).hasValue(0);
        assertThat(log.get(0).content()).isNull();
        assertThat(log.get(0).request().capabilities()).isEmpty();

        f.post("/v1/chat/completions", f.chenKey, chat("open-small", false, "Bake bread."));
        assertThat(classifier.requests).hasValue(1);
    }

    @Test
    void declared_capabilities_stay_honoured_and_compare_case_insensitively() throws Exception {
        start(true);
        HttpResponse<String> r = f.post(
                "/v1/chat/completions",
                f.chenKey,
                chat("open-small", false, "Bake bread."),
                "clearance-capabilities",
                "Offensive-Cyber, chat");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(log.get(0).request().capabilities()).containsExactly("offensive-cyber", "chat");
    }

    @Test
    void a_benign_request_passes_with_its_classification_recorded() throws Exception {
        start(true);
        HttpResponse<String> r = f.post(
                "/v1/chat/completions", f.chenKey, chat("open-small", false, "How do I detect malware on my laptop?"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(log.get(0).content().classifier()).isEqualTo("keywords");
        assertThat(log.get(0).content().findings()).isEmpty();
    }

    @Test
    void a_classification_that_could_not_read_everything_fails_closed_and_says_why() throws Exception {
        start(true);
        classifier.incomplete = true;
        HttpResponse<String> r =
                f.post("/v1/chat/completions", f.chenKey, chat("open-small", false, "A very long, harmless text."));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(log.get(0).decision().errors())
                .anySatisfy(e -> assertThat(e).contains("incomplete").contains("assumed present"));
        assertThat(log.get(0).content().assumed()).contains("offensive-cyber");
    }

    @Test
    void a_prompt_given_as_token_ids_cannot_be_read_and_fails_closed() throws Exception {
        start(true);
        HttpResponse<String> r =
                f.post("/v1/completions", f.chenKey, "{\"model\":\"open-small\",\"prompt\":[[101,2023,102]]}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(log.get(0).decision().errors()).anySatisfy(e -> assertThat(e).contains("token ids"));
        assertThat(f.post("/v1/completions", f.aliceKey, "{\"model\":\"open-small\",\"prompt\":[[101,2023,102]]}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void invalid_utf8_in_a_body_is_a_400_for_everyone() throws Exception {
        start(true);
        byte[] body = "{\"model\":\"open-small\",\"messages\":[{\"role\":\"user\",\"content\":\"x\u0001\"}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        body[body.length - 6] = (byte) 0xC3; // a lead byte followed by a quote: not UTF-8
        for (String key : List.of(f.aliceKey, f.chenKey)) {
            HttpResponse<String> r = f.http.send(
                    HttpRequest.newBuilder(f.api("/v1/chat/completions"))
                            .header("Authorization", "Bearer " + key)
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("invalid_request_error").contains("invalid_utf8");
        }
    }

    @Test
    void a_stream_that_drifts_into_offensive_cyber_is_cut_for_a_restricted_caller() throws Exception {
        start(true);
        List<String> pieces = new ArrayList<>(drift());
        for (int i = 0; i < 200; i++) {
            pieces.add("More steps follow. ");
        }
        f.upstream.streamText = pieces;
        f.upstream.interval = Duration.ofMillis(20); // still sending when the gateway cuts
        List<String> events = new ArrayList<>();
        try (SseReader stream = open(f.chenKey, chat("open-small", true, "Tell me about network admin."))) {
            for (String e = stream.next(PATIENCE); e != null; e = stream.next(PATIENCE)) {
                events.add(e);
            }
        }
        assertThat(String.join("\n", events)).contains("Network admins keep").doesNotContain("keylogger");
        assertThat(events.get(events.size() - 1))
                .startsWith("data: {\"error\"")
                .contains("clearance_denied")
                .contains(CYBER_DIRECTIVE);
        assertThat(f.upstream.peerClosed.await(10, TimeUnit.SECONDS))
                .as("the cut stream's upstream connection is closed")
                .isTrue();
        Recorded cut = log.get(log.size() - 1);
        assertThat(cut.decision().allowed()).isFalse();
        assertThat(cut.content().read()).isEqualTo(ContentClassification.Read.ANSWER);
        assertThat(cut.request().capabilities()).contains("offensive-cyber");
        assertThat(cut.decision().id()).isNotEqualTo(log.get(0).decision().id());
    }

    @Test
    void the_same_stream_reaches_an_unrestricted_caller_whole() throws Exception {
        start(true);
        f.upstream.streamText = drift();
        List<String> events = new ArrayList<>();
        try (SseReader stream = open(f.aliceKey, chat("open-small", true, "Tell me about network admin."))) {
            for (String e = stream.next(PATIENCE); e != null; e = stream.next(PATIENCE)) {
                events.add(e);
            }
        }
        assertThat(String.join("\n", events)).contains("keylogger");
        assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
        assertThat(classifier.checks).hasValue(0);
    }

    @Test
    void with_output_off_a_drifting_stream_is_not_cut() throws Exception {
        start(false);
        f.upstream.streamText = drift();
        List<String> events = new ArrayList<>();
        try (SseReader stream = open(f.chenKey, chat("open-small", true, "Tell me about network admin."))) {
            for (String e = stream.next(PATIENCE); e != null; e = stream.next(PATIENCE)) {
                events.add(e);
            }
        }
        assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
        assertThat(classifier.checks).hasValue(0);
    }

    @Test
    void an_anthropic_stream_is_cut_with_an_error_event() throws Exception {
        start(true);
        f.upstream.streamText = drift();
        String body = "{\"model\":\"open-small\",\"max_tokens\":64,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about network admin.\"}]}";
        List<String> events = new ArrayList<>();
        try (SseReader stream = open(f.chenKey, body, "/v1/messages", "anthropic-version", "2023-06-01")) {
            for (String e = stream.next(PATIENCE); e != null; e = stream.next(PATIENCE)) {
                events.add(e);
            }
        }
        assertThat(events.get(events.size() - 1)).startsWith("event: error").contains("permission_error");
        assertThat(String.join("\n", events)).doesNotContain("keylogger");
    }

    @Test
    void a_whole_answer_that_brings_in_a_restricted_capability_is_refused_and_recorded() throws Exception {
        start(true);
        f.upstream.replyText = "Sure. First, write a keylogger that hides from the task manager.";
        HttpResponse<String> r =
                f.post("/v1/chat/completions", f.chenKey, chat("open-small", false, "Tell me about network admin."));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("clearance_denied").doesNotContain("keylogger");
        assertThat(log).hasSize(2);
        assertThat(log.get(1).content().read()).isEqualTo(ContentClassification.Read.ANSWER);
        assertThat(f.post("/v1/chat/completions", f.aliceKey, chat("open-small", false, "Tell me."))
                        .body())
                .contains("keylogger");
    }

    @Test
    void a_stream_request_answered_whole_is_checked_like_a_whole_answer() throws Exception {
        start(true);
        f.upstream.replyText = "Sure. First, write a keylogger that hides from the task manager.";
        // An upstream that ignores "stream": true and answers with the whole completion.
        String body = chat("open-small", false, "Tell me about network admin.")
                .replace("\"stream\":false", "\"stream\":true");
        f.upstream.ignoreStream = true;
        HttpResponse<String> r = f.post("/v1/chat/completions", f.chenKey, body);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("clearance_denied").doesNotContain("keylogger");
    }

    @Test
    void the_admin_api_classifies_one_input_and_names_the_triggering_part() throws Exception {
        start(true);
        HttpResponse<String> r = f.admin(
                "POST",
                "/admin/v1/classify",
                "{\"id\":\"q1\",\"messages\":[{\"role\":\"system\",\"content\":\"hi\"},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a keylogger\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]}",
                "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .contains("\"id\":\"q1\"")
                .contains("\"capabilities\":[\"offensive-cyber\"]")
                .contains("\"part\":\"messages[1].content[0].text\"")
                .contains("\"kind\":\"image_url\"")
                .contains("\"scores\":{\"cbrn\":0.01,\"offensive-cyber\":0.99}");
        assertThat(f.admin("POST", "/admin/v1/classify", "{\"prompt\":1}", "application/json")
                        .statusCode())
                .isEqualTo(400);
        assertThat(f.adminAs("wrong", "POST", "/admin/v1/classify", "{\"prompt\":\"x\"}", "application/json")
                        .statusCode())
                .isEqualTo(401);
        assertThat(log).isEmpty();
    }

    /** Benign for several events, then offensive-cyber content. */
    static List<String> drift() {
        return List.of(
                "Network admins keep ",
                "an inventory of hosts. ",
                "They patch often. ",
                "Next, install a keylogger ",
                "on each host and hide it. ",
                "Then collect the passwords.");
    }

    private SseReader open(String key, String body) throws Exception {
        return open(key, body, "/v1/chat/completions");
    }

    private SseReader open(String key, String body, String path, String... headers) throws Exception {
        HttpResponse<InputStream> r =
                f.http.send(f.postRequest(path, key, body, headers), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        return new SseReader(r.body());
    }
}
