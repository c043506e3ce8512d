package dev.clearance.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage: sends an allowed call along its route and relays the answer, all on the call's own
 * (virtual) thread. Plain responses are relayed whole; event streams are relayed event by event, each
 * flushed as it arrives (for a caller a capability directive could restrict, each answer is classified
 * first: {@link AnswerChecks}). Nothing reaches the caller before the call's record is durable
 * ({@link Enforcement.Ruling#release}), and nothing at all when a re-decision cut the call first
 * ({@link LiveCalls.LiveCall}): the caller then gets the denial.
 *
 * <p>While the call waits on its upstream it is registered with its live call as
 * {@linkplain LiveCalls.LiveCall#exchanging exchanging}: a cut interrupts the waiting thread, which
 * closes the upstream connection (every wait on an {@link UpstreamExchange} is interruptible), and the
 * call answers the denial. The registration ends before anything is written to the caller.
 */
final class Forward implements Pipeline.Stage {
    private static final Logger LOG = LoggerFactory.getLogger(Forward.class);

    private final UpstreamExchanges clients;
    private final GatewayMetrics metrics;
    private final AnswerChecks answers;

    Forward(UpstreamExchanges clients, GatewayMetrics metrics, AnswerChecks answers) {
        this.clients = clients;
        this.metrics = metrics;
        this.answers = answers;
    }

    @Override
    public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
        GatewaySettings.Upstream upstream = call.route().upstream();
        LiveCalls.LiveCall live = call.live();
        long start = System.nanoTime();
        if (!live.exchanging()) {
            throw Stages.denial(live.cutBy()); // cut before it was sent: not a byte reaches the upstream
        }
        try {
            UpstreamExchange response;
            try {
                response = send(call);
            } catch (IOException | RuntimeException e) {
                throw failed(live, upstream, e);
            }
            try (response) {
                metrics.upstreamLatency(upstream.name(), Duration.ofNanos(response.headNanos() - start));
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

    /** A whole answer (also one the upstream gave to a stream request), classified before it is released. */
    private void whole(GatewayCall call, UpstreamExchange response, GatewaySettings.Upstream upstream) {
        LiveCalls.LiveCall live = call.live();
        byte[] body;
        try {
            body = response.body().readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw failed(live, upstream, e);
        }
        live.exchanged();
        call.ruling().release(); // nothing reaches the caller before its decision is recorded
        answers.checkWhole(call, response.status(), body);
        if (!live.release()) {
            throw Stages.denial(live.cutBy()); // cut while the answer was on its way: the answer is dropped
        }
        copyHead(response, call.exchange());
        call.exchange().send(body);
    }

    /** An event stream, relayed by an {@link EventRelay} attached to the live call, unless cut first. */
    private void relay(GatewayCall call, UpstreamExchange response) {
        ApiExchange res = call.exchange();
        LiveCalls.LiveCall live = call.live();
        EventRelay relay = live.relay(() -> {
            copyHead(response, res);
            OutputStream out = res.outputStream();
            return new EventRelay(call.id(), call.style(), out, answers.guard(call, out));
        });
        if (relay == null) {
            throw Stages.denial(live.cutBy()); // cut before the first byte; closing the response closes the upstream
        }
        relay.relay(response.body());
        awaitEnd(relay);
    }

    private static boolean eventStream(UpstreamExchange response) {
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.startsWith("text/event-stream");
    }

    /** The request decided, exactly: the route's URL and query as they are, the body's bytes, the allowed headers. */
    private UpstreamExchange send(GatewayCall call) throws IOException {
        RouteCall.Route route = call.route();
        String query = route.query();
        return clients.post(
                route.upstream(),
                call.endpoint() + (query.isEmpty() ? "" : "?" + query),
                headers -> ProxyHeaders.toUpstream(
                        call.exchange(), headers, call.style(), route.upstream().apiKey()),
                call.body().bytes(),
                call.ruling().recorded(), // the answer waits for its record anyway: one wake-up for both
                call.exchange().loop()); // the upstream connection on the caller's loop: the call never changes thread
    }

    /** The denial when a cut interrupted the exchange, 502 when the upstream could not be reached. */
    private static Rejection failed(LiveCalls.LiveCall live, GatewaySettings.Upstream upstream, Exception e) {
        live.exchanged();
        if (live.cutBy() != null) {
            return Stages.denial(live.cutBy());
        }
        UpstreamFailure failure = new UpstreamFailure(upstream.name(), e);
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

    private static void copyHead(UpstreamExchange from, ApiExchange to) {
        to.status(from.status());
        // As the decoder made them (AsciiString): no String per header, and written back by a byte copy.
        for (var it = from.headers().iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            if (ProxyHeaders.returned(h.getKey())) {
                to.header(h.getKey(), h.getValue());
            }
        }
    }
}
