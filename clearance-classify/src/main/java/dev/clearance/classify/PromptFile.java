package dev.clearance.classify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One line of a prompts file (JSON Lines): {@code {"id", "prompt"}} or {@code {"id", "messages"}}
 * with messages in OpenAI form ({@code role}, {@code content} as a string or a list of typed parts;
 * Anthropic's typed parts read the same way), and for evaluation {@code "expect"} (the capabilities
 * the prompt asks for; empty for none) and an optional {@code "kind"}. A bad line is a {@link
 * Problem} naming the file, the line and the field.
 */
public record PromptFile(String id, Input input, Set<String> expect, String kind) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("id", "prompt", "messages", "expect", "kind");

    /**
     * Reads one line; {@code labelled} requires {@code expect}. A line with no {@code id} is
     * named {@code file:line}.
     */
    public static PromptFile line(String text, String file, int line, boolean labelled) throws PolicyException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw problem(file, line, "not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode o)) {
            throw problem(file, line, "expected a JSON object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw problem(file, line, "unknown field '" + k + "' (valid: id, prompt, messages, expect, kind)");
            }
        }
        String id = file + ":" + line;
        if (o.has("id")) {
            if (!o.get("id").isTextual() && !o.get("id").isNumber()) {
                throw problem(file, line, "field 'id': expected a string");
            }
            id = o.get("id").asText();
        }
        Input input;
        if (o.has("prompt") == o.has("messages")) {
            throw problem(file, line, "exactly one of 'prompt' or 'messages' is required");
        } else if (o.has("prompt")) {
            if (!o.get("prompt").isTextual()) {
                throw problem(file, line, "field 'prompt': expected a string");
            }
            input = Input.prompt(o.get("prompt").asText());
        } else {
            input = messages(o.get("messages"), file, line);
        }
        Set<String> expect = new LinkedHashSet<>();
        if (o.has("expect")) {
            JsonNode e = o.get("expect");
            if (!e.isArray()) {
                throw problem(file, line, "field 'expect': expected a list of capability ids");
            }
            for (JsonNode c : e) {
                if (!c.isTextual() || c.asText().isBlank()) {
                    throw problem(file, line, "field 'expect': every item must be a capability id");
                }
                expect.add(c.asText().toLowerCase(Locale.ROOT));
            }
        } else if (labelled) {
            throw problem(file, line, "missing field 'expect' (the capabilities the prompt asks for; [] for none)");
        }
        String kind = null;
        if (o.has("kind")) {
            if (!o.get("kind").isTextual()) {
                throw problem(file, line, "field 'kind': expected a string");
            }
            kind = o.get("kind").asText();
        }
        return new PromptFile(id, input, expect, kind);
    }

    private static Input messages(JsonNode messages, String file, int line) throws PolicyException {
        if (!messages.isArray() || messages.isEmpty()) {
            throw problem(file, line, "field 'messages': expected a non-empty list of {role, content}");
        }
        List<Input.Part> parts = new ArrayList<>();
        int i = 0;
        for (JsonNode m : messages) {
            String at = "field 'messages[" + i++ + "]";
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw problem(file, line, at + "': expected an object with 'role' and 'content'");
            }
            Role role = role(m.get("role").asText(), file, line, at);
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                parts.add(new Input.Part.Text(role, content.asText()));
            } else if (content.isArray()) {
                for (JsonNode p : content) {
                    String type = p.path("type").asText("");
                    if (p.isTextual()) {
                        parts.add(new Input.Part.Text(role, p.asText()));
                    } else if (type.equals("text") || type.equals("input_text") || type.equals("output_text")) {
                        parts.add(new Input.Part.Text(role, p.path("text").asText("")));
                    } else if (type.equals("tool_result") && p.path("content").isTextual()) {
                        parts.add(
                                new Input.Part.Text(Role.TOOL, p.get("content").asText()));
                    } else {
                        parts.add(new Input.Part.NonText(role, type.isEmpty() ? "unknown" : type));
                    }
                }
            } else if (!content.isNull() && !content.isMissingNode()) {
                throw problem(file, line, at + ".content': expected a string or a list of parts");
            }
        }
        return new Input(parts);
    }

    private static Role role(String role, String file, int line, String at) throws PolicyException {
        return switch (role.toLowerCase(Locale.ROOT)) {
            case "system", "developer" -> Role.SYSTEM;
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            case "tool", "function" -> Role.TOOL;
            default ->
                throw problem(
                        file,
                        line,
                        at + ".role': '" + role + "' is not valid (valid: system, developer, user, assistant, tool)");
        };
    }

    private static PolicyException problem(String file, int line, String message) {
        return new PolicyException(new Problem(file, line, 0, message));
    }
}
