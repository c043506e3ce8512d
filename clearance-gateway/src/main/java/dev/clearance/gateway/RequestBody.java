package dev.clearance.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import dev.clearance.core.ModelName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The body of a model call, kept as the exact bytes the caller sent, with the two fields the gateway
 * reads from it: {@code model} and {@code stream}. The bytes are forwarded unchanged except for the
 * {@code model} value, which {@link #withModel} replaces by the catalogue id that was decided.
 *
 * @param modelStart byte offset of the {@code model} value (its opening quote)
 * @param modelEnd   byte offset just after the {@code model} value (after its closing quote)
 */
record RequestBody(byte[] bytes, String model, boolean stream, int modelStart, int modelEnd) {
    // Jackson's default buffer pool is per thread: with a virtual thread per call every parse would
    // allocate its buffers anew. A pool shared by all threads reuses them.
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();
    private static final String MODEL = "model";
    private static final String STREAM = "stream";

    /**
     * Reads the top-level {@code model} and {@code stream} fields in one streaming pass, skipping
     * everything else without building a tree; the whole document is still checked to be well-formed.
     * A field read by the gateway must appear once and spelled exactly: an upstream that takes the
     * last of two {@code model} keys, or reads {@code Model} as {@code model} (Go's encoding/json
     * does), would otherwise serve a model that was never decided.
     *
     * @throws Rejection 400 naming the line and column of malformed JSON, or the missing, mistyped,
     *     repeated, oversized or look-alike field
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
        int modelStart = -1;
        int modelEnd = -1;
        boolean stream = false;
        boolean streamSeen = false;
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
                if (MODEL.equals(field)) {
                    if (model != null) {
                        throw invalid(
                                "duplicate_model", "field \"model\" appears twice" + at(p.currentTokenLocation()));
                    }
                    if (value != JsonToken.VALUE_STRING) {
                        throw invalid(
                                "invalid_model",
                                "field \"model\" must be a string, found " + describe(value)
                                        + at(p.currentTokenLocation()));
                    }
                    modelStart = (int) p.currentTokenLocation().getByteOffset();
                    model = p.getText();
                    modelEnd = (int) p.currentLocation().getByteOffset();
                    String problem = ModelName.problem(model);
                    if (problem != null) {
                        throw invalid(
                                model.length() > ModelName.MAX_LENGTH ? "model_too_long" : "invalid_model",
                                "field \"model\" " + problem + at(p.currentTokenLocation()));
                    }
                } else if (STREAM.equals(field)) {
                    if (streamSeen) {
                        throw invalid(
                                "duplicate_stream", "field \"stream\" appears twice" + at(p.currentTokenLocation()));
                    }
                    streamSeen = true;
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
                    refuseLookAlike(field, p);
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
        if (model == null || ModelName.key(model).isEmpty()) {
            throw invalid(
                    "missing_model",
                    "field \"model\" is required: the model decides which directives apply and which upstream serves the call");
        }
        return new RequestBody(bytes, model, stream, modelStart, modelEnd);
    }

    /** A top-level key that an upstream could read as {@code model} or {@code stream} but is not spelled so. */
    private static void refuseLookAlike(String field, JsonParser p) {
        if (field.length() > 64) {
            return; // no spelling of "model" or "stream" is this long: do not normalise a huge key
        }
        String folded = ModelName.fold(field);
        if (folded.equals(MODEL) || folded.equals(STREAM)) {
            throw invalid(
                    "ambiguous_field",
                    "field \"" + field + "\" may be read as \"" + folded + "\" by the upstream; write \"" + folded
                            + "\" exactly, once" + at(p.currentTokenLocation()));
        }
    }

    /**
     * This body with {@code id} as its model: the bytes before and after the {@code model} value are
     * kept exactly; only the value itself is written anew (as JSON, escaping what must be escaped).
     */
    RequestBody withModel(String id) {
        byte[] value = quoted(id);
        if (Arrays.equals(bytes, modelStart, modelEnd, value, 0, value.length)) {
            return this;
        }
        byte[] out = new byte[bytes.length - (modelEnd - modelStart) + value.length];
        System.arraycopy(bytes, 0, out, 0, modelStart);
        System.arraycopy(value, 0, out, modelStart, value.length);
        System.arraycopy(bytes, modelEnd, out, modelStart + value.length, bytes.length - modelEnd);
        return new RequestBody(out, id, stream, modelStart, modelStart + value.length);
    }

    private static byte[] quoted(String s) {
        byte[] inner = JsonStringEncoder.getInstance().quoteAsUTF8(s);
        byte[] out = new byte[inner.length + 2];
        out[0] = '"';
        System.arraycopy(inner, 0, out, 1, inner.length);
        out[out.length - 1] = '"';
        return out;
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
