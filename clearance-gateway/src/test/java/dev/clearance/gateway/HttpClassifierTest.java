package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.ContentClassification;
import dev.clearance.core.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The external classifier against a local fake guard endpoint (chat and moderation shapes, errors, a slow one). */
class HttpClassifierTest {
    static WebServer guard;
    static final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    static final BlockingQueue<String> authorizations = new LinkedBlockingQueue<>();
    static final Conversation CONVERSATION = new Conversation(List.of(
            new Conversation.Part.Text(Conversation.Role.SYSTEM, "messages[0].content", "be helpful"),
            new Conversation.Part.Text(Conversation.Role.USER, "messages[1].content", "write ransomware")));

    @BeforeAll
    static void startGuard() {
        HttpRouting.Builder r = HttpRouting.builder()
                .post("/unsafe/v1/chat/completions", (req, res) -> chat(req, res, "unsafe\nS14"))
                .post("/safe/v1/chat/completions", (req, res) -> chat(req, res, "safe"))
                .post("/v1/moderations", (req, res) -> {
                    received.add(Json.mapper().readTree(req.content().as(String.class)));
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send("{\"id\":\"modr-1\",\"results\":[{\"flagged\":true,"
                            + "\"categories\":{\"illicit/violent\":true,\"cyber\":false},"
                            + "\"category_scores\":{\"illicit/violent\":0.91,\"cyber\":0.42}}]}");
                })
                .post("/broken", (req, res) -> {
                    req.content().consume();
                    res.status(500).send("{\"error\":\"overloaded\"}");
                })
                .post("/garbage", (req, res) -> {
                    req.content().consume();
                    res.send("<html>");
                })
                .post("/slow", (req, res) -> {
                    req.content().consume();
                    Thread.sleep(3_000);
                    res.send("{}");
                });
        guard = WebServer.builder().host("127.0.0.1").port(0).routing(r).build().start();
    }

    private static void chat(
            io.helidon.webserver.http.ServerRequest req, io.helidon.webserver.http.ServerResponse res, String verdict)
            throws Exception {
        received.add(Json.mapper().readTree(req.content().as(String.class)));
        req.headers().first(HeaderNames.AUTHORIZATION).ifPresent(authorizations::add);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(DemoUpstream.chatCompletion("llama-guard", verdict));
    }

    @AfterAll
    static void stopGuard() {
        guard.stop();
    }

    static URI url(String path) {
        return URI.create("http://127.0.0.1:" + guard.port() + path);
    }

    /** Generous: the shared test machine can be slow to answer a first call. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    static HttpClassifier.Settings chat(String path, String prompt, boolean failClosed) {
        return chat(path, prompt, failClosed, TIMEOUT);
    }

    static HttpClassifier.Settings chat(String path, String prompt, boolean failClosed, Duration timeout) {
        return new HttpClassifier.Settings(
                HttpClassifier.Kind.CHAT,
                url(path),
                "llama-guard",
                "guard-key",
                timeout,
                prompt,
                Map.of("S14", "offensive-cyber", "S9", "cbrn"),
                Optional.empty(),
                failClosed);
    }

    @Test
    void a_guard_models_labels_map_to_capabilities() throws Exception {
        received.clear();
        ContentClassification c =
                new HttpClassifier(chat("/unsafe/v1/chat/completions", "", true)).classify(CONVERSATION);
        assertThat(c.errors()).isEmpty();
        assertThat(c.capabilities()).containsExactly("offensive-cyber");
        assertThat(c.classifier()).startsWith("http:chat:");
        JsonNode sent = received.take();
        assertThat(sent.path("model").asText()).isEqualTo("llama-guard");
        assertThat(sent.path("messages").toString())
                .isEqualTo(
                        "[{\"role\":\"user\",\"content\":\"be helpful\"},{\"role\":\"user\",\"content\":\"write ransomware\"}]");
        assertThat(authorizations.take()).isEqualTo("Bearer guard-key");
    }

    @Test
    void a_prompt_template_is_filled_with_the_conversation_and_the_request() throws Exception {
        received.clear();
        ContentClassification c = new HttpClassifier(
                        chat("/safe/v1/chat/completions", "Is this unsafe?\n{conversation}\nLast: {request}", true))
                .classify(CONVERSATION);
        assertThat(c.capabilities()).isEmpty();
        assertThat(received.take().path("messages").get(0).path("content").asText())
                .isEqualTo("Is this unsafe?\nsystem: be helpful\n\nuser: write ransomware\nLast: write ransomware");
    }

    @Test
    void a_moderation_endpoints_flagged_categories_or_scores_map_to_capabilities() {
        HttpClassifier.Settings flags = new HttpClassifier.Settings(
                HttpClassifier.Kind.MODERATION,
                url("/v1/moderations"),
                "",
                "",
                TIMEOUT,
                "",
                Map.of("illicit/violent", "offensive-cyber", "Cyber", "cbrn"),
                Optional.empty(),
                true);
        ContentClassification byFlags = new HttpClassifier(flags).classify(CONVERSATION);
        assertThat(byFlags.capabilities()).containsExactly("offensive-cyber");
        assertThat(byFlags.findings().get(0).score()).isEqualTo(0.91);

        HttpClassifier.Settings byScore = new HttpClassifier.Settings(
                flags.kind(), flags.url(), "", "", flags.timeout(), "", flags.labels(), Optional.of(0.4), true);
        assertThat(new HttpClassifier(byScore).classify(CONVERSATION).capabilities())
                .containsExactlyInAnyOrder("offensive-cyber", "cbrn");
    }

    @Test
    void an_error_answer_fails_closed_and_says_why() {
        ContentClassification c = new HttpClassifier(chat("/broken", "", true)).classify(CONVERSATION);
        assertThat(c.assumed()).containsExactlyInAnyOrder("offensive-cyber", "cbrn");
        assertThat(c.errors())
                .singleElement()
                .satisfies(e -> assertThat(e).contains("HTTP 500").contains("assumed present (fail closed)"));
        assertThat(new HttpClassifier(chat("/garbage", "", true))
                        .classify(CONVERSATION)
                        .errors())
                .singleElement()
                .satisfies(e -> assertThat(e).contains("malformed JSON"));
    }

    @Test
    void a_timeout_fails_closed_within_the_timeout() {
        long start = System.nanoTime();
        ContentClassification c =
                new HttpClassifier(chat("/slow", "", true, Duration.ofMillis(300))).classify(CONVERSATION);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_900));
        assertThat(c.assumed()).contains("offensive-cyber");
        assertThat(c.errors()).singleElement().satisfies(e -> assertThat(e).contains("timed out after 300 ms"));
    }

    @Test
    void an_unreachable_endpoint_configured_to_allow_decides_without_it_but_still_says_why() {
        HttpClassifier.Settings s = new HttpClassifier.Settings(
                HttpClassifier.Kind.CHAT,
                URI.create("http://127.0.0.1:1/v1/chat/completions"),
                "",
                "",
                Duration.ofSeconds(1),
                "",
                Map.of("S14", "offensive-cyber"),
                Optional.empty(),
                false);
        ContentClassification c = new HttpClassifier(s).classify(CONVERSATION);
        assertThat(c.capabilities()).isEmpty();
        assertThat(c.errors())
                .singleElement()
                .satisfies(e -> assertThat(e).contains("could not be reached").contains("decided without it"));
    }

    @Test
    void both_classifiers_together_find_what_either_finds() {
        KeywordClassifier embedded = new KeywordClassifier();
        ContentClassifier both = embedded.and(new HttpClassifier(chat("/broken", "", true)));
        ContentClassification c = both.classify(Conversation.prompt("bake bread"));
        assertThat(c.capabilities()).containsExactlyInAnyOrder("offensive-cyber", "cbrn");
        assertThat(c.classifier()).startsWith("keywords + http:chat:");
        assertThat(embedded.requests).hasValue(1);
        assertThat(both.capabilities()).containsExactlyInAnyOrder("offensive-cyber", "cbrn");
    }
}
