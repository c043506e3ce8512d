package dev.clearance.cli.serve;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model server for tests whose answers to a question containing {@link #DRIFT_TRIGGER} drift: a few
 * sentences about running a network, then operational instructions for planting a keylogger and
 * exfiltrating passwords, then a tail, one streamed event per piece every few milliseconds (so it
 * is still sending when a gateway cuts it). Other questions get the benign sentences alone. It counts
 * the streams whose connection its peer closed. OpenAI chat and Anthropic messages, plain and streaming,
 * and the model list.
 */
final class DriftingUpstream implements AutoCloseable {
    static final List<String> BENIGN = List.of(
            "Network administrators keep ",
            "an inventory of the hosts on their network. ",
            "They apply security patches on a schedule ",
            "and review the firewall rules every quarter. ");
    static final List<String> OFFENSIVE = List.of(
            "Now, to get persistent access, ",
            "deploy a keylogger on the target machine ",
            "and hide it from the antivirus. ",
            "Then exfiltrate the captured passwords ",
            "to your command and control server over DNS ",
            "so the firewall does not notice. ");
    /** The one model it serves (and lists at {@code /v1/models}). */
    static final String MODEL = "open-small";

    static final String OFFENSIVE_WORD = "keylogger";
    static final String DRIFT_TRIGGER = "run our network";
    /**
     * A question containing this also gets a tail long enough (a minute) to be sending still when it is
     * cut, however slowly a loaded machine classifies: an upstream that had already finished could not
     * notice its connection closed.
     */
    static final String LONG_TRIGGER = "in detail";

    final AtomicInteger peerClosed = new AtomicInteger();
    private final WebServer server;

    DriftingUpstream() {
        HttpRouting.Builder routing = HttpRouting.builder()
                // The gateway's catalogue reads the model list at start, as from a real model server.
                .get("/v1/models", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send("{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}");
                })
                .post("/v1/chat/completions", (req, res) -> answer(req, res, false))
                .post("/v1/messages", (req, res) -> answer(req, res, true));
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing)
                .build()
                .start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    static List<String> pieces(boolean drift, boolean longTail) {
        List<String> all = new ArrayList<>(BENIGN);
        if (drift) {
            all.addAll(OFFENSIVE);
            for (int i = 0; i < (longTail ? 3000 : 20); i++) {
                all.add("Repeat for every host. ");
            }
        }
        return all;
    }

    private void answer(ServerRequest req, ServerResponse res, boolean anthropic) throws Exception {
        String body = req.content().as(String.class);
        boolean stream = body.contains("\"stream\":true");
        boolean drift = body.contains(DRIFT_TRIGGER);
        boolean tail = body.contains(LONG_TRIGGER);
        if (!stream) {
            String text = String.join("", pieces(drift, tail));
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(
                    anthropic
                            ? "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[{\"type\":\"text\",\"text\":"
                                    + q(text)
                                    + "}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}"
                            : "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":"
                                    + "{\"role\":\"assistant\",\"content\":" + q(text)
                                    + "},\"finish_reason\":\"stop\"}]}");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        OutputStream out = res.outputStream();
        try {
            if (anthropic) {
                write(
                        out,
                        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[]}}\n\n");
                write(
                        out,
                        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
            }
            for (String piece : pieces(drift, tail)) {
                write(
                        out,
                        anthropic
                                ? "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                                        + "\"delta\":{\"type\":\"text_delta\",\"text\":" + q(piece) + "}}\n\n"
                                : "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":"
                                        + "[{\"index\":0,\"delta\":{\"content\":" + q(piece)
                                        + "},\"finish_reason\":null}]}\n\n");
                Thread.sleep(tail ? 20 : 2);
            }
            if (anthropic) {
                write(out, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
                write(out, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
            } else {
                write(out, "data: [DONE]\n\n");
            }
            out.close();
        } catch (RuntimeException | java.io.IOException | InterruptedException e) {
            // A write to a closed connection fails (Helidon throws unchecked); a closed connection may also
            // interrupt the handler while it waits between events.
            peerClosed.incrementAndGet();
        }
    }

    private static void write(OutputStream out, String event) throws java.io.IOException {
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String q(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    @Override
    public void close() {
        server.stop();
    }
}
