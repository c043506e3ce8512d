package dev.clearance.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
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
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DEMO model server for trying the gateway where no real one exists: OpenAI- and Anthropic-compatible
 * endpoints (plain and streaming) that answer canned text, every answer and log line saying it is a demo.
 * It runs no model. The response shapes are the providers' own, so the official SDKs parse them.
 */
public final class DemoUpstream implements AutoCloseable {
    /** Every answer starts with this, so nobody mistakes the demo for a model. */
    public static final String LABEL = "[DEMO UPSTREAM - canned reply, no model ran]";

    private static final Logger LOG = LoggerFactory.getLogger(DemoUpstream.class);

    private final WebServer server;

    private DemoUpstream(WebServer server) {
        this.server = server;
    }

    /**
     * Starts the demo server.
     *
     * @param models        the model ids it lists and answers for
     * @param eventInterval pause between streamed events (makes streaming visible in a terminal)
     */
    public static DemoUpstream start(String host, int port, List<String> models, Duration eventInterval) {
        HttpRouting.Builder routing = HttpRouting.builder();
        for (String path :
                List.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/responses", "/v1/messages")) {
            routing.post(path, (req, res) -> answer(req, res, path, eventInterval));
        }
        routing.get("/v1/models", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.header("x-demo-upstream", "true");
            res.send(modelList(models, req.headers().contains(ProxyHeaders.ANTHROPIC_VERSION)));
        });
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .routing(routing)
                .build()
                .start();
        LOG.info("DEMO upstream (canned replies, no model) listening on http://{}:{}", host, server.port());
        return new DemoUpstream(server);
    }

    public int port() {
        return server.port();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.stop();
    }

    private static void answer(ServerRequest req, ServerResponse res, String path, Duration interval) {
        JsonNode body;
        try {
            body = Json.mapper().readTree(req.content().as(byte[].class));
        } catch (IOException e) {
            res.status(400)
                    .send(
                            "{\"error\":{\"message\":\"DEMO upstream: malformed JSON\",\"type\":\"invalid_request_error\"}}");
            return;
        }
        String model = body.path("model").asText("demo");
        boolean stream = body.path("stream").asBoolean(false);
        LOG.info("DEMO upstream answering {} for model {} (stream={})", path, model, stream);
        res.header("x-demo-upstream", "true");
        if (stream && !path.equals("/v1/embeddings")) {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            List<String> events =
                    path.equals("/v1/messages") ? anthropicStream(model, words()) : openAiStream(model, words());
            OutputStream out = res.outputStream();
            try {
                for (int i = 0; i < events.size(); i++) {
                    if (i > 0 && !interval.isZero()) {
                        Thread.sleep(interval.toMillis());
                    }
                    out.write(events.get(i).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.close();
            } catch (IOException | UncheckedIOException e) {
                LOG.info("DEMO upstream: client went away mid-stream");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(
                switch (path) {
                    case "/v1/messages" -> anthropicMessage(model, String.join("", words()));
                    case "/v1/embeddings" -> embeddings(model);
                    case "/v1/completions" -> completion(model, String.join("", words()));
                    case "/v1/responses" -> response(model, String.join("", words()));
                    default -> chatCompletion(model, String.join("", words()));
                });
    }

    private static List<String> words() {
        // Short and plain: a restricted caller's answers are classified too, and the embedded classifier
        // read "Hello from the demo upstream." after the label as offensive-cyber (0.68), cutting them.
        return List.of(LABEL, " Hello!", " This", " is", " the", " demo.");
    }

    static String chatCompletion(String model, String text) {
        return "{\"id\":\"chatcmpl-demo\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":" + q(model)
                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + q(text)
                + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":6,\"total_tokens\":7}}";
    }

    static String completion(String model, String text) {
        return "{\"id\":\"cmpl-demo\",\"object\":\"text_completion\",\"created\":1700000000,\"model\":" + q(model)
                + ",\"choices\":[{\"index\":0,\"text\":" + q(text) + ",\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":6,\"total_tokens\":7}}";
    }

    static String embeddings(String model) {
        return "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.0,0.1,0.2]}],\"model\":"
                + q(model) + ",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}";
    }

    static String response(String model, String text) {
        return "{\"id\":\"resp_demo\",\"object\":\"response\",\"created_at\":1700000000,\"status\":\"completed\",\"model\":"
                + q(model)
                + ",\"output\":[{\"type\":\"message\",\"id\":\"msg_demo\",\"status\":\"completed\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":" + q(text) + ",\"annotations\":[]}]}],"
                + "\"parallel_tool_calls\":false,\"tool_choice\":\"auto\",\"tools\":[],\"temperature\":1.0,\"top_p\":1.0,"
                + "\"error\":null,\"incomplete_details\":null,\"instructions\":null,\"metadata\":{},"
                + "\"usage\":{\"input_tokens\":1,\"output_tokens\":6,\"total_tokens\":7,"
                + "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens_details\":{\"reasoning_tokens\":0}}}";
    }

    static String anthropicMessage(String model, String text) {
        return "{\"id\":\"msg_demo\",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + q(model)
                + ",\"content\":[{\"type\":\"text\",\"text\":" + q(text) + "}],\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":6}}";
    }

    /** OpenAI chat chunks, one {@code data:} event per word, then {@code [DONE]}. */
    static List<String> openAiStream(String model, List<String> words) {
        java.util.ArrayList<String> events = new java.util.ArrayList<>();
        String head = "{\"id\":\"chatcmpl-demo\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":"
                + q(model) + ",\"choices\":[{\"index\":0,\"delta\":";
        for (int i = 0; i < words.size(); i++) {
            String role = i == 0 ? "\"role\":\"assistant\"," : "";
            events.add("data: " + head + "{" + role + "\"content\":" + q(words.get(i))
                    + "},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        }
        events.add("data: " + head + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n");
        events.add("data: [DONE]\n\n");
        return events;
    }

    /** Anthropic message events: start, one text delta per word, stop. */
    static List<String> anthropicStream(String model, List<String> words) {
        java.util.ArrayList<String> events = new java.util.ArrayList<>();
        events.add(
                event(
                        "message_start",
                        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_demo\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                                + q(model)
                                + ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}"));
        events.add(event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        for (String w : words) {
            events.add(event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":" + q(w)
                            + "}}"));
        }
        events.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.add(event(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
                        + words.size() + "}}"));
        events.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return events;
    }

    static String modelList(List<String> models, boolean anthropic) {
        StringBuilder b = new StringBuilder(anthropic ? "{\"data\":[" : "{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < models.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String id = q(models.get(i));
            b.append(
                    anthropic
                            ? "{\"type\":\"model\",\"id\":" + id + ",\"display_name\":" + id
                                    + ",\"created_at\":\"2026-01-01T00:00:00Z\"}"
                            : "{\"id\":" + id
                                    + ",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"demo-upstream\"}");
        }
        b.append(']');
        if (anthropic) {
            b.append(",\"has_more\":false,\"first_id\":")
                    .append(models.isEmpty() ? "null" : q(models.get(0)))
                    .append(",\"last_id\":")
                    .append(models.isEmpty() ? "null" : q(models.get(models.size() - 1)));
        }
        return b.append('}').toString();
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static String q(String s) {
        return '"'
                + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                        .quoteAsString(s))
                + '"';
    }
}
