package dev.clearance.gateway;

import dev.clearance.core.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.function.BooleanSupplier;

/**
 * {@code /health}, {@code /ready} and {@code /metrics}: how this node is doing, for operators and load
 * balancers. {@code /ready} answers 503 while the store's change feed cannot be read
 * ({@code STORE_UNREACHABLE}: this node may be missing a newer policy) and while the node has not
 * confirmed its policy within {@code store.max_staleness} ({@code POLICY_UNCONFIRMED}: it refuses model
 * calls), so a load balancer drains it. Under {@code store.on_unreachable: serve-cached} the node
 * keeps serving and says so: 200 {@code SERVING_UNCONFIRMED}.
 *
 * @param storeFollowed whether the last attempt to read the change feed succeeded
 */
record NodeService(
        ActivePolicy policy, GatewayMetrics metrics, BooleanSupplier storeFollowed, Confirmation confirmation)
        implements HttpService {
    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", (req, res) -> AdminJson.send(res, 200, "{\"status\":\"UP\"}"))
                .get("/ready", (req, res) -> {
                    String status = status();
                    boolean ready = status.equals("READY") || status.equals("SERVING_UNCONFIRMED");
                    ActivePolicy.Applied applied = policy.applied();
                    AdminJson.send(res, ready ? 200 : 503, Json.write(g -> {
                        g.writeStartObject();
                        g.writeStringField("status", status);
                        g.writeStringField("policy_version", applied.policy().version());
                        g.writeNumberField("policy_number", applied.number());
                        g.writeNumberField(
                                "confirmed_ms_ago", confirmation.age().toMillis());
                        g.writeEndObject();
                    }));
                })
                .get("/metrics", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(metrics.scrape());
                });
    }

    private String status() {
        if (confirmation.serveCached()) {
            return confirmation.confirmed() ? "READY" : "SERVING_UNCONFIRMED";
        }
        if (!confirmation.confirmed()) {
            return "POLICY_UNCONFIRMED";
        }
        return storeFollowed.getAsBoolean() ? "READY" : "STORE_UNREACHABLE";
    }
}
