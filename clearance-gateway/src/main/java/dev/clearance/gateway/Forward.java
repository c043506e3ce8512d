package dev.clearance.gateway;

import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
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
        GatewaySettings.Upstream upstream = settings.upstreamFor(model)
                .orElseThrow(() -> new Rejection(
                        GatewayError.Kind.NOT_FOUND, "model_not_found", "no upstream serves model '" + model + "'"));
        HttpRequest request = upstreamRequest(call, upstream);
        long start = System.nanoTime();
        if (call.body().stream()) {
            Enforcement.Unrecorded[] withheld = new Enforcement.Unrecorded[1];
            EventRelay[] relay = new EventRelay[1];
            try {
                clients.next(upstream).send(request, streamHandler(call, upstream, start, withheld, relay));
            } catch (IOException e) {
                if (relay[0] == null) {
                    throw unreachable(upstream, e);
                }
                // The stream had begun: the relay ends it (cut, caller gone, or an upstream error event).
                LOG.debug("stream {} ended by the client: {}", call.id(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unreachable(upstream, e);
            }
            if (relay[0] != null) {
                awaitEnd(relay[0]);
            }
            if (withheld[0] != null) {
                throw withheld[0];
            }
        } else {
            HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray(), upstream);
            metrics.upstreamLatency(upstream.name(), Duration.ofNanos(System.nanoTime() - start));
            call.ruling().release(); // nothing reaches the caller before its decision is recorded
            copyHead(response.statusCode(), response.headers(), call.response());
            call.response().send(response.body());
        }
    }

    private static HttpRequest upstreamRequest(GatewayCall call, GatewaySettings.Upstream upstream) {
        String query = call.http().query().rawValue();
        URI uri = URI.create(upstream.baseUrl() + call.endpoint() + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.body().bytes()));
        ProxyHeaders.toUpstream(call.http(), b, call.style(), upstream.apiKey());
        return b.build();
    }

    private <T> HttpResponse<T> send(
            HttpRequest request, HttpResponse.BodyHandler<T> handler, GatewaySettings.Upstream upstream) {
        try {
            return clients.next(upstream).send(request, handler);
        } catch (IOException e) {
            throw unreachable(upstream, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(upstream, e);
        }
    }

    private static UpstreamFailure unreachable(GatewaySettings.Upstream upstream, Exception e) {
        UpstreamFailure failure = new UpstreamFailure(upstream.name(), e);
        LOG.warn("{}", failure.reason());
        return failure;
    }

    /** The handler returns only once the relay has ended the caller's stream (a cut may still be writing). */
    private static void awaitEnd(EventRelay relay) {
        try {
            relay.getBody().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("stream relay did not end cleanly: {}", e.toString());
        }
    }

    private static void copyHead(int status, HttpHeaders headers, ServerResponse to) {
        to.status(status);
        for (Map.Entry<String, List<String>> h : headers.map().entrySet()) {
            if (ProxyHeaders.returned(h.getKey())) {
                to.header(h.getKey(), h.getValue().toArray(String[]::new));
            }
        }
    }

    /**
     * Streams: the head is checked on the client's thread as soon as it arrives (record accepted,
     * then status and headers copied), and an event stream is relayed by an {@link EventRelay}
     * registered with the live streams; anything else (an upstream error) is relayed whole.
     */
    private HttpResponse.BodyHandler<Void> streamHandler(
            GatewayCall call,
            GatewaySettings.Upstream upstream,
            long start,
            Enforcement.Unrecorded[] withheld,
            EventRelay[] started) {
        return info -> {
            metrics.upstreamLatency(upstream.name(), Duration.ofNanos(System.nanoTime() - start));
            try {
                call.ruling().release();
            } catch (Enforcement.Unrecorded u) {
                withheld[0] = u;
                return new Refused();
            }
            ServerResponse res = call.response();
            copyHead(info.statusCode(), info.headers(), res);
            boolean eventStream =
                    info.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
            if (!eventStream) {
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), bytes -> {
                    res.send(bytes);
                    return null;
                });
            }
            EventRelay relay = new EventRelay(call.id(), call.style(), res.outputStream());
            started[0] = relay;
            LiveStreams.LiveStream live = streams.open(call, relay);
            relay.getBody().whenComplete((ok, e) -> streams.close(live));
            return relay;
        };
    }

    /** Takes no body at all: cancelling at once closes the upstream connection instead of draining a stream. */
    private static final class Refused implements HttpResponse.BodySubscriber<Void> {
        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            s.cancel();
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> item) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onComplete() {}

        @Override
        public java.util.concurrent.CompletionStage<Void> getBody() {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }
}
