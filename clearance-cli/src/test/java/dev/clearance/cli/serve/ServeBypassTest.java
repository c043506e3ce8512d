package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.gateway.DemoUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways around enforcement, tried against {@code serve --config} as an attacker would: the
 * configured store, the decision log and the gateway in front of a local upstream that lists
 * {@code mythos-5} among its models.
 */
class ServeBypassTest {
    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aliases_look_alike_keys_query_strings_and_oversized_names_never_reach_a_restricted_model() throws Exception {
        Files.writeString(dir.resolve("mythos.yaml"), """
                id: mythos-us-only
                title: Mythos 5 for U.S. persons only
                effective_from: 2020-01-01T00:00:00Z
                scope: {models: ["mythos-5"]}
                applies_to: "!principal.us_person"
                """);
        Files.writeString(dir.resolve("principals.jsonl"), """
                {"id": "alice", "name": "Alice Walker", "citizenships": ["US"]}
                {"id": "chen", "name": "Chen Wei", "citizenships": ["CN"]}
                """);
        try (var upstream = DemoUpstream.start("127.0.0.1", 0, List.of("mythos-5", "open-small"), Duration.ZERO)) {
            Path file = Files.writeString(dir.resolve("clearance.yaml"), """
                    data_dir: ./data
                    server: { host: 127.0.0.1, port: 0 }
                    admin:  { host: 127.0.0.1, port: 0, token: t0ken }
                    directives: ./mythos.yaml
                    principals: ./principals.jsonl
                    upstreams:
                      - { name: demo, base_url: "%s" }
                    """.formatted(upstream.baseUrl()));
            try (ConfiguredServer.Running running =
                    ConfiguredServer.start(ClearanceConfig.load(file, Map.of()), false)) {
                String chen = running.store().keys().create("chen", "test").key();
                String alice = running.store().keys().create("alice", "test").key();
                List<String> reached = new ArrayList<>();
                for (String model : List.of(
                        "\"MYTHOS-5\"",
                        "\"Mythos-5\"",
                        "\" mythos-5\"",
                        "\"library/mythos-5\"",
                        "\"\\u0000mythos-5\"",
                        "\"mythos\u20115\"",
                        "\"\uff4dythos-5\"")) {
                    HttpResponse<String> r = call(running, chen, "", "{\"model\":" + model + ",\"messages\":[]}");
                    if (r.statusCode() == 200 || r.body().contains("DEMO UPSTREAM")) {
                        reached.add(model);
                    }
                }
                HttpResponse<String> lookAlike =
                        call(running, chen, "", "{\"model\":\"gpt-x\",\"Model\":\"mythos-5\",\"messages\":[]}");
                HttpResponse<String> query =
                        call(running, chen, "?model=mythos-5&api-version=1", "{\"model\":\"open-small\"}");
                HttpResponse<String> huge =
                        call(running, chen, "", "{\"model\":\"" + "m".repeat(1 << 20) + "\",\"messages\":[]}");

                assertThat(reached).isEmpty();
                assertThat(lookAlike.statusCode()).isEqualTo(400);
                assertThat(query.statusCode()).isEqualTo(400);
                assertThat(query.body()).contains("'model'");
                assertThat(huge.statusCode()).isEqualTo(400);
                assertThat(huge.body()).contains("invalid_request_error");

                HttpResponse<String> allowed = call(running, alice, "", "{\"model\":\"MYTHOS-5\",\"messages\":[]}");
                assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
                assertThat(allowed.body()).contains("\"model\":\"mythos-5\"");
                assertThat(lastEntry(running))
                        .as("the decision on the record is about the catalogue id")
                        .contains("\"model\":\"mythos-5\"")
                        .doesNotContain("MYTHOS-5");

                HttpResponse<String> models = http.send(
                        HttpRequest.newBuilder(api(running, "/v1/models"))
                                .header("Authorization", "Bearer " + chen)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(models.body()).contains("\"open-small\"").doesNotContain("mythos");
            }
        }
    }

    private static URI api(ConfiguredServer.Running running, String path) {
        return URI.create("http://127.0.0.1:" + running.gateway().port() + path);
    }

    private HttpResponse<String> call(ConfiguredServer.Running running, String key, String query, String body)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(api(running, "/v1/chat/completions" + query))
                        .header("Authorization", "Bearer " + key)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String lastEntry(ConfiguredServer.Running running) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (running.log().size() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return new String(running.log().view().entry(running.log().size() - 1), StandardCharsets.UTF_8);
    }
}
