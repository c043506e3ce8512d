package dev.clearance.cli.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One gateway node as its own JVM: {@code clearance serve --config FILE}, exactly as an operator runs it,
 * on the test's class path. Its ports come from the banner it prints; its log goes to a file beside its
 * configuration. {@link #kill} is {@code kill -9}.
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern BANNER =
            Pattern.compile("clearance gateway on https?://[^:]+:(\\d+), admin API on https?://[^:]+:(\\d+)");
    private static final Duration START = Duration.ofSeconds(90);

    final String name;
    private final Path config;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private Process process;
    private int port;
    private int adminPort;
    private int starts;

    private NodeProcess(String name, Path config, String token) {
        this.name = name;
        this.config = config;
        this.token = token;
    }

    /** Launches the node; {@link #awaitStarted} waits for it. */
    static NodeProcess launch(String name, Path config, String token) throws IOException {
        NodeProcess n = new NodeProcess(name, config, token);
        n.launch();
        return n;
    }

    private CompletableFuture<int[]> started;

    private void launch() throws IOException {
        starts++;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path")));
        String flags = System.getProperty("clearance.fleet.jvm", "-XX:TieredStopAtLevel=1");
        if (!flags.isBlank()) {
            command.addAll(List.of(flags.trim().split("\\s+")));
        }
        command.addAll(List.of("dev.clearance.cli.Main", "serve", "--config", config.toString()));
        process = new ProcessBuilder(command)
                .directory(config.getParent().toFile())
                .redirectError(
                        config.resolveSibling(name + "-" + starts + ".log").toFile())
                .start();
        CompletableFuture<int[]> ports = new CompletableFuture<>();
        started = ports;
        Process p = process;
        Thread.ofPlatform().daemon().name(name + "-stdout").start(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = BANNER.matcher(line);
                    if (m.find()) {
                        ports.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                    }
                }
            } catch (IOException e) {
                // The node died; awaitStarted reports it.
            }
            ports.completeExceptionally(new IllegalStateException(name + " exited before it started serving"));
        });
    }

    /** Waits until the node prints its banner (it is serving), failing with its log's location if it does not. */
    NodeProcess awaitStarted() throws Exception {
        try {
            int[] ports = started.get(START.toSeconds(), TimeUnit.SECONDS);
            port = ports[0];
            adminPort = ports[1];
            return this;
        } catch (Exception e) {
            throw new IllegalStateException(
                    name + " did not start within " + START + "; see "
                            + config.resolveSibling(name + "-" + starts + ".log"),
                    e);
        }
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts the node again with the same configuration and data directory. */
    NodeProcess restart() throws Exception {
        launch();
        return awaitStarted();
    }

    HttpResponse<String> chat(String key, String model) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + key)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a chat call, or -1 when the node does not answer at all. */
    int chatStatus(String key, String model) throws InterruptedException {
        try {
            return chat(key, model).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    HttpResponse<String> admin(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy(); // a clean stop: the shutdown hook closes the log and the store
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
