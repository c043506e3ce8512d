package dev.clearance.gateway.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The discovery endpoints (RFC 7644 section 4): {@code ServiceProviderConfig}, {@code ResourceTypes} and
 * {@code Schemas}, from documents shipped beside this class, with their locations filled in per request.
 */
final class DiscoveryService implements HttpService {
    private final ObjectNode config = (ObjectNode) load("ServiceProviderConfig.json");
    private final ArrayNode resourceTypes = (ArrayNode) load("ResourceTypes.json");
    private final ArrayNode schemas = (ArrayNode) load("Schemas.json");

    @Override
    public void routing(HttpRules rules) {
        rules.get("/ServiceProviderConfig", ScimApi.handle(this::config))
                .get("/ResourceTypes", ScimApi.handle((req, res) -> list(req, res, resourceTypes, "ResourceTypes")))
                .get("/ResourceTypes/{id}", ScimApi.handle((req, res) -> one(req, res, resourceTypes, "ResourceTypes")))
                .get("/Schemas", ScimApi.handle((req, res) -> list(req, res, schemas, "Schemas")))
                .get("/Schemas/{id}", ScimApi.handle((req, res) -> one(req, res, schemas, "Schemas")));
    }

    private void config(ServerRequest req, ServerResponse res) {
        ObjectNode c = config.deepCopy();
        ((ObjectNode) c.get("meta")).put("location", ScimApi.base(req) + "/ServiceProviderConfig");
        ScimJson.send(res, 200, c);
    }

    private static void list(ServerRequest req, ServerResponse res, ArrayNode all, String endpoint) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putArray("schemas").add(ScimJson.LIST_SCHEMA);
        body.put("totalResults", all.size());
        body.put("startIndex", 1);
        body.put("itemsPerPage", all.size());
        ArrayNode resources = body.putArray("Resources");
        for (JsonNode r : all) {
            resources.add(located(req, (ObjectNode) r, endpoint));
        }
        ScimJson.send(res, 200, body);
    }

    private static void one(ServerRequest req, ServerResponse res, ArrayNode all, String endpoint) {
        String id = req.path().pathParameters().get("id");
        for (JsonNode r : all) {
            if (r.path("id").asText().equals(id)) {
                ScimJson.send(res, 200, located(req, (ObjectNode) r, endpoint));
                return;
            }
        }
        throw ScimError.notFound("no " + endpoint + " '" + id + "'");
    }

    private static ObjectNode located(ServerRequest req, ObjectNode r, String endpoint) {
        ObjectNode copy = r.deepCopy();
        ((ObjectNode) copy.get("meta"))
                .put(
                        "location",
                        ScimApi.base(req) + "/" + endpoint + "/" + r.path("id").asText());
        return copy;
    }

    private static JsonNode load(String name) {
        try (InputStream in = DiscoveryService.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
