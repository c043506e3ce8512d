package dev.clearance.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the conversation out of a model call's body, per API: OpenAI chat ({@code messages}, with the
 * {@code system}, {@code developer}, {@code user}, {@code assistant} and {@code tool} roles, content
 * as a string or a list of typed parts, assistants' tool-call arguments), OpenAI completions
 * ({@code prompt}), OpenAI responses ({@code instructions}, {@code input} as a string or a list of
 * items) and Anthropic messages ({@code system} as a string or blocks, {@code messages} with
 * {@code text}, {@code tool_use} and {@code tool_result} blocks). Images, audio and files are kept
 * as parts that are not text. Embeddings carry no conversation.
 *
 * <p>Strict where a lax reading could be dodged: a key that appears twice anywhere (the upstream might
 * read the other copy) and content of a type the API does not have are 400s naming the field, since
 * what the gateway cannot read it cannot decide.
 */
final class Conversations {
    /** The kind of a prompt given as token ids: text to the model, unreadable to a text classifier. */
    static final String TOKENS = "tokens";

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Conversations() {}

    /**
     * The conversation of a call to {@code endpoint}.
     *
     * @throws Rejection 400 for a duplicated key or a field of a type the API does not have
     */
    static Conversation of(String endpoint, byte[] body) {
        JsonNode root = tree(body);
        List<Conversation.Part> parts = new ArrayList<>();
        switch (endpoint) {
            case "/v1/chat/completions" -> chatMessages(root.get("messages"), "messages", parts);
            case "/v1/completions" -> prompt(root.get("prompt"), parts);
            case "/v1/responses" -> {
                text(root.get("instructions"), Conversation.Role.SYSTEM, "instructions", parts);
                responseInput(root.get("input"), parts);
            }
            case "/v1/messages" -> {
                anthropicSystem(root.get("system"), parts);
                anthropicMessages(root.get("messages"), parts);
            }
            default -> {
                // Embeddings (and anything else) carry no conversation to restrict.
            }
        }
        return new Conversation(parts);
    }

    /**
     * One input as {@code clearance classify} reads it: {@code {"prompt": "..."}} or
     * {@code {"messages": [...]}} in OpenAI form.
     *
     * @throws Rejection 400 naming the field
     */
    static Conversation ofPromptLine(JsonNode line) {
        boolean prompt = line.has("prompt");
        if (prompt == line.has("messages")) {
            throw invalid("exactly one of \"prompt\" or \"messages\" is required");
        }
        List<Conversation.Part> parts = new ArrayList<>();
        if (prompt) {
            if (!line.get("prompt").isTextual()) {
                throw invalid("field \"prompt\": expected a string");
            }
            return Conversation.prompt(line.get("prompt").asText());
        }
        chatMessages(line.get("messages"), "messages", parts);
        return new Conversation(parts);
    }

    private static JsonNode tree(byte[] body) {
        try {
            return STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw invalid(
                    (e.getOriginalMessage().startsWith("Duplicate field") ? "duplicate key: " : "malformed JSON: ")
                            + e.getOriginalMessage()
                            + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw invalid("unreadable request body: " + e.getMessage());
        }
    }

    private static void chatMessages(JsonNode messages, String path, List<Conversation.Part> parts) {
        if (absent(messages)) {
            return;
        }
        if (!messages.isArray()) {
            throw invalid("field \"" + path + "\": expected a list of messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = path + "[" + i + "]";
            if (!m.isObject()) {
                throw invalid("field \"" + at + "\": expected a message object");
            }
            Conversation.Role role = role(m.path("role").asText(""));
            content(m.get("content"), role, at + ".content", parts);
            JsonNode calls = m.get("tool_calls");
            if (calls != null && calls.isArray()) {
                for (int j = 0; j < calls.size(); j++) {
                    text(
                            calls.get(j).path("function").get("arguments"),
                            Conversation.Role.ASSISTANT,
                            at + ".tool_calls[" + j + "].function.arguments",
                            parts);
                }
            }
        }
    }

    /** OpenAI content: a string, or a list of typed parts ({@code text}, {@code input_text}, {@code image_url}, ...). */
    private static void content(JsonNode content, Conversation.Role role, String path, List<Conversation.Part> parts) {
        if (absent(content)) {
            return;
        }
        if (content.isTextual()) {
            parts.add(new Conversation.Part.Text(role, path, content.asText()));
            return;
        }
        if (!content.isArray()) {
            throw invalid("field \"" + path + "\": expected a string or a list of content parts");
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode p = content.get(j);
            String at = path + "[" + j + "]";
            if (p.isTextual()) {
                parts.add(new Conversation.Part.Text(role, at, p.asText()));
                continue;
            }
            String type = p.path("type").asText("");
            switch (type) {
                case "text", "input_text", "output_text" -> textField(p, "text", role, at, parts);
                case "refusal" -> textField(p, "refusal", role, at, parts);
                default -> parts.add(new Conversation.Part.NonText(role, at, type.isEmpty() ? "unknown" : type));
            }
        }
    }

    private static void prompt(JsonNode prompt, List<Conversation.Part> parts) {
        if (absent(prompt)) {
            return;
        }
        if (prompt.isTextual()) {
            parts.add(new Conversation.Part.Text(Conversation.Role.USER, "prompt", prompt.asText()));
            return;
        }
        if (!prompt.isArray()) {
            throw invalid("field \"prompt\": expected a string, a list of strings or token ids");
        }
        for (int i = 0; i < prompt.size(); i++) {
            JsonNode p = prompt.get(i);
            String at = "prompt[" + i + "]";
            if (p.isTextual()) {
                parts.add(new Conversation.Part.Text(Conversation.Role.USER, at, p.asText()));
            } else if (p.isNumber() || p.isArray()) {
                parts.add(new Conversation.Part.NonText(Conversation.Role.USER, at, TOKENS));
            } else {
                throw invalid("field \"" + at + "\": expected a string or token ids");
            }
        }
    }

    /** Responses: a string, or a list of items (messages, tool calls and their outputs). */
    private static void responseInput(JsonNode input, List<Conversation.Part> parts) {
        if (absent(input)) {
            return;
        }
        if (input.isTextual()) {
            parts.add(new Conversation.Part.Text(Conversation.Role.USER, "input", input.asText()));
            return;
        }
        if (!input.isArray()) {
            throw invalid("field \"input\": expected a string or a list of input items");
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String at = "input[" + i + "]";
            if (!item.isObject()) {
                throw invalid("field \"" + at + "\": expected an input item object");
            }
            switch (item.path("type").asText("message")) {
                case "function_call_output", "custom_tool_call_output" ->
                    text(item.get("output"), Conversation.Role.TOOL, at + ".output", parts);
                case "function_call" ->
                    text(item.get("arguments"), Conversation.Role.ASSISTANT, at + ".arguments", parts);
                case "message" ->
                    content(item.get("content"), role(item.path("role").asText("")), at + ".content", parts);
                default -> {
                    // reasoning items and references to earlier items carry no text from the caller
                }
            }
        }
    }

    private static void anthropicSystem(JsonNode system, List<Conversation.Part> parts) {
        if (absent(system)) {
            return;
        }
        if (system.isTextual()) {
            parts.add(new Conversation.Part.Text(Conversation.Role.SYSTEM, "system", system.asText()));
            return;
        }
        if (!system.isArray()) {
            throw invalid("field \"system\": expected a string or a list of text blocks");
        }
        blocks(system, Conversation.Role.SYSTEM, "system", parts);
    }

    private static void anthropicMessages(JsonNode messages, List<Conversation.Part> parts) {
        if (absent(messages)) {
            return;
        }
        if (!messages.isArray()) {
            throw invalid("field \"messages\": expected a list of messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages[" + i + "].content";
            if (!m.isObject()) {
                throw invalid("field \"messages[" + i + "]\": expected a message object");
            }
            Conversation.Role role = role(m.path("role").asText(""));
            JsonNode content = m.get("content");
            if (absent(content)) {
                continue;
            }
            if (content.isTextual()) {
                parts.add(new Conversation.Part.Text(role, at, content.asText()));
            } else if (content.isArray()) {
                blocks(content, role, at, parts);
            } else {
                throw invalid("field \"" + at + "\": expected a string or a list of content blocks");
            }
        }
    }

    /** Anthropic content blocks: text, tool use (its input), tool results (their content), images and documents. */
    private static void blocks(JsonNode blocks, Conversation.Role role, String path, List<Conversation.Part> parts) {
        for (int j = 0; j < blocks.size(); j++) {
            JsonNode b = blocks.get(j);
            String at = path + "[" + j + "]";
            if (!b.isObject()) {
                throw invalid("field \"" + at + "\": expected a content block object");
            }
            String type = b.path("type").asText("");
            switch (type) {
                case "text" -> textField(b, "text", role, at, parts);
                case "tool_use", "server_tool_use" -> {
                    JsonNode input = b.get("input");
                    if (!absent(input)) {
                        parts.add(new Conversation.Part.Text(
                                Conversation.Role.ASSISTANT, at + ".input", input.toString()));
                    }
                }
                case "tool_result" -> {
                    JsonNode c = b.get("content");
                    if (absent(c)) {
                        break;
                    }
                    if (c.isTextual()) {
                        parts.add(new Conversation.Part.Text(Conversation.Role.TOOL, at + ".content", c.asText()));
                    } else if (c.isArray()) {
                        blocks(c, Conversation.Role.TOOL, at + ".content", parts);
                    } else {
                        throw invalid("field \"" + at + ".content\": expected a string or a list of content blocks");
                    }
                }
                default -> parts.add(new Conversation.Part.NonText(role, at, type.isEmpty() ? "unknown" : type));
            }
        }
    }

    private static void textField(
            JsonNode part, String field, Conversation.Role role, String path, List<Conversation.Part> parts) {
        text(part.get(field), role, path + "." + field, parts);
    }

    private static void text(JsonNode value, Conversation.Role role, String path, List<Conversation.Part> parts) {
        if (absent(value)) {
            return;
        }
        if (!value.isTextual()) {
            throw invalid("field \"" + path + "\": expected a string");
        }
        parts.add(new Conversation.Part.Text(role, path, value.asText()));
    }

    /** An unknown role is read as the user's: what the gateway cannot place it still reads. */
    private static Conversation.Role role(String role) {
        return switch (role.toLowerCase(Locale.ROOT)) {
            case "system", "developer" -> Conversation.Role.SYSTEM;
            case "assistant" -> Conversation.Role.ASSISTANT;
            case "tool", "function" -> Conversation.Role.TOOL;
            default -> Conversation.Role.USER;
        };
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    private static Rejection invalid(String message) {
        return new Rejection(GatewayError.Kind.INVALID_REQUEST, "invalid_request", message);
    }
}
