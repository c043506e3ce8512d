package dev.clearance.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.ContentClassification;
import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code POST /admin/v1/classify}: classifies one input, {@code {"id"?, "prompt"}} or
 * {@code {"id"?, "messages": [...]}} in OpenAI form (the lines {@code clearance classify} reads), with
 * the classifier the gateway uses, and answers what the content stage would add to the request: the
 * capabilities (found, and assumed when the classifier could not read everything), every score, the
 * part that triggered each finding and the parts that were not read. Nothing is decided or recorded.
 */
record ClassifyService(ContentInspection inspection) implements HttpService {
    private static final Set<String> KEYS = Set.of("id", "prompt", "messages");
    private static final double SCALE = 10_000;

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::classify);
    }

    private void classify(ServerRequest req, ServerResponse res) throws PolicyException {
        ContentClassifier classifier = inspection.classifier().orElse(null);
        if (classifier == null) {
            AdminJson.error(res, 404, "content classification is off on this gateway (classification.enabled: false)");
            return;
        }
        JsonNode line = AdminJson.object(req);
        for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw problem("unknown field '" + k + "' (valid: id, prompt, messages)");
            }
        }
        if (line.has("id") && !line.get("id").isTextual() && !line.get("id").isNumber()) {
            throw problem("field 'id': expected a string");
        }
        Conversation conversation;
        try {
            conversation = Conversations.ofPromptLine(line);
        } catch (Rejection r) {
            throw problem(r.error().message());
        }
        ContentClassification c =
                ClassifyContent.failClosed(classifier.classify(conversation), conversation, classifier);
        String id = line.path("id").asText("");
        AdminJson.send(res, 200, Json.write(g -> write(g, id, c)));
    }

    private static void write(JsonGenerator g, String id, ContentClassification c) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        Json.stringArray(g, "capabilities", c.capabilities());
        g.writeObjectFieldStart("scores");
        Map<String, Double> sorted = new TreeMap<>(c.scores());
        for (Map.Entry<String, Double> e : sorted.entrySet()) {
            g.writeNumberField(e.getKey(), Math.round(e.getValue() * SCALE) / SCALE);
        }
        g.writeEndObject();
        g.writeArrayFieldStart("found");
        for (ContentClassification.Finding f : c.findings()) {
            g.writeStartObject();
            g.writeStringField("capability", f.capability());
            g.writeNumberField("score", Math.round(f.score() * SCALE) / SCALE);
            g.writeNumberField("threshold", Math.round(f.threshold() * SCALE) / SCALE);
            g.writeStringField("part", f.part());
            g.writeStringField("role", f.role());
            g.writeNumberField("start", f.start());
            g.writeNumberField("end", f.end());
            g.writeEndObject();
        }
        g.writeEndArray();
        Json.stringArray(g, "assumed", c.assumed());
        g.writeArrayFieldStart("skipped");
        for (ContentClassification.Skipped s : c.skipped()) {
            g.writeStartObject();
            g.writeStringField("part", s.part());
            g.writeStringField("role", s.role());
            g.writeStringField("kind", s.kind());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeBooleanField("complete", c.complete());
        Json.stringArray(g, "errors", c.errors());
        g.writeStringField("classifier", c.classifier());
        g.writeStringField("version", c.version());
        g.writeEndObject();
    }

    private static PolicyException problem(String message) {
        return new PolicyException(new Problem(AdminJson.BODY, 0, 0, message));
    }
}
