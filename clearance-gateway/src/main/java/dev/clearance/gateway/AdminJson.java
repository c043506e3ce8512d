package dev.clearance.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;

/**
 * The admin API's bodies, shared by its services: requests read as text or as a JSON object, answers
 * and errors written as JSON. Every admin error is {@code {"error": "…"}}, with {@code "problems"}
 * (each {@code file:line:column: message}) when the input was invalid.
 */
final class AdminJson {
    /** Where problems in a request body are located. */
    static final String BODY = "request body";

    private AdminJson() {}

    static String text(ServerRequest req) {
        return req.content().hasEntity() ? req.content().as(String.class) : "";
    }

    /** The body as a JSON object. @throws PolicyException (400) when it is not one, located */
    static JsonNode object(ServerRequest req) throws PolicyException {
        JsonNode n;
        try {
            n = Json.mapper().readTree(text(req));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new PolicyException(new Problem(
                    BODY,
                    at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(),
                    "malformed JSON: " + e.getOriginalMessage()));
        }
        if (n == null || !n.isObject()) {
            throw new PolicyException(new Problem(BODY, 1, 1, "expected a JSON object"));
        }
        return n;
    }

    static void send(ServerResponse res, int status, String json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }

    static void error(ServerResponse res, int status, String message) {
        send(res, status, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        }));
    }

    /**
     * 409 {@code {"error", "code": "policy_conflict", "based_on", "active"}}: the change was derived from
     * policy version {@code based_on}, and other activations kept coming first; nothing changed.
     */
    static void conflict(ServerResponse res, dev.clearance.store.StoreException.PolicyConflict e) {
        send(res, 409, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("error", e.getMessage());
            g.writeStringField("code", "policy_conflict");
            g.writeNumberField("based_on", e.basedOn());
            g.writeNumberField("active", e.active());
            g.writeEndObject();
        }));
    }

    /** 400 with every problem; the first one is also the error message. */
    static void problems(ServerResponse res, List<Problem> problems) {
        send(res, 400, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField(
                    "error",
                    problems.isEmpty() ? "invalid input" : problems.get(0).toString());
            Json.stringArray(
                    g, "problems", problems.stream().map(Problem::toString).toList());
            g.writeEndObject();
        }));
    }
}
