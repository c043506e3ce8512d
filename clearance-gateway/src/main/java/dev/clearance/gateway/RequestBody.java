package dev.clearance.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The body of a model call, kept as the exact bytes the caller sent (they are forwarded unchanged),
 * with the two fields the gateway reads from it: {@code model} and {@code stream}.
 */
record RequestBody(byte[] bytes, String model, boolean stream) {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * Reads the top-level {@code model} and {@code stream} fields, skipping everything else without
     * building a tree; the whole document is still checked to be well-formed JSON.
     *
     * @throws Rejection 400 naming the line and column of malformed JSON, or the missing or mistyped field
     */
    static RequestBody parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw invalid("empty_body", "request body is empty: expected a JSON object with a \"model\" field");
        }
        int bad = invalidUtf8At(bytes);
        if (bad >= 0) {
            // JSON is UTF-8 (RFC 8259): bytes the gateway and the upstream might decode differently are not decided.
            throw invalid("invalid_utf8", "request body is not valid UTF-8: invalid byte sequence at offset " + bad);
        }
        String model = null;
        boolean stream = false;
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(
                        "invalid_json",
                        "request body must be a JSON object, found " + describe(p.currentToken())
                                + at(p.currentTokenLocation()));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("model".equals(field)) {
                    if (model != null) {
                        // The upstream might read the other copy: the model decided must be the model served.
                        throw invalid(
                                "duplicate_model", "field \"model\" appears twice" + at(p.currentTokenLocation()));
                    }
                    if (value != JsonToken.VALUE_STRING) {
                        throw invalid(
                                "invalid_model",
                                "field \"model\" must be a string, found " + describe(value)
                                        + at(p.currentTokenLocation()));
                    }
                    model = p.getText();
                } else if ("stream".equals(field)) {
                    if (value != JsonToken.VALUE_TRUE
                            && value != JsonToken.VALUE_FALSE
                            && value != JsonToken.VALUE_NULL) {
                        throw invalid(
                                "invalid_stream",
                                "field \"stream\" must be a boolean, found " + describe(value)
                                        + at(p.currentTokenLocation()));
                    }
                    stream = value == JsonToken.VALUE_TRUE;
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw invalid(
                        "invalid_json", "unexpected content after the JSON object" + at(p.currentTokenLocation()));
            }
        } catch (JsonProcessingException e) {
            throw invalid("invalid_json", "malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("invalid_json", "unreadable request body: " + e.getMessage());
        }
        if (model == null || model.isBlank()) {
            throw invalid(
                    "missing_model",
                    "field \"model\" is required: the model decides which directives apply and which upstream serves the call");
        }
        return new RequestBody(bytes, model, stream);
    }

    /** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1; allocates no copy of the body. */
    static int invalidUtf8At(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0) {
            i++; // ASCII, the common case
        }
        if (i == bytes.length) {
            return -1;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, i, bytes.length - i);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                return in.position();
            }
            if (r.isUnderflow()) {
                return decoder.flush(out).isError() ? in.position() : -1;
            }
            out.clear();
        }
    }

    private static Rejection invalid(String code, String message) {
        return new Rejection(GatewayError.Kind.INVALID_REQUEST, code, message);
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }
}
