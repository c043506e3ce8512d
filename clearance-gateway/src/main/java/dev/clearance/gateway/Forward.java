package dev.clearance.gateway;

import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage: sends an allowed call to the upstream serving its model and relays the answer.
 * Plain responses are relayed whole; event streams are relayed event by event, each flushed as it
 * arrives, and registered with {@link LiveStreams} so a policy change can cut them.
 */
final class Forward implements Pipeline.Stage {
    private static final Logger LOG = LoggerFactory.getLogger(Forward.class);
    private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(10);

    private final GatewaySettings settings;
    private final UpstreamClients clients;
    private final LiveStreams streams;
    private final GatewayMetrics metrics;

    Forward(GatewaySettings settings, UpstreamClients clients, LiveStreams streams, GatewayMetrics metrics) {
        this.settings = settings;
        this.clients = clients;
        this.streams = streams;
        this.metrics = metrics;
    }

    @Override
    public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
        String model = call.body().model();
        GatewaySettings.Upstream upstream = settings.upstreamFor(model).orElseThrow(() -> new Rejection(
                GatewayError.Kind.NOT_FOUND, "model_not_found", "no upstream serves model '" + model + "'"));
        HttpRequest request = upstreamRequest(call, upstream);
        long start = System.nanoTime();
        if (call.body().stream()) {
            HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream(), upstream);
            metrics.upstreamLatency(upstream.name(), Duration.ofNanos(System.nanoTime() - start));
            relayStream(call, response);
        } else {
            HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray(), upstream);
            metrics.upstreamLatency(upstream.name(), Duration.ofNanos(System.nanoTime() - start));
            awaitRecord(call);
            copyHead(response, call.response());
            call.response().send(response.body());
        }
    }

    private static HttpRequest upstreamRequest(GatewayCall call, GatewaySettings.Upstream upstream) {
        String query = call.http().query().rawValue();
        URI uri = URI.create(upstream.baseUrl() + call.endpoint() + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(call.body().bytes()));
        ProxyHeaders.toUpstream(call.http(), b, call.style(), upstream.apiKey());
        return b.build();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, GatewaySettings.Upstream upstream) {
        try {
            return clients.next().send(request, handler);
        } catch (IOException e) {
            LOG.warn("upstream {} unreachable: {}", upstream.name(), e.toString());
            throw new Rejection(GatewayError.Kind.BAD_GATEWAY, "upstream_unreachable",
                    "upstream '" + upstream.name() + "' could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Rejection(GatewayError.Kind.BAD_GATEWAY, "upstream_unreachable",
                    "interrupted while calling upstream '" + upstream.name() + "'");
        }
    }

    /** Nothing reaches the caller before its decision is durable: an unrecorded answer is no answer. */
    private static void awaitRecord(GatewayCall call) {
        try {
            call.recorded().toCompletableFuture().get(RECORD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unrecorded(call, e);
        } catch (ExecutionException | TimeoutException e) {
            throw unrecorded(call, e);
        }
    }

    private static Rejection unrecorded(GatewayCall call, Exception e) {
        LOG.error("decision {} could not be recorded; the answer is withheld", call.id(), e);
        return new Rejection(GatewayError.Kind.INTERNAL, "decision_not_recorded",
                "the decision could not be recorded, so the answer is withheld (decision " + call.id() + ")");
    }

    private static void copyHead(HttpResponse<?> from, ServerResponse to) {
        to.status(from.statusCode());
        for (Map.Entry<String, List<String>> h : from.headers().map().entrySet()) {
            if (ProxyHeaders.returned(h.getKey())) {
                to.header(h.getKey(), h.getValue().toArray(String[]::new));
            }
        }
    }

    private void relayStream(GatewayCall call, HttpResponse<InputStream> response) throws IOException {
        InputStream body = response.body();
        try (body) {
            awaitRecord(call);
            boolean eventStream = response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
            copyHead(response, call.response());
            if (!eventStream) {
                // An upstream error (JSON) answering a streaming call: relay it as it is.
                call.response().send(body.readAllBytes());
                return;
            }
            relayEvents(call, body);
        }
    }

    private void relayEvents(GatewayCall call, InputStream body) throws IOException {
        LiveStreams.LiveStream live = streams.open(call, body);
        SseFraming framing = new SseFraming();
        byte[] buffer = new byte[16 * 1024];
        OutputStream out = call.response().outputStream();
        try {
            boolean upstreamFailed = false;
            while (live.cutBy() == null) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    upstreamFailed = live.cutBy() == null;
                    break;
                }
                if (n < 0 || live.cutBy() != null) {
                    break;
                }
                framing.accept(buffer, n, out);
            }
            if (live.cutBy() != null) {
                // Whatever part of an event was pending is dropped: the error event starts on a boundary.
                out.write(call.style().streamErrorEvent(Stages.denial(live.cutBy()).error()));
                out.flush();
            } else if (upstreamFailed) {
                framing.finish(out);
                out.write(call.style().streamErrorEvent(new GatewayError(GatewayError.Kind.BAD_GATEWAY,
                        "upstream_stream_broken", "the upstream connection broke during the stream")));
                out.flush();
            } else {
                framing.finish(out);
            }
            out.close();
        } catch (IOException | RuntimeException e) {
            // The caller went away (Helidon says so with an unchecked ServerConnectionException);
            // leaving closes the upstream body (try-with-resources in relayStream), which closes its connection.
            LOG.debug("caller of stream {} disconnected: {}", call.id(), e.toString());
        } finally {
            streams.close(live);
        }
    }

}
