package dev.clearance.gateway.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.messages.PatchRequest;
import com.unboundid.scim2.common.utils.JsonUtils;
import dev.clearance.core.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SCIM PATCH (RFC 7644 section 3.5.2): the operations are parsed and applied by the SCIM library to the
 * resource as it is stored; the result is then read like a PUT body, so a patch can never store what a
 * full replacement could not. Before the library sees them, two forms identity providers send are
 * spelled the way it reads them: a path that is a schema URN alone (the whole extension), and a no-path
 * operation whose value names attributes by path ({@code "name.givenName"}, {@code "urn:...:User:kind"}).
 */
final class ScimPatches {
    static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final int MAX_OPERATIONS = 1000;

    private ScimPatches() {}

    /**
     * The resource with the patch applied, and a one-line account of the operations (the "why" the
     * store's history keeps).
     */
    record Applied(ObjectNode resource, String summary) {}

    static Applied apply(ObjectNode body, ObjectNode resource, List<String> schemaUrns) {
        JsonNode schemas = body.path("schemas");
        boolean isPatch = false;
        for (JsonNode s : schemas) {
            isPatch |= PATCH_SCHEMA.equalsIgnoreCase(s.asText());
        }
        if (!isPatch) {
            throw ScimError.invalidSyntax("a PATCH body must name the schema " + PATCH_SCHEMA);
        }
        JsonNode ops = body.has("Operations") ? body.get("Operations") : body.path("operations");
        if (!ops.isArray() || ops.isEmpty()) {
            throw ScimError.invalidSyntax("a PATCH body needs a non-empty list 'Operations'");
        }
        if (ops.size() > MAX_OPERATIONS) {
            throw ScimError.invalidSyntax("a PATCH body may have at most " + MAX_OPERATIONS + " operations");
        }
        ArrayNode normalised = Json.mapper().createArrayNode();
        List<String> summary = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            normalise(ops.get(i), i, schemaUrns, normalised, summary);
        }
        ObjectNode request = Json.mapper().createObjectNode();
        request.putArray("schemas").add(PATCH_SCHEMA);
        request.set("Operations", normalised);
        PatchRequest patch;
        try {
            patch = JsonUtils.getObjectReader().forType(PatchRequest.class).readValue(request);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw malformed(e);
        }
        ObjectNode patched = resource.deepCopy();
        try {
            for (PatchOperation op : patch) {
                op.apply(patched);
            }
        } catch (ScimException e) {
            var err = e.getScimError();
            throw new ScimError(err.getStatus(), err.getScimType(), err.getDetail());
        }
        return new Applied(patched, "PATCH " + String.join("; ", summary));
    }

    /** Checks one operation and adds it, spelled as the library reads it, to {@code out}. */
    private static void normalise(JsonNode op, int i, List<String> urns, ArrayNode out, List<String> summary) {
        if (!op.isObject()) {
            throw ScimError.invalidSyntax("Operations[" + i + "] must be an object");
        }
        String name = op.path("op").asText("").toLowerCase(Locale.ROOT);
        if (!List.of("add", "replace", "remove").contains(name)) {
            throw ScimError.invalidSyntax(
                    "Operations[" + i + "].op must be add, replace or remove, not " + op.path("op"));
        }
        JsonNode path = op.get("path");
        JsonNode value = op.get("value");
        if (path != null && !path.isTextual()) {
            throw new ScimError(400, "invalidPath", "Operations[" + i + "].path must be a string");
        }
        if (path == null && name.equals("remove")) {
            throw new ScimError(400, "noTarget", "Operations[" + i + "]: remove needs a path");
        }
        if (!name.equals("remove") && value == null) {
            throw ScimError.invalidSyntax("Operations[" + i + "]: " + name + " needs a value");
        }
        if (path != null && urns.stream().anyMatch(u -> u.equalsIgnoreCase(path.asText()))) {
            // A schema URN alone names the whole extension: the library reads it only as a no-path value.
            if (name.equals("remove")) {
                throw new ScimError(
                        400,
                        "invalidPath",
                        "Operations[" + i + "]: remove one attribute of " + path.asText() + " at a time (e.g. "
                                + path.asText() + ":citizenships)");
            }
            ObjectNode wrapped = Json.mapper().createObjectNode();
            wrapped.set(path.asText(), value);
            add(out, name, null, wrapped);
            summary.add(name + " " + path.asText());
            return;
        }
        if (path == null && value.isObject()) {
            ObjectNode plain = Json.mapper().createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                boolean isUrn = urns.stream().anyMatch(u -> u.equalsIgnoreCase(e.getKey()));
                if (!isUrn && (e.getKey().contains(".") || e.getKey().contains(":"))) {
                    add(out, name, e.getKey(), e.getValue());
                } else {
                    plain.set(e.getKey(), e.getValue());
                }
                summary.add(name + " " + e.getKey());
            }
            if (!plain.isEmpty()) {
                add(out, name, null, plain);
            }
            return;
        }
        if (path == null) {
            throw ScimError.invalidSyntax("Operations[" + i + "]: without a path the value must be an object");
        }
        add(out, name, path.asText(), value);
        summary.add(name + " " + path.asText());
    }

    private static void add(ArrayNode out, String op, String path, JsonNode value) {
        ObjectNode o = out.addObject().put("op", op);
        if (path != null) {
            o.put("path", path);
        }
        if (value != null) {
            o.set("value", value);
        }
    }

    private static ScimError malformed(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BadRequestException bad) {
                return new ScimError(400, "invalidPath", bad.getMessage());
            }
        }
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        int nl = message == null ? -1 : message.indexOf('\n');
        return ScimError.invalidSyntax("malformed PATCH operation: " + (nl < 0 ? message : message.substring(0, nl)));
    }
}
