package dev.clearance.gateway;

import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import dev.clearance.store.StoredPrincipal;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /admin/v1/principals}: upsert, read and delete principals. A change forgets the cached callers
 * and re-decides the calls in flight before it is acknowledged, so it counts from the next request.
 */
record PrincipalsService(Store store, Callers callers, LiveCalls live) implements HttpService {
    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::put).get("/{id}", this::get).delete("/{id}", this::delete);
    }

    private void put(ServerRequest req, ServerResponse res) throws PolicyException {
        Principal p = Json.principal(AdminJson.text(req), AdminJson.BODY, 1);
        store.principals().put(p, AdminApi.ACTOR);
        changed();
        AdminJson.send(res, 200, Json.writePrincipal(p));
    }

    private void get(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        Principal p = store.principals().get(id).map(StoredPrincipal::principal).orElseThrow(() -> noPrincipal(id));
        AdminJson.send(res, 200, Json.writePrincipal(p));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (!store.principals().delete(id, AdminApi.ACTOR)) {
            throw noPrincipal(id);
        }
        changed();
        res.status(Status.NO_CONTENT_204).send();
    }

    private void changed() {
        callers.forget();
        live.redecideAll();
    }

    private static StoreException.NotFound noPrincipal(String id) {
        return new StoreException.NotFound("no principal '" + id + "'");
    }
}
