package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clearance serve --demo}: the printed keys work, decisions follow the example directives, the upstream says it is a demo. */
class DemoTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    Path data;

    Demo demo;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        demo = Demo.start(EXAMPLES, data, "127.0.0.1", 0, 0, Duration.ZERO);
    }

    @AfterEach
    void stop() {
        demo.close();
    }

    HttpResponse<String> chat(String key, String model, boolean stream) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.gateway.port() + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + key)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_welcome_prints_a_working_key_per_example_person_and_copy_paste_commands() throws Exception {
        StringWriter text = new StringWriter();
        demo.printWelcome(new PrintWriter(text));

        assertThat(demo.callers)
                .extracting(Demo.Caller::principal)
                .contains("alice", "chen", "farah")
                .doesNotContain("acme-labs");
        assertThat(text.toString())
                .contains(demo.key("alice"))
                .contains(demo.key("chen"))
                .contains("DEMO")
                .contains("curl -s http://127.0.0.1:");
        assertThat(demo.gateway.policy().directives()).hasSize(4);
    }

    @Test
    void an_allowed_caller_gets_the_labelled_demo_answer_plain_and_streamed_and_a_foreign_national_is_refused()
            throws Exception {
        HttpResponse<String> alice = chat(demo.key("alice"), "frontier-x", false);
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(alice.body()).contains("[DEMO UPSTREAM");
        assertThat(alice.headers().firstValue("x-demo-upstream")).contains("true");

        HttpResponse<String> stream = chat(demo.key("alice"), "open-small", true);
        assertThat(stream.body()).contains("data: ").contains("DEMO UPSTREAM").endsWith("data: [DONE]\n\n");

        HttpResponse<String> chen = chat(demo.key("chen"), "frontier-x", false);
        assertThat(chen.statusCode()).isEqualTo(403);
        assertThat(chen.body()).contains("dir-2026-017-frontier-foreign-nationals");

        // The examples' four activations (steps on the record from the start), the node's proof that it put
        // the policy in force, then each answer, given only once its decision was durable in the decision log.
        List<String> entries = entries();
        assertThat(entries).hasSize(8).first().asString().contains("\"change\":\"lifecycle_step\"");
        assertThat(indexOf(entries, "\"change\":\"policy_applied\""))
                .as("before the answers")
                .isBetween(0, 4);
        String denied = entries.get(7);
        assertThat(denied)
                .contains(chen.headers().firstValue("clearance-decision-id").orElseThrow())
                .contains("\"decision\":\"deny\"")
                .contains("dir-2026-017-frontier-foreign-nationals");
    }

    @Test
    void a_directive_uploaded_through_the_admin_api_is_in_the_decision_log_before_the_decisions_it_governs()
            throws Exception {
        String directive = """
                id: demo-open-us-only
                title: Open models for U.S. persons only
                effective_from: 2020-01-01T00:00:00Z
                scope:
                  models: ["open-*"]
                applies_to: "!principal.us_person"
                """;
        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.gateway.adminPort()
                                + "/admin/v1/directives/demo-open-us-only"))
                        .header("Authorization", "Bearer " + demo.adminToken)
                        .header("content-type", "application/yaml")
                        .PUT(HttpRequest.BodyPublishers.ofString(directive))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(chat(demo.key("chen"), "open-small", false).statusCode()).isEqualTo(403);

        List<String> entries = entries();
        int change = indexOf(entries, "directive_uploaded");
        int decision = indexOf(entries, "\"decision\":\"deny\"");
        assertThat(change).isNotNegative().isLessThan(decision);
        assertThat(entries.get(change))
                .contains("demo-open-us-only")
                .contains(demo.gateway.policy().version());
        assertThat(entries.get(decision)).contains("demo-open-us-only");
        // The node's proof that it put the uploaded policy in force, after the upload.
        assertThat(entries.subList(change, entries.size()))
                .anySatisfy(e -> assertThat(e)
                        .contains("\"change\":\"policy_applied\"")
                        .contains(demo.gateway.policy().version()));
    }

    List<String> entries() throws java.io.IOException {
        List<String> out = new java.util.ArrayList<>();
        for (long i = 0; i < demo.recording.log.size(); i++) {
            out.add(new String(demo.recording.log.view().entry(i), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    static int indexOf(List<String> entries, String text) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
