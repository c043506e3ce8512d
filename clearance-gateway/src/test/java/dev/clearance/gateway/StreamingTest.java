package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chatStream;
import static dev.clearance.gateway.GatewayFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingTest {
    static final Duration PATIENCE = Duration.ofSeconds(5);
    static final String RESTRICT_OPEN_MODELS = """
            id: restrict-open-models
            title: Open models restricted to U.S. persons from now on
            effective_from: 2020-01-01T00:00:00Z
            scope:
              models: ["open-*"]
            applies_to: "!principal.us_person"
            effect: deny
            message: Open models are now restricted to U.S. persons.
            """;

    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private SseReader open(String path, String key, String body, String... headers) throws Exception {
        HttpResponse<InputStream> r =
                f.http.send(f.postRequest(path, key, body, headers), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        assertThat(r.headers().firstValue("clearance-decision-id")).isPresent();
        return new SseReader(r.body());
    }

    @Test
    void each_event_reaches_the_caller_before_the_upstream_sends_the_next() throws Exception {
        // The upstream sends event k+1 only after the caller has read event k through the gateway:
        // a gateway that held events back would deadlock this test instead of passing it.
        f.upstream.gated();
        f.upstream.streamWords = 4;
        List<String> events = new ArrayList<>();
        try (SseReader stream = open("/v1/chat/completions", f.aliceKey, chatStream("open-small"))) {
            String event = stream.next(PATIENCE);
            while (event != null) {
                events.add(event);
                f.upstream.release();
                event = stream.next(PATIENCE);
            }
        }
        assertThat(events).hasSize(4 + 2);
        assertThat(events.get(0)).contains("\"role\":\"assistant\"").contains("w0 ");
        assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
    }

    @Test
    void anthropic_events_pass_through_unchanged_and_in_order() throws Exception {
        f.upstream.gated();
        f.upstream.streamWords = 2;
        List<String> names = new ArrayList<>();
        try (SseReader stream =
                open("/v1/messages", f.aliceKey, message("open-small", true), "anthropic-version", "2023-06-01")) {
            String event = stream.next(PATIENCE);
            while (event != null) {
                names.add(event.lines().findFirst().orElse(""));
                f.upstream.release();
                event = stream.next(PATIENCE);
            }
        }
        assertThat(names)
                .containsExactly(
                        "event: message_start",
                        "event: content_block_start",
                        "event: content_block_delta",
                        "event: content_block_delta",
                        "event: content_block_stop",
                        "event: message_delta",
                        "event: message_stop");
    }

    @Test
    void a_caller_that_goes_away_closes_the_upstream_stream() throws Exception {
        f.upstream.interval = Duration.ofMillis(20);
        f.upstream.streamWords = 1000;
        SseReader stream = open("/v1/chat/completions", f.aliceKey, chatStream("open-small"));
        assertThat(stream.next(PATIENCE)).contains("w0 ");
        assertThat(f.gateway.activeStreams()).isEqualTo(1);

        stream.close();

        assertThat(f.upstream.peerClosed.await(10, TimeUnit.SECONDS))
                .as("upstream saw its connection closed")
                .isTrue();
        waitUntil(() -> f.gateway.activeStreams() == 0);
    }

    @Test
    void a_directive_uploaded_mid_stream_cuts_a_now_denied_openai_stream_with_an_error_event_and_closes_the_upstream()
            throws Exception {
        f.upstream.interval = Duration.ofMillis(50);
        f.upstream.streamWords = 1000;
        SseReader chen = open("/v1/chat/completions", f.chenKey, chatStream("open-small"));
        SseReader alice = open("/v1/chat/completions", f.aliceKey, chatStream("open-small"));
        assertThat(chen.next(PATIENCE)).contains("w0 ");
        assertThat(alice.next(PATIENCE)).contains("w0 ");

        HttpResponse<String> put =
                f.admin("PUT", "/admin/v1/directives/restrict-open-models", RESTRICT_OPEN_MODELS, "application/yaml");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        String last = lastEventWithin(chen, Duration.ofSeconds(1));
        assertThat(last)
                .startsWith("data: {\"error\":")
                .contains("restrict-open-models")
                .contains("\"code\":\"clearance_denied\"");
        assertThat(chen.next(PATIENCE))
                .as("the stream ends after the error event")
                .isNull();
        assertThat(f.upstream.peerClosed.await(10, TimeUnit.SECONDS)).isTrue();
        // A U.S. person's stream on the same model goes on.
        assertThat(alice.next(PATIENCE)).contains("\"content\":\"w");
        alice.close();
    }

    @Test
    void a_cut_anthropic_stream_ends_with_an_error_event() throws Exception {
        f.upstream.interval = Duration.ofMillis(50);
        f.upstream.streamWords = 1000;
        SseReader chen =
                open("/v1/messages", f.chenKey, message("open-small", true), "anthropic-version", "2023-06-01");
        assertThat(chen.next(PATIENCE)).startsWith("event: message_start");

        f.admin("PUT", "/admin/v1/directives/restrict-open-models", RESTRICT_OPEN_MODELS, "application/yaml");

        String last = lastEventWithin(chen, Duration.ofSeconds(1));
        assertThat(last)
                .startsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"permission_error\"")
                .contains("restrict-open-models");
        assertThat(chen.next(PATIENCE)).isNull();
    }

    @Test
    void a_new_stream_after_the_change_is_refused_before_it_starts() throws Exception {
        f.admin("PUT", "/admin/v1/directives/restrict-open-models", RESTRICT_OPEN_MODELS, "application/yaml");
        HttpResponse<String> r = f.post("/v1/chat/completions", f.chenKey, chatStream("open-small"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(f.upstream.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    /** Reads events until one is an error event, which must come within {@code limit} of now. */
    private static String lastEventWithin(SseReader stream, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            String event = stream.next(left);
            assertThat(event).as("stream ended without an error event").isNotNull();
            if (event.contains("\"error\"")) {
                return event;
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
