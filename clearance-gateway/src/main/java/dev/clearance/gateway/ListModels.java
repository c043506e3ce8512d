package dev.clearance.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.Request;
import io.helidon.http.HeaderNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of {@code GET /v1/models}: the upstreams' model lists, merged, keeping only the
 * models this caller may use right now. Each model is decided like a call to it would be (same
 * principal, context and capabilities); a model is listed under the upstream that would serve it.
 * The first answering upstream's envelope is kept, so OpenAI- and Anthropic-shaped lists both pass.
 *
 * <p>Each model withheld is a denial that changes what the caller receives, so it is recorded
 * ({@link Enforcement#withhold}) as its own decision, with the withheld model as the request's model
 * and the id {@code <call id>.<k>} (k = 1, 2, … in the order of the list), so an auditor finds every
 * model a list call withheld, and why, from the {@code clearance-decision-id} the caller received.
 * Models the caller may use are not recorded: listing them takes nothing away. The list is released
 * once the withheld models' records are accepted (or the record timeout has passed).
 */
final class ListModels implements Pipeline.Stage {
    private static final Logger LOG = LoggerFactory.getLogger(ListModels.class);
    private static final ObjectMapper MAPPER = Json.mapper();

    private final GatewaySettings settings;
    private final UpstreamClients clients;
    private final ActivePolicy policy;
    private final Enforcement enforcement;

    ListModels(GatewaySettings settings, UpstreamClients clients, ActivePolicy policy, Enforcement enforcement) {
        this.settings = settings;
        this.clients = clients;
        this.policy = policy;
        this.enforcement = enforcement;
    }

    @Override
    public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
        Policy snapshot = policy.current();
        ObjectNode envelope = null;
        ArrayNode kept = MAPPER.createArrayNode();
        List<Enforcement.Ruling> withheld = new ArrayList<>();
        int answered = 0;
        for (GatewaySettings.Upstream upstream : settings.upstreams()) {
            JsonNode list = fetch(call, upstream);
            if (list == null) {
                continue;
            }
            answered++;
            if (envelope == null) {
                envelope = (ObjectNode) list;
            }
            for (JsonNode model : list.path("data")) {
                String id = model.path("id").asText("");
                if (id.isEmpty() || settings.upstreamFor(id).orElse(null) != upstream) {
                    continue;
                }
                Optional<Enforcement.Ruling> denial = withhold(snapshot, call, id, withheld.size() + 1);
                if (denial.isPresent()) {
                    withheld.add(denial.get());
                } else {
                    kept.add(model);
                }
            }
        }
        if (answered == 0) {
            throw new Rejection(
                    GatewayError.Kind.BAD_GATEWAY, "upstream_unreachable", "no upstream answered the model list");
        }
        envelope.set("data", kept);
        if (envelope.has("first_id")) {
            envelope.put(
                    "first_id", kept.isEmpty() ? null : kept.get(0).path("id").asText());
            envelope.put(
                    "last_id",
                    kept.isEmpty() ? null : kept.get(kept.size() - 1).path("id").asText());
        }
        for (Enforcement.Ruling denial : withheld) {
            denial.release();
        }
        call.response().header(HeaderNames.CONTENT_TYPE, "application/json");
        call.response().send(MAPPER.writeValueAsBytes(envelope));
    }

    /** The model decided like a call to it; a denial (the k-th of this call) is recorded. */
    private Optional<Enforcement.Ruling> withhold(Policy snapshot, GatewayCall call, String model, int k) {
        Request r = call.request();
        return enforcement.withhold(
                snapshot, call.caller(), r.withId(r.id() + "." + k).withModel(model));
    }

    /** The upstream's list as a JSON object, or null (logged) when it cannot give one. */
    private JsonNode fetch(GatewayCall call, GatewaySettings.Upstream upstream) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/v1/models"))
                .timeout(Duration.ofSeconds(10))
                .GET();
        ProxyHeaders.toUpstream(call.http(), b, call.style(), upstream.apiKey());
        try {
            HttpResponse<byte[]> response =
                    clients.next(upstream).send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                LOG.warn("upstream {} answered the model list with status {}", upstream.name(), response.statusCode());
                return null;
            }
            JsonNode list = MAPPER.readTree(response.body());
            if (list == null || !list.isObject() || !list.path("data").isArray()) {
                LOG.warn("upstream {} answered the model list without a \"data\" array", upstream.name());
                return null;
            }
            return list;
        } catch (IOException e) {
            LOG.warn("upstream {} unreachable for the model list: {}", upstream.name(), e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
