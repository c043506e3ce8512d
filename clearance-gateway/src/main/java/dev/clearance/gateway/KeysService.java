package dev.clearance.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import dev.clearance.store.IssuedKey;
import dev.clearance.store.Store;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /admin/v1/keys}: issue an API key for a principal (shown this once) and revoke one by its
 * prefix. A revocation forgets the cached callers, so the key is refused from the next request, and
 * re-decides the calls in flight, so a call still open under the key is cut before the answer.
 */
record KeysService(Store store, Callers callers, LiveCalls live) implements HttpService {
    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::issue).delete("/{prefix}", this::revoke);
    }

    private void issue(ServerRequest req, ServerResponse res) throws PolicyException {
        JsonNode principal = AdminJson.object(req).get("principal");
        if (principal == null || !principal.isTextual() || principal.asText().isBlank()) {
            throw new PolicyException(new Problem(
                    AdminJson.BODY, 1, 0, "field \"principal\" (string) is required, e.g. {\"principal\": \"alice\"}"));
        }
        IssuedKey key = store.keys().create(principal.asText(), AdminApi.ACTOR); // 404 for an unknown principal
        AdminJson.send(res, 201, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("key", key.key());
            g.writeStringField("prefix", key.info().prefix());
            g.writeStringField("principal", key.info().principalId());
            g.writeEndObject();
        }));
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        store.keys().revoke(req.path().pathParameters().get("prefix"), AdminApi.ACTOR); // 404 for an unknown prefix
        callers.forget();
        live.redecideAll();
        res.status(Status.NO_CONTENT_204).send();
    }
}
