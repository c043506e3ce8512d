package dev.clearance.gateway;

import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage: sends an allowed call along its route and relays the answer. Plain responses are
 * relayed whole; event streams are relayed event by event, each flushed as it arrives. Nothing
 * reaches the caller before the call's record is durable ({@link Enforcement.Ruling#release}), and
 * nothing at all when a re-decision cut the call first ({@link LiveCalls.LiveCall}): the caller then
 * gets the denial.
 */
final class Forward implements Pipeline.Stage {
    private static final Logger LOG = LoggerFactory.getLogger(Forward.class);

    private final UpstreamClients clients;
    private final GatewayMetrics metrics;

    Forward(UpstreamClients clients, GatewayMetrics metrics) {
        this.clients = clients;
        this.metrics = metrics;
    }

    @Override
    public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
        GatewaySettings.Upstream upstream = call.route().upstream();
        HttpRequest request = upstreamRequest(call);
        long start = System.nanoTime();
        if (call.body().stream()) {
            stream(call, request, upstream, start);
        } else {
            whole(call, request, upstream, start);
        }
    }

    private void whole(GatewayCall call, HttpRequest request, GatewaySettings.Upstream upstream, long start)
            throws Exception {
        LiveCalls.LiveCall live = call.live();
        CompletableFuture<HttpResponse<byte[]>> exchange =
                clients.next(upstream).sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        live.exchange(exchange);
        HttpResponse<byte[]> response = await(exchange, live, upstream);
        metrics.upstreamLatency(upstream.name(), Duration.ofNanos(System.nanoTime() - start));
        call.ruling().release(); // nothing reaches the caller before its decision is recorded
        if (!live.release()) {
            throw Stages.denial(live.cutBy()); // cut while the answer was on its way: the answer is dropped
        }
        copyHead(response.statusCode(), response.headers(), call.response());
        call.response().send(response.body());
    }

    private void stream(GatewayCall call, HttpRequest request, GatewaySettings.Upstream upstream, long start)
            throws Exception {
        LiveCalls.LiveCall live = call.live();
        Enforcement.Unrecorded[] withheld = new Enforcement.Unrecorded[1];
        EventRelay[] relay = new EventRelay[1];
        CompletableFuture<HttpResponse<Void>> exchange =
                clients.next(upstream).sendAsync(request, streamHandler(call, upstream, start, withheld, relay));
        live.exchange(exchange);
        try {
            exchange.get();
        } catch (CancellationException | ExecutionException e) {
            if (relay[0] == null) {
                if (withheld[0] != null) {
                    throw withheld[0];
                }
                if (live.cutBy() != null) {
                    throw Stages.denial(live.cutBy());
                }
                throw unreachable(upstream, e instanceof ExecutionException ? e.getCause() : e);
            }
            // The stream had begun: the relay ends it (cut, caller gone, or an upstream error event).
            LOG.debug("stream {} ended early: {}", call.id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.cancel(true);
            throw unreachable(upstream, e);
        }
        if (relay[0] != null) {
            awaitEnd(relay[0]);
        }
        if (withheld[0] != null) {
            throw withheld[0];
        }
        if (relay[0] == null && live.cutBy() != null) {
            throw Stages.denial(live.cutBy());
        }
    }

    /**
     * The exchange's response; the denial when a cut cancelled it, 502 when the upstream could not be
     * reached.
     */
    private static <T> HttpResponse<T> await(
            CompletableFuture<HttpResponse<T>> exchange, LiveCalls.LiveCall live, GatewaySettings.Upstream upstream) {
        try {
            return exchange.get();
        } catch (CancellationException | ExecutionException e) {
            if (live.cutBy() != null) {
                throw Stages.denial(live.cutBy());
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw unreachable(upstream, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.cancel(true);
            throw unreachable(upstream, e);
        }
    }

    private static HttpRequest upstreamRequest(GatewayCall call) {
        RouteCall.Route route = call.route();
        String query = route.query();
        URI uri = URI.create(route.upstream().baseUrl() + call.endpoint() + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.body().bytes()));
        ProxyHeaders.toUpstream(call.http(), b, call.style(), route.upstream().apiKey());
        return b.build();
    }

    private static UpstreamFailure unreachable(GatewaySettings.Upstream upstream, Throwable e) {
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
     * Streams: the head is checked on the client's thread as soon as it arrives (record durable, call
     * not cut, then status and headers copied), and an event stream is relayed by an {@link EventRelay}
     * attached to the live call; anything else (an upstream error) is relayed whole unless cut first.
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
            LiveCalls.LiveCall live = call.live();
            boolean eventStream =
                    info.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
            if (!eventStream) {
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), bytes -> {
                    if (live.release()) {
                        copyHead(info.statusCode(), info.headers(), res);
                        res.send(bytes);
                    }
                    return null;
                });
            }
            EventRelay relay = live.relay(() -> {
                copyHead(info.statusCode(), info.headers(), res);
                return new EventRelay(call.id(), call.style(), res.outputStream());
            });
            if (relay == null) {
                return new Refused(); // cut before the first byte: the call answers the denial
            }
            started[0] = relay;
            return relay;
        };
    }

    /** Takes no body at all: cancelling at once closes the upstream connection instead of draining a stream. */
    private static final class Refused implements HttpResponse.BodySubscriber<Void> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onComplete() {}

        @Override
        public CompletionStage<Void> getBody() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
