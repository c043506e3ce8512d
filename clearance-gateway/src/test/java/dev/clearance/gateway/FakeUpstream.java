package dev.clearance.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A model server for tests, on a real loopback listener: it records every request it receives and
 * streams in the providers' shapes, either paced by an interval or one event per {@link #release()}.
 */
final class FakeUpstream implements AutoCloseable {
    /**
     * One request as the upstream saw it.
     *
     * @param clientCertificate the subject of the client certificate presented over TLS, empty for none
     */
    record Received(
            String method, String path, Map<String, List<String>> headers, String body, String clientCertificate) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : String.join(",", v);
        }
    }

    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** Reads of its model list (the gateway's catalogue), kept apart from the model calls. */
    final BlockingQueue<Received> modelLists = new LinkedBlockingQueue<>();
    /** Counts streams the upstream could not finish because its peer (the gateway) closed the connection. */
    final CountDownLatch peerClosed = new CountDownLatch(1);

    volatile List<String> models = List.of();
    volatile int streamWords = 5;
    volatile Duration interval = Duration.ZERO;
    private volatile Semaphore gate;
    private volatile CountDownLatch head;
    private final WebServer server;
    private final String scheme;

    FakeUpstream() {
        this(null);
    }

    /** An upstream serving {@code tls} (which may require client certificates); plain HTTP when null. */
    FakeUpstream(Tls tls) {
        HttpRouting.Builder routing = HttpRouting.builder();
        for (String path :
                List.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/responses", "/v1/messages")) {
            routing.post(path, (req, res) -> answer(req, res, path));
        }
        routing.get("/v1/models", (req, res) -> {
            modelLists.add(received(req, path(req), ""));
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(DemoUpstream.modelList(models, req.headers().contains(ProxyHeaders.ANTHROPIC_VERSION)));
        });
        var builder = WebServer.builder().host("127.0.0.1").port(0).routing(routing);
        if (tls != null) {
            builder.tls(tls);
        }
        server = builder.build().start();
        scheme = tls == null ? "http" : "https";
    }

    URI baseUrl() {
        return URI.create(scheme + "://127.0.0.1:" + server.port());
    }

    /** From now on each streamed event after the first waits for one {@link #release()}. */
    void gated() {
        gate = new Semaphore(0);
    }

    void release() {
        gate.release();
    }

    /** From now on the upstream sends nothing — not even its status line — until {@link #sendHead()}. */
    void holdHead() {
        head = new CountDownLatch(1);
    }

    void sendHead() {
        head.countDown();
    }

    Received next() throws InterruptedException {
        Received r = received.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the upstream received no request within 5 s");
        }
        return r;
    }

    private static String path(ServerRequest req) {
        return req.path().path();
    }

    private void record(ServerRequest req, String path, String body) {
        received.add(received(req, path, body));
    }

    private static Received received(ServerRequest req, String path, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        req.headers().stream()
                .forEach(h -> headers.computeIfAbsent(h.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .addAll(h.allValues()));
        String client = req.remotePeer()
                .tlsCertificates()
                .filter(chain -> chain.length > 0 && chain[0] instanceof X509Certificate)
                .map(chain ->
                        ((X509Certificate) chain[0]).getSubjectX500Principal().getName())
                .orElse("");
        String query = req.query().rawValue();
        return new Received(
                req.prologue().method().text(), query.isEmpty() ? path : path + "?" + query, headers, body, client);
    }

    private void answer(ServerRequest req, ServerResponse res, String path) throws IOException {
        String body = req.content().as(String.class);
        record(req, path, body);
        JsonNode json = Json.mapper().readTree(body);
        String model = json.path("model").asText();
        awaitHead();
        if (!json.path("stream").asBoolean(false)) {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.header("x-request-id", "upstream-req-1");
            res.header("clearance-decision-id", "forged-by-upstream");
            res.send(
                    switch (path) {
                        case "/v1/messages" -> DemoUpstream.anthropicMessage(model, "hello from the test upstream");
                        case "/v1/embeddings" -> DemoUpstream.embeddings(model);
                        case "/v1/completions" -> DemoUpstream.completion(model, "hello from the test upstream");
                        case "/v1/responses" -> DemoUpstream.response(model, "hello from the test upstream");
                        default -> DemoUpstream.chatCompletion(model, "hello from the test upstream");
                    });
            return;
        }
        List<String> words = new ArrayList<>();
        for (int i = 0; i < streamWords; i++) {
            words.add("w" + i + " ");
        }
        List<String> events = path.equals("/v1/messages")
                ? DemoUpstream.anthropicStream(model, words)
                : DemoUpstream.openAiStream(model, words);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        OutputStream out = res.outputStream();
        try {
            for (int i = 0; i < events.size(); i++) {
                if (i > 0) {
                    pause();
                }
                out.write(events.get(i).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.close();
        } catch (IOException | RuntimeException e) {
            // Helidon reports a write to a closed connection as an unchecked ServerConnectionException.
            peerClosed.countDown();
        }
    }

    private void awaitHead() {
        CountDownLatch h = head;
        try {
            if (h != null && !h.await(10, TimeUnit.SECONDS)) {
                throw new UncheckedIOException(new IOException("test never let the upstream answer"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(e));
        }
    }

    private void pause() {
        try {
            Semaphore g = gate;
            if (g != null) {
                if (!g.tryAcquire(10, TimeUnit.SECONDS)) {
                    throw new UncheckedIOException(new IOException("test never released the next event"));
                }
            } else if (!interval.isZero()) {
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
