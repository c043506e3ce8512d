package dev.clearance.gateway;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * {@code GET /admin/v1/fleet}: every node on this store, the policy version each enforces and since
 * when, when each was last seen and whether it is {@code up}, {@code stale} or {@code down}, beside
 * the active policy version. Read from the store on every call, so any node answers for the whole
 * fleet; when the store cannot be read the answer is 503 (as for every store failure).
 */
record FleetService(FleetMember fleet) implements HttpService {
    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> AdminJson.send(res, 200, fleet.view().toJson()));
    }
}
