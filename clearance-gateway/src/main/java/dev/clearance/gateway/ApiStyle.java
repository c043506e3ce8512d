package dev.clearance.gateway;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The two API families the gateway speaks. Each one shapes errors the way its provider does, so the
 * official SDKs raise their usual exceptions, and each one carries the upstream key in its own header.
 */
public enum ApiStyle {
    /** OpenAI-compatible: {@code {"error": {"message", "type", "param", "code"}}}, key as {@code Authorization: Bearer}. */
    OPENAI,
    /** Anthropic-compatible: {@code {"type": "error", "error": {"type", "message"}}}, key as {@code x-api-key}. */
    ANTHROPIC;

    /** The JSON body of an error response in this provider's shape. */
    public byte[] errorBody(GatewayError error) {
        return json(error).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The final SSE event that ends a stream cut by a policy change: OpenAI clients read a {@code data:}
     * line carrying an {@code error} object; Anthropic clients read an {@code event: error}.
     */
    public byte[] streamErrorEvent(GatewayError error) {
        String event = switch (this) {
            case OPENAI -> "data: " + json(error) + "\n\n";
            case ANTHROPIC -> "event: error\ndata: " + json(error) + "\n\n";
        };
        return event.getBytes(StandardCharsets.UTF_8);
    }

    private String json(GatewayError error) {
        String message = quote(error.message());
        return switch (this) {
            case OPENAI ->
                "{\"error\":{\"message\":\"" + message + "\",\"type\":\""
                        + error.kind().openAiType() + "\",\"param\":null,\"code\":\"" + quote(error.code()) + "\"}}";
            case ANTHROPIC ->
                "{\"type\":\"error\",\"error\":{\"type\":\"" + error.kind().anthropicType() + "\",\"message\":\""
                        + message + "\"}}";
        };
    }

    private static String quote(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
}
