package dev.clearance.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.function.BooleanSupplier;

/**
 * {@code /health}, {@code /ready} and {@code /metrics}: how this node is doing, for operators and load balancers.
 *
 * @param storeFollowed whether the store's change feed is being read; while it is not, this node may be
 *     missing a newer policy and answers {@code /ready} with 503
 */
record NodeService(ActivePolicy policy, GatewayMetrics metrics, BooleanSupplier storeFollowed) implements HttpService {
    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", (req, res) -> AdminJson.send(res, 200, "{\"status\":\"UP\"}"))
                .get("/ready", (req, res) -> {
                    boolean ready = storeFollowed.getAsBoolean();
                    AdminJson.send(
                            res,
                            ready ? 200 : 503,
                            "{\"status\":\"" + (ready ? "READY" : "STORE_UNREACHABLE") + "\",\"policy_version\":\""
                                    + policy.current().version() + "\"}");
                })
                .get("/metrics", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(metrics.scrape());
                });
    }
}
