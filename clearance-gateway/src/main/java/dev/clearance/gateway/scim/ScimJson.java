package dev.clearance.gateway.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.OptionalLong;

/** SCIM's wire format: bodies read as JSON objects, answers and errors written as {@code application/scim+json}. */
final class ScimJson {
    static final String MEDIA_TYPE = "application/scim+json";
    static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
    static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    private ScimJson() {}

    /** The request body as a JSON object, or 400 invalidSyntax saying where it is broken. */
    static ObjectNode body(ServerRequest req) {
        String text = req.content().hasEntity() ? req.content().as(String.class) : "";
        JsonNode n;
        try {
            n = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw ScimError.invalidSyntax("malformed JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw ScimError.invalidSyntax("the body must be a JSON object");
        }
        return (ObjectNode) n;
    }

    static void send(ServerResponse res, int status, JsonNode body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        res.send(body.toString());
    }

    /** A resource with its ETag (its {@code meta.version}). */
    static void sendResource(ServerResponse res, int status, ObjectNode resource) {
        JsonNode version = resource.path("meta").path("version");
        if (version.isTextual()) {
            res.header(HeaderNames.ETAG, version.asText());
        }
        JsonNode location = resource.path("meta").path("location");
        if (status == 201 && location.isTextual()) {
            res.header(HeaderNames.LOCATION, location.asText());
        }
        send(res, status, resource);
    }

    static void error(ServerResponse res, ScimError e) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putArray("schemas").add(ERROR_SCHEMA);
        body.put("status", Integer.toString(e.status()));
        if (e.scimType() != null) {
            body.put("scimType", e.scimType());
        }
        body.put("detail", e.getMessage());
        send(res, e.status(), body);
    }

    /** The version a resource is at, as its weak ETag. */
    static String etag(long version) {
        return "W/\"" + version + "\"";
    }

    /**
     * The version an {@code If-Match} header names, if the request has one; {@code *} names any.
     *
     * @throws ScimError (412) for a tag that is not one this server gave out
     */
    static OptionalLong ifMatch(ServerRequest req) {
        String tag = req.headers().first(HeaderNames.IF_MATCH).orElse("").trim();
        if (tag.isEmpty() || tag.equals("*")) {
            return OptionalLong.empty();
        }
        String digits = tag.replaceFirst("^W/", "").replace("\"", "");
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            throw new ScimError(412, null, "If-Match " + tag + " names no version of this resource");
        }
    }

    /** The {@code meta} of a resource. */
    static ObjectNode meta(String resourceType, Instant created, Instant lastModified, String location, long version) {
        ObjectNode meta = Json.mapper().createObjectNode();
        meta.put("resourceType", resourceType);
        meta.put("created", created.toString());
        meta.put("lastModified", lastModified.toString());
        meta.put("location", location);
        meta.put("version", etag(version));
        return meta;
    }
}
