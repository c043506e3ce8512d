package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.cli.CliRun;
import dev.clearance.cli.config.ClearanceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Screening reaches live decisions: a principal whose name is on an imported OFAC list is denied by
 * a directive on {@code principal.screening}, through the real gateway, store and screening registry.
 */
class ServeScreeningTest {
    @TempDir
    Path dir;

    @Test
    void a_listed_party_is_denied_by_a_screening_directive_and_a_clear_one_is_not() throws Exception {
        Path lists = Files.createDirectories(dir.resolve("ofac"));
        Files.writeString(
                lists.resolve("sdn.csv"),
                "306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'BNC'.\"\r\n"
                        + "26233,\"KHUSYAYNOVA, Elena Alekseevna\",\"individual\",\"CYBER2\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 17 Feb 1974\"\r\n");
        Files.writeString(lists.resolve("alt.csv"), "");
        Files.writeString(lists.resolve("add.csv"), "");
        Files.writeString(dir.resolve("listed.yaml"), """
                id: restricted-parties
                title: No access for listed or potentially listed parties
                effective_from: 2026-01-01T00:00:00Z
                scope: {models: ["*"]}
                applies_to: principal.screening.status in ['potential_match', 'confirmed_match']
                """);
        Files.writeString(dir.resolve("principals.jsonl"), """
                {"id": "elena", "name": "Elena Alekseevna Khusyaynova", "citizenships": ["RU"]}
                {"id": "olga", "name": "Olga Petrova", "citizenships": ["RU"]}
                """);
        try (var upstream =
                dev.clearance.gateway.DemoUpstream.start("127.0.0.1", 0, List.of("open-small"), Duration.ZERO)) {
            Path file = Files.writeString(dir.resolve("clearance.yaml"), """
                    data_dir: ./data
                    server: { host: 127.0.0.1, port: 0 }
                    admin:  { host: 127.0.0.1, port: 0, token: t0ken }
                    directives: ./listed.yaml
                    principals: ./principals.jsonl
                    upstreams:
                      - { name: demo, base_url: "%s", models: ["*"] }
                    """.formatted(upstream.baseUrl()));
            try (ConfiguredServer.Running running =
                    ConfiguredServer.start(ClearanceConfig.load(file, Map.of()), false)) {
                CliRun imported =
                        CliRun.of("screening", "import", "--config", file.toString(), "--list", "ofac-sdn=" + lists);
                assertThat(imported.exitCode()).as(imported.err()).isZero();
                String elena = running.store().keys().create("elena", "test").key();
                String olga = running.store().keys().create("olga", "test").key();

                // The import re-screens in this process's store; the gateway learns of it through the change feed.
                Instant deadline = Instant.now().plusSeconds(10);
                HttpResponse<String> denied = call(running, elena);
                while (denied.statusCode() != 403 && Instant.now().isBefore(deadline)) {
                    Thread.sleep(100);
                    denied = call(running, elena);
                }
                assertThat(denied.statusCode()).as(denied.body()).isEqualTo(403);
                assertThat(denied.body()).contains("restricted-parties");
                HttpResponse<String> allowed = call(running, olga);
                assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
                assertThat(allowed.body()).contains("DEMO UPSTREAM");

                // A reviewer confirms the match from another process; the verdict reaches the decision log.
                CliRun reviewed = CliRun.of(
                        "screening",
                        "review",
                        "elena",
                        "--config",
                        file.toString(),
                        "--list",
                        "SDN",
                        "--entity",
                        "26233",
                        "--verdict",
                        "confirmed",
                        "--reason",
                        "same date of birth and passport",
                        "--by",
                        "rita");
                assertThat(reviewed.exitCode())
                        .as(reviewed.out() + reviewed.err())
                        .isZero();
                deadline = Instant.now().plusSeconds(10);
                while (!logHas(running, "{\"review\":\"confirmed\",")
                        && Instant.now().isBefore(deadline)) {
                    Thread.sleep(100);
                }
                assertThat(logHas(running, "{\"review\":\"confirmed\",")).isTrue();
                assertThat(logHas(
                                running,
                                "\"by\":\"rita\",\"why\":\"same date of birth and passport\",\"principal\":\"elena\","
                                        + "\"list\":\"SDN\",\"entity\":\"26233\",\"entry_hash\":\""))
                        .isTrue();
                assertThat(logHas(running, "\"change\":\"screening_review\"")).isFalse();
            }
        }
    }

    private static boolean logHas(ConfiguredServer.Running running, String text) throws java.io.IOException {
        for (long i = 0; i < running.log().size(); i++) {
            if (new String(running.log().view().entry(i), java.nio.charset.StandardCharsets.UTF_8).contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponse<String> call(ConfiguredServer.Running running, String key) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + running.gateway().port() + "/v1/chat/completions"))
                                .header("Authorization", "Bearer " + key)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"open-small\",\"messages\":[]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
