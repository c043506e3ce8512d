package dev.clearance.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import java.io.IOException;

/**
 * The text a model writes, read out of its answer: a streamed event's delta or a whole response, in
 * each provider's shape. OpenAI chat: {@code choices[].delta.content} (streamed) and
 * {@code choices[].message.content}; completions: {@code choices[].text}; responses:
 * {@code response.output_text.delta} events and {@code output[].content[].text}; Anthropic:
 * {@code content_block_delta} events with a {@code text_delta}, and {@code content[].text}. Anything
 * else (role announcements, tool-call arguments, usage, {@code [DONE]}) carries no text; what is not
 * JSON carries none either.
 */
final class AnswerText {
    private AnswerText() {}

    /** The text in one event's {@code data}, or empty. */
    static String ofEvent(String data) {
        JsonNode n = parse(data);
        if (n == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode choice : n.path("choices")) {
            append(text, choice.path("delta").path("content"));
            append(text, choice.path("text"));
        }
        switch (n.path("type").asText("")) {
            case "response.output_text.delta" -> append(text, n.path("delta"));
            case "content_block_delta" -> {
                if ("text_delta".equals(n.path("delta").path("type").asText(""))) {
                    append(text, n.path("delta").path("text"));
                }
            }
            default -> {}
        }
        return text.toString();
    }

    /** The text of a whole (not streamed) answer, or empty. */
    static String ofBody(byte[] body) {
        JsonNode n;
        try {
            n = Json.mapper().readTree(body);
        } catch (IOException e) {
            return "";
        }
        if (n == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode choice : n.path("choices")) {
            JsonNode content = choice.path("message").path("content");
            append(text, content);
            for (JsonNode part : content) {
                append(text, part.path("text"));
            }
            append(text, choice.path("text"));
        }
        for (JsonNode item : n.path("output")) {
            for (JsonNode part : item.path("content")) {
                append(text, part.path("text"));
            }
        }
        if (n.path("type").asText("").equals("message")) {
            for (JsonNode block : n.path("content")) {
                if ("text".equals(block.path("type").asText(""))) {
                    append(text, block.path("text"));
                }
            }
        }
        return text.toString();
    }

    private static JsonNode parse(String data) {
        if (data.isEmpty() || data.charAt(0) != '{') {
            return null;
        }
        try {
            return Json.mapper().readTree(data);
        } catch (IOException e) {
            return null;
        }
    }

    private static void append(StringBuilder text, JsonNode value) {
        if (value.isTextual()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(value.asText());
        }
    }
}
