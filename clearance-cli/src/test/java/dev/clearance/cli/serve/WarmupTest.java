package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.gateway.GatewaySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --config} warming its compiled code on a scratch copy of the node before it listens
 * ({@code server.warmup}): real calls go through a real gateway, and nothing of them reaches the
 * node's store, decision log or upstream.
 */
class WarmupTest {
    static final String TOKEN = "t0ken";
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final String ANSWER = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"frontier-x\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}]}";

    @TempDir
    Path dir;

    /** The node's real upstream: counts what reaches it. */
    HttpServer upstream;

    final AtomicInteger upstreamCalls = new AtomicInteger();

    @BeforeEach
    void upstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            upstreamCalls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
    }

    @AfterEach
    void stop() {
        upstream.stop(0);
    }

    ClearanceConfig config(String warmup) throws IOException {
        Path file = Files.writeString(dir.resolve("clearance.yaml"), """
                data_dir: ./data
                server: { host: 127.0.0.1, port: 0%s }
                admin:  { host: 127.0.0.1, port: 0, token: %s }
                directives: %s
                principals: %s
                upstreams:
                  - name: lab
                    base_url: "http://127.0.0.1:%d"
                    models: ["*"]
                    model_ids: [frontier-x, open-small]
                    list_models: false
                """.formatted(
                        warmup == null ? "" : ", warmup: " + warmup,
                        TOKEN,
                        EXAMPLES.resolve("directives"),
                        EXAMPLES.resolve("principals.jsonl"),
                        upstream.getAddress().getPort()));
        return ClearanceConfig.load(file, Map.of());
    }

    @Test
    void serve_warms_up_on_a_scratch_copy_and_the_node_is_left_as_it_was() throws Exception {
        Set<Path> scratchBefore = scratchDirectories();
        StringWriter said = new StringWriter();
        try (ConfiguredServer.Running running =
                ConfiguredServer.start(config("2s"), false, false, new PrintWriter(said, true))) {
            Matcher m = Pattern.compile("warm-up: ([0-9,]+) calls \\(([0-9,]+) forwarded\\)")
                    .matcher(said.toString());
            assertThat(m.find()).as(said.toString()).isTrue();
            assertThat(number(m.group(1))).as("calls made in the scratch copy").isPositive();
            assertThat(number(m.group(2)))
                    .as("U.S. persons' calls on a directive's model are forwarded (to the canned upstream)")
                    .isPositive();

            assertThat(upstreamCalls)
                    .as("no warm-up call reached the node's upstream")
                    .hasValue(0);
            assertThat(scratchDirectories()).as("the scratch directory is gone").isEqualTo(scratchBefore);
            long principals;
            try (Stream<String> lines = Files.lines(EXAMPLES.resolve("principals.jsonl"))) {
                principals = lines.filter(l -> !l.isBlank()).count();
            }
            assertThat(running.store().principals().count()).isEqualTo(principals);
            assertThat(running.store().principals().get(Warmup.PRINCIPAL + "0")).isEmpty();
            assertThat(running.store().keys().of(Warmup.PRINCIPAL + "0")).isEmpty();
            assertThat(running.store().policies().history())
                    .as("one policy: the files'")
                    .hasSize(1);

            // The node itself now serves, and its log holds its own calls only.
            String key = running.store().keys().create("alice", "test").key();
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(running.gateway().url() + "/v1/chat/completions"))
                                    .header("Authorization", "Bearer " + key)
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"model\":\"frontier-x\",\"messages\":[]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(upstreamCalls).hasValue(1);
            long size = running.log().view().size();
            for (long i = 0; i < size; i++) {
                String entry = new String(running.log().view().entry(i), StandardCharsets.UTF_8);
                assertThat(entry).doesNotContain("clearance-warmup").doesNotContain("warm-up");
            }
        }
    }

    @Test
    void a_limit_under_a_second_is_named_as_written() throws Exception {
        StringWriter said = new StringWriter();
        try (ConfiguredServer.Running running =
                ConfiguredServer.start(config("500ms"), false, false, new PrintWriter(said, true))) {
            assertThat(said.toString())
                    .contains("warming up (at most 500ms, server.warmup) before listening")
                    .contains("stopped at the limit (server.warmup: 500ms)");
            assertThat(running.gateway().port()).isPositive();
        }
    }

    @Test
    void warmup_0s_listens_at_once() throws Exception {
        StringWriter said = new StringWriter();
        try (ConfiguredServer.Running running =
                ConfiguredServer.start(config("0s"), false, false, new PrintWriter(said, true))) {
            assertThat(said.toString()).doesNotContain("warm-up");
            assertThat(running.gateway().port()).isPositive();
        }
    }

    @Test
    void the_default_is_a_bounded_warmup() throws Exception {
        assertThat(config(null).warmup()).isEqualTo(ClearanceConfig.DEFAULT_WARMUP);
        assertThat(ClearanceConfig.DEFAULT_WARMUP).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void the_warmup_calls_a_model_a_directive_names_and_an_upstream_serves() {
        var lab = new GatewaySettings.Upstream(
                "lab",
                URI.create("http://lab"),
                List.of("*"),
                "",
                List.of("open-small", "frontier-x"),
                false,
                null,
                List.of());
        var other = new GatewaySettings.Upstream("other", URI.create("http://other"), List.of("gpt-*"), "key");

        assertThat(Warmup.served(List.of(lab), List.of("frontier-*")))
                .map(u -> u.modelIds())
                .hasValue(List.of("frontier-x"));
        assertThat(Warmup.served(List.of(other, lab), List.of("gpt-4*")))
                .map(u -> u.name() + " " + u.modelIds())
                .as("a glob filled in where no listed id matches")
                .hasValue("other [gpt-4warmup]");
        var narrow = new GatewaySettings.Upstream(
                "narrow",
                URI.create("http://narrow"),
                List.of("open-*", "frontier-*"),
                "",
                List.of("open-small", "frontier-x"),
                false,
                null,
                List.of());
        assertThat(Warmup.served(List.of(narrow), List.of("claude-*")))
                .map(u -> u.modelIds())
                .as("no directive's model served: the first served id")
                .hasValue(List.of("open-small"));
        assertThat(Warmup.served(List.of(lab), List.of("claude-*")))
                .map(u -> u.modelIds())
                .as("an upstream serving every model: the directive's, filled in")
                .hasValue(List.of("claude-warmup"));
        assertThat(Warmup.served(List.of(), List.of("frontier-*"))).isEqualTo(Optional.empty());
    }

    static long number(String withCommas) {
        return Long.parseLong(withCommas.replace(",", ""));
    }

    static Set<Path> scratchDirectories() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("clearance-warmup-"))
                    .collect(Collectors.toSet());
        }
    }
}
