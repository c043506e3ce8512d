package dev.clearance.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.Request;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last stage of {@code GET /v1/models}: the {@link ModelCatalogue}'s ids — and nothing else —
 * keeping only those this caller may use right now. Each model is decided like a call to it would be
 * (same principal, context and capabilities). The list is shaped for the caller: OpenAI's
 * {@code {"object": "list", "data": […]}}, or Anthropic's {@code data}, {@code first_id},
 * {@code last_id}, {@code has_more} when the caller sends {@code anthropic-version}. Each model object
 * is the one its upstream listed when it is in the caller's shape, else one made from its id.
 *
 * <p>Each model withheld is a denial that changes what the caller receives, so it is recorded
 * ({@link Enforcement#withhold}) as its own decision, with the withheld model as the request's model
 * and the id {@code <call id>.<k>} (k = 1, 2, … in the order of the list), so an auditor finds every
 * model a list call withheld, and why, from the {@code clearance-decision-id} the caller received.
 * Models the caller may use are not recorded: listing them takes nothing away. The list is released
 * once the withheld models' records are accepted (or the record timeout has passed).
 */
final class ListModels implements Pipeline.Stage {
    private static final ObjectMapper MAPPER = Json.mapper();

    private final ModelCatalogue catalogue;
    private final ActivePolicy policy;
    private final Enforcement enforcement;

    ListModels(ModelCatalogue catalogue, ActivePolicy policy, Enforcement enforcement) {
        this.catalogue = catalogue;
        this.policy = policy;
        this.enforcement = enforcement;
    }

    @Override
    public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
        Policy snapshot = policy.current();
        ArrayNode kept = MAPPER.createArrayNode();
        List<Enforcement.Ruling> withheld = new ArrayList<>();
        for (ModelCatalogue.Entry entry : catalogue.entries()) {
            Optional<Enforcement.Ruling> denial = withhold(snapshot, call, entry.id(), withheld.size() + 1);
            if (denial.isPresent()) {
                withheld.add(denial.get());
            } else {
                kept.add(modelObject(entry, call.style()));
            }
        }
        ObjectNode envelope = MAPPER.createObjectNode();
        switch (call.style()) {
            case OPENAI -> envelope.put("object", "list").set("data", kept);
            case ANTHROPIC -> {
                envelope.set("data", kept);
                envelope.put("has_more", false);
                envelope.put(
                        "first_id",
                        kept.isEmpty() ? null : kept.get(0).path("id").asText());
                envelope.put(
                        "last_id",
                        kept.isEmpty()
                                ? null
                                : kept.get(kept.size() - 1).path("id").asText());
            }
        }
        for (Enforcement.Ruling denial : withheld) {
            denial.release();
        }
        call.exchange()
                .header(
                        io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE,
                        io.netty.handler.codec.http.HttpHeaderValues.APPLICATION_JSON);
        call.exchange().send(MAPPER.writeValueAsBytes(envelope));
    }

    /** The model decided like a call to it; a denial (the k-th of this call) is recorded. */
    private Optional<Enforcement.Ruling> withhold(Policy snapshot, GatewayCall call, String model, int k) {
        Request r = call.request();
        return enforcement.withhold(
                snapshot, call.caller(), r.withId(r.id() + "." + k).withModel(model));
    }

    /**
     * The upstream's own object when it is in the caller's shape (Anthropic's carry {@code "type":
     * "model"}), else one in that shape made from the id and what the upstream said of it.
     */
    static JsonNode modelObject(ModelCatalogue.Entry entry, ApiStyle style) {
        ObjectNode listed = entry.listed();
        boolean anthropicShaped =
                listed != null && "model".equals(listed.path("type").asText());
        if (listed != null && anthropicShaped == (style == ApiStyle.ANTHROPIC)) {
            return listed;
        }
        ObjectNode m = MAPPER.createObjectNode();
        switch (style) {
            case OPENAI -> {
                m.put("id", entry.id());
                m.put("object", "model");
                m.put(
                        "created",
                        listed == null
                                ? 0
                                : epochSeconds(listed.path("created_at").asText("")));
                m.put("owned_by", entry.upstream().name());
            }
            case ANTHROPIC -> {
                m.put("type", "model");
                m.put("id", entry.id());
                m.put(
                        "display_name",
                        listed != null && listed.path("display_name").isTextual()
                                ? listed.path("display_name").asText()
                                : entry.id());
                m.put(
                        "created_at",
                        Instant.ofEpochSecond(
                                        listed == null
                                                ? 0
                                                : listed.path("created").asLong(0))
                                .toString());
            }
        }
        return m;
    }

    private static long epochSeconds(String rfc3339) {
        try {
            return Instant.parse(rfc3339).getEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
