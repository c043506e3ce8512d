package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.gateway.tls.TransportSecurity;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream client against a raw socket server that answers as a script says: what goes on the
 * wire, when a connection is reused, and how a broken or interrupted exchange ends.
 */
class UpstreamExchangesTest {
    private final ScriptedUpstream server = new ScriptedUpstream();
    private final TransportSecurity security =
            TransportSecurity.start(Map.of(), Map.of(), Clock.systemUTC(), Duration.ofMinutes(1));
    private UpstreamExchanges client;
    private final io.netty.channel.EventLoopGroup loops = ApiServer.loops();
    private GatewaySettings.Upstream upstream;

    private void start(Script script) throws IOException {
        server.start(script);
        upstream = new GatewaySettings.Upstream(
                "scripted",
                URI.create("http://127.0.0.1:" + server.port() + "/base"),
                List.of("*"),
                "",
                List.of(),
                false,
                null,
                List.of());
        client = UpstreamExchanges.start(List.of(upstream), security, loops);
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        server.close();
        security.close();
    }

    private UpstreamExchange post(String body) throws IOException {
        return client.post(
                upstream,
                "/v1/chat/completions?x=1",
                h -> h.set("content-type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8),
                CompletableFuture.completedFuture(null),
                null);
    }

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + body.length() + "\r\n\r\n"
                + body;
    }

    @Test
    void the_request_carries_the_base_path_the_host_the_length_and_the_body_and_a_kept_alive_connection_is_reused()
            throws Exception {
        start(request -> ok("{\"n\":1}"));
        for (int i = 0; i < 3; i++) {
            try (UpstreamExchange answer = post("{\"model\":\"m\"}")) {
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
                assertThat(new String(answer.body().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"n\":1}");
            }
        }
        Received first = server.requests.take();
        assertThat(first.head())
                .startsWith("POST /base/v1/chat/completions?x=1 HTTP/1.1\r\n")
                .containsIgnoringCase("host: 127.0.0.1:" + server.port() + "\r\n")
                .containsIgnoringCase("content-length: 13\r\n")
                .containsIgnoringCase("content-type: application/json\r\n");
        assertThat(first.body()).isEqualTo("{\"model\":\"m\"}");
        assertThat(server.connections.get()).isEqualTo(1);
    }

    @Test
    void the_answer_is_handed_over_only_once_what_it_waits_alongside_has_completed() throws Exception {
        start(request -> ok("{}"));
        CompletableFuture<Void> record = new CompletableFuture<>();
        CompletableFuture<UpstreamExchange> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return client.post(upstream, "/v1/chat/completions", h -> {}, new byte[0], record, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        server.requests.take(); // the upstream has the request ...
        Thread.sleep(200);
        assertThat(answer).isNotDone(); // ... and has answered, but the record is not durable yet
        record.complete(null);
        try (UpstreamExchange done = answer.get(10, TimeUnit.SECONDS)) {
            assertThat(done.status()).isEqualTo(200);
        }
    }

    @Test
    void a_failure_of_what_the_answer_waits_alongside_is_left_to_its_owner() throws Exception {
        start(request -> ok("{\"n\":2}"));
        CompletableFuture<Void> record = CompletableFuture.failedFuture(new IOException("log down"));
        try (UpstreamExchange answer =
                client.post(upstream, "/v1/chat/completions", h -> {}, new byte[0], record, null)) {
            assertThat(answer.body().readAllBytes()).hasSize(7);
        }
    }

    @Test
    void an_answer_that_closes_its_connection_is_never_followed_by_a_request_on_it() throws Exception {
        start(request -> "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok");
        for (int i = 0; i < 2; i++) {
            try (UpstreamExchange answer = post("{}")) {
                assertThat(answer.body().readAllBytes()).hasSize(2);
            }
        }
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void a_connection_closed_before_the_answer_fails_the_call_and_the_request_is_not_sent_again() throws Exception {
        start(request -> null); // read the request, answer nothing, close
        assertThatThrownBy(() -> post("{}")).isInstanceOf(IOException.class);
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void an_answer_that_is_not_http_fails_the_call_instead_of_being_relayed() throws Exception {
        start(request -> "SSH-2.0-OpenSSH_9.6\r\n\r\n");
        assertThatThrownBy(() -> post("{}")).isInstanceOf(IOException.class).hasMessageContaining("not valid HTTP");
    }

    @Test
    void a_body_that_breaks_off_fails_the_read_instead_of_ending_quietly() throws Exception {
        start(new Script() {
            @Override
            public String answer(Received request) {
                return "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial";
            }

            @Override
            public void after(OutputStream out) throws IOException {
                out.close(); // 93 bytes short
            }
        });
        try (UpstreamExchange answer = post("{}")) {
            assertThatThrownBy(() -> answer.body().readAllBytes()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void a_streamed_body_is_readable_event_by_event_before_it_ends() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        start(new Script() {
            @Override
            public String answer(Received request) {
                return "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
                        + chunk("data: one\n\n");
            }

            @Override
            public void after(OutputStream out) throws Exception {
                assertThat(firstRead.await(10, TimeUnit.SECONDS)).isTrue();
                out.write((chunk("data: two\n\n") + "0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        });
        try (UpstreamExchange answer = post("{}")) {
            byte[] buffer = new byte[64];
            int n = answer.body().read(buffer);
            assertThat(new String(buffer, 0, n, StandardCharsets.UTF_8)).isEqualTo("data: one\n\n");
            firstRead.countDown();
            assertThat(new String(answer.body().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("data: two\n\n");
        }
    }

    @Test
    void an_interrupted_wait_closes_the_upstream_connection() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        AtomicReference<Boolean> closedByClient = new AtomicReference<>();
        start(new Script() {
            @Override
            public String answer(Received request) {
                received.countDown();
                return ""; // the head never comes
            }

            @Override
            public void after(OutputStream out, InputStream in) throws Exception {
                closedByClient.set(in.read() < 0);
            }
        });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                post("{}").close();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join(10_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        server.awaitIdle();
        assertThat(closedByClient.get()).isTrue();
    }

    private static String chunk(String s) {
        return Integer.toHexString(s.length()) + "\r\n" + s + "\r\n";
    }

    record Received(String head, String body) {}

    /** What the server answers each request with (raw bytes; null closes without an answer). */
    interface Script {
        String answer(Received request) throws Exception;

        default void after(OutputStream out) throws Exception {}

        default void after(OutputStream out, InputStream in) throws Exception {
            after(out);
        }
    }

    /** One thread per connection, requests read by Content-Length. */
    static final class ScriptedUpstream implements AutoCloseable {
        final BlockingQueue<Received> requests = new LinkedBlockingQueue<>();
        final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger busy = new AtomicInteger();
        private ServerSocket socket;

        void start(Script script) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        busy.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, script));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket s, Script script) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (true) {
                    Received request = read(in);
                    if (request == null) {
                        return;
                    }
                    requests.add(request);
                    String answer = script.answer(request);
                    if (answer == null) {
                        return;
                    }
                    out.write(answer.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    script.after(out, in);
                }
            } catch (Exception e) {
                // the client went away
            } finally {
                busy.decrementAndGet();
            }
        }

        private static Received read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String text = head.toString(StandardCharsets.UTF_8);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return new Received(text, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        int port() {
            return socket.getLocalPort();
        }

        /** Waits until every connection has been served to its end. */
        void awaitIdle() throws InterruptedException {
            for (int i = 0; i < 1000 && busy.get() > 0; i++) {
                Thread.sleep(10);
            }
        }

        @Override
        public void close() throws IOException {
            if (socket == null) {
                return; // never started: the test had no upstream
            }
            socket.close();
        }
    }

    /** An unconnected channel on one of the loops: what a deadline task closes, or leaves open. */
    private Channel idleChannel() throws InterruptedException {
        Channel ch = Epoll.isAvailable() ? new EpollSocketChannel() : new NioSocketChannel();
        loops.register(ch).sync();
        return ch;
    }

    @Test
    void an_upstream_that_sends_no_head_in_time_fails_the_wait_and_loses_its_connection() throws Exception {
        Channel ch = idleChannel();
        UpstreamExchange exchange = new UpstreamExchange(ch, Duration.ofMillis(200), () -> {});
        assertThatThrownBy(() -> exchange.awaitHead(CompletableFuture.completedFuture(null)))
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("no answer within");
        assertThat(ch.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_head_that_came_in_time_is_not_failed_by_the_deadline_while_the_record_is_awaited() throws Exception {
        Channel ch = idleChannel();
        UpstreamExchange exchange = new UpstreamExchange(ch, Duration.ofMillis(100), () -> {});
        ch.eventLoop().execute(() -> {
            exchange.head(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
            exchange.publish();
        });
        CompletableFuture<Void> record = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS).execute(() -> record.complete(null));
        exchange.awaitHead(record); // returns once the record is durable, well past the deadline
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(ch.isOpen()).isTrue();
        ch.close().sync();
    }
}
