package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model API's HTTP/1.1 server as a client on a raw socket sees it ({@link ApiServer}). */
class ApiServerTest {
    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void calls_run_on_virtual_threads_scheduled_on_the_event_loops() throws Exception {
        // The JVM running the tests is started with --add-opens java.base/java.lang (as bin/clearance starts it).
        assertThat(LoopThreads.onLoops()).isTrue();
        var loops = ApiServer.loops();
        try {
            var loop = loops.next();
            AtomicReference<String> carrier = new AtomicReference<>();
            Thread t = LoopThreads.on(loop).start(() -> carrier.set(currentCarrierName()));
            t.join(5_000);
            assertThat(t.isVirtual()).isTrue();
            assertThat(carrier.get()).startsWith("clearance-api");
        } finally {
            loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static String currentCarrierName() {
        // A virtual thread's toString names its carrier: "VirtualThread[#n]/runnable@carrier-name".
        String s = Thread.currentThread().toString();
        return s.substring(s.indexOf('@') + 1);
    }

    @Test
    void pipelined_requests_on_one_connection_are_answered_in_order() throws Exception {
        String one = post("/v1/chat/completions", chat("open-small"), f.aliceKey, "");
        String unknown = "GET /v1/nothing-here HTTP/1.1\r\nHost: gw\r\n\r\n";
        String two = post("/v1/chat/completions", chat("frontier-x"), f.aliceKey, "");
        try (Socket s = new Socket("127.0.0.1", f.gateway.port())) {
            s.getOutputStream().write((one + unknown + two).getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(readResponse(in).status());
            }
            assertThat(statuses).containsExactly(200, 404, 200);
        }
        assertThat(f.upstream.next().body()).contains("open-small");
        assertThat(f.upstream.next().body()).contains("frontier-x");
    }

    @Test
    void connection_close_is_honoured_after_the_answer() throws Exception {
        try (Socket s = new Socket("127.0.0.1", f.gateway.port())) {
            s.getOutputStream()
                    .write(post("/v1/chat/completions", chat("open-small"), f.aliceKey, "Connection: close\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            Response r = readResponse(s.getInputStream());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.head().toLowerCase()).contains("connection: close");
            assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the gateway
        }
    }

    @Test
    void malformed_http_gets_400_and_the_connection_is_closed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", f.gateway.port())) {
            s.getOutputStream()
                    .write("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Length: nope\r\n\r\n{}"
                            .getBytes(StandardCharsets.UTF_8));
            Response r = readResponse(s.getInputStream());
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("malformed_http");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void a_path_matched_only_after_decoding_or_normalising_is_not_an_endpoint() throws Exception {
        for (String path : List.of(
                "/v1/chat%2Fcompletions", "/v1//chat/completions", "/v1/chat/completions/", "/v1/./chat/completions")) {
            try (Socket s = new Socket("127.0.0.1", f.gateway.port())) {
                s.getOutputStream()
                        .write(post(path, chat("open-small"), f.aliceKey, "").getBytes(StandardCharsets.UTF_8));
                Response r = readResponse(s.getInputStream());
                assertThat(r.status()).as(path).isEqualTo(404);
                assertThat(r.body()).as(path).contains("unknown_endpoint");
                assertThat(r.head().toLowerCase()).as(path).contains("clearance-decision-id: ");
            }
        }
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void a_declared_body_over_the_limit_gets_a_provider_shaped_413_without_being_read() throws Exception {
        try (Socket s = new Socket("127.0.0.1", f.gateway.port())) {
            String head = "POST /v1/messages HTTP/1.1\r\nHost: gw\r\nanthropic-version: 2023-06-01\r\nx-api-key: "
                    + f.aliceKey + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + (Gateway.MAX_BODY_BYTES + 1) + "\r\n\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
            Response r = readResponse(s.getInputStream());
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("\"type\":\"request_too_large\"");
            assertThat(r.head().toLowerCase()).contains("clearance-decision-id: ");
        }
        assertThat(f.upstream.received).isEmpty();
    }

    private static String post(String path, String body, String key, String extraHeaders) {
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        return "POST " + path + " HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\n" + extraHeaders + "Content-Length: " + length + "\r\n\r\n"
                + body;
    }

    record Response(int status, String head, String body) {}

    /** One response with a Content-Length body (what the gateway sends for whole answers and errors). */
    private static Response readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside a response head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(h.substring(9, 12));
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Response(status, h, new String(body, StandardCharsets.UTF_8));
    }
}
