package dev.clearance.gateway;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage: sends an allowed call along its route and relays the answer, all on the call's own
 * (virtual) thread. Plain responses are relayed whole; event streams are relayed event by event, each
 * flushed as it arrives. Nothing reaches the caller before the call's record is durable
 * ({@link Enforcement.Ruling#release}), and nothing at all when a re-decision cut the call first
 * ({@link LiveCalls.LiveCall}): the caller then gets the denial.
 *
 * <p>While the call waits on its upstream it is registered with its live call as
 * {@linkplain LiveCalls.LiveCall#exchanging exchanging}: a cut interrupts the waiting thread, which
 * closes the upstream connection (blocking socket I/O on a virtual thread is interruptible), and the
 * call answers the denial. The registration ends before anything is written to the caller.
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
        LiveCalls.LiveCall live = call.live();
        HttpClientRequest request = upstreamRequest(call);
        long start = System.nanoTime();
        if (!live.exchanging()) {
            throw Stages.denial(live.cutBy()); // cut before it was sent: not a byte reaches the upstream
        }
        try {
            HttpClientResponse response;
            try {
                response = request.submit(call.body().bytes());
            } catch (RuntimeException e) {
                throw failed(live, upstream, e);
            }
            try (response) {
                metrics.upstreamLatency(upstream.name(), Duration.ofNanos(System.nanoTime() - start));
                if (call.body().stream()) {
                    call.ruling().release(); // a stream's head waits for the record, as a whole answer does
                    if (eventStream(response)) {
                        relay(call, response);
                        return;
                    }
                }
                whole(call, response, upstream);
            }
        } finally {
            live.exchanged();
        }
    }

    private static void whole(GatewayCall call, HttpClientResponse response, GatewaySettings.Upstream upstream) {
        LiveCalls.LiveCall live = call.live();
        byte[] body;
        try {
            body = response.inputStream().readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw failed(live, upstream, e);
        }
        live.exchanged();
        call.ruling().release(); // nothing reaches the caller before its decision is recorded
        if (!live.release()) {
            throw Stages.denial(live.cutBy()); // cut while the answer was on its way: the answer is dropped
        }
        copyHead(response, call.response());
        call.response().send(body);
    }

    /** An event stream, relayed by an {@link EventRelay} attached to the live call, unless cut first. */
    private static void relay(GatewayCall call, HttpClientResponse response) {
        ServerResponse res = call.response();
        LiveCalls.LiveCall live = call.live();
        EventRelay relay = live.relay(() -> {
            copyHead(response, res);
            return new EventRelay(call.id(), call.style(), res.outputStream());
        });
        if (relay == null) {
            throw Stages.denial(live.cutBy()); // cut before the first byte; closing the response closes the upstream
        }
        relay.relay(response.inputStream());
        awaitEnd(relay);
    }

    private static boolean eventStream(HttpClientResponse response) {
        return response.headers().first(HeaderNames.CONTENT_TYPE).orElse("").startsWith("text/event-stream");
    }

    /** The request decided, exactly: the route's URL and query as they are, the body's bytes, the allowed headers. */
    private HttpClientRequest upstreamRequest(GatewayCall call) {
        RouteCall.Route route = call.route();
        String query = route.query();
        URI uri = URI.create(route.upstream().baseUrl() + call.endpoint() + (query.isEmpty() ? "" : "?" + query));
        HttpClientRequest request =
                clients.client(route.upstream()).method(Method.POST).uri(uri).skipUriEncoding(true);
        ProxyHeaders.toUpstream(
                call.http(), request.headers(), call.style(), route.upstream().apiKey());
        return request;
    }

    /** The denial when a cut interrupted the exchange, 502 when the upstream could not be reached. */
    private static Rejection failed(LiveCalls.LiveCall live, GatewaySettings.Upstream upstream, Exception e) {
        live.exchanged();
        if (live.cutBy() != null) {
            return Stages.denial(live.cutBy());
        }
        UpstreamFailure failure =
                new UpstreamFailure(upstream.name(), e instanceof UncheckedIOException u ? u.getCause() : e);
        LOG.warn("{}", failure.reason());
        return failure;
    }

    /** The handler returns only once the relay has ended the caller's stream (a cut may still be writing). */
    private static void awaitEnd(EventRelay relay) {
        try {
            relay.ended().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("stream relay did not end cleanly: {}", e.toString());
        }
    }

    private static void copyHead(HttpClientResponse from, ServerResponse to) {
        to.status(from.status());
        for (Header h : from.headers()) {
            if (ProxyHeaders.returned(h.name())) {
                to.header(h);
            }
        }
    }
}
