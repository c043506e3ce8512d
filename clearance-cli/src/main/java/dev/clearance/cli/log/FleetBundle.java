package dev.clearance.cli.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.Json;
import dev.clearance.log.LogView;
import dev.clearance.log.audit.EvidenceBundle;
import dev.clearance.log.merkle.ProofException;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.record.RecordSearch;
import dev.clearance.record.RecordSummarizer;
import dev.clearance.store.FleetNode;
import dev.clearance.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An evidence bundle from several nodes: one {@link EvidenceBundle} per node log readable here, each
 * with the node's name and its entries proven against its own signed checkpoint. JSON:
 * {@code {"format":"clearance-fleet-evidence/1","from","to","nodes":[{"node","public_key","bundle":{…}}]}}.
 * The {@code public_key} is what the node published, for reference; verification trusts only the keys
 * the auditor gives.
 */
final class FleetBundle {
    static final String FORMAT = "clearance-fleet-evidence/1";

    private FleetBundle() {}

    /** One node's part, verified. */
    record Verified(String node, EvidenceBundle.Verified bundle) {}

    static boolean isFleet(JsonNode bundle) {
        return FORMAT.equals(bundle.path("format").asText());
    }

    /**
     * The entries {@code c} selects (time in {@code [from, to)}, and any other criteria) of every node log
     * readable here; nodes whose log is not are named in {@code skipped}.
     */
    static String export(Store store, Map<String, Path> logs, RecordSearch.Criteria c, List<String> skipped)
            throws IOException {
        Instant from = c.from();
        Instant to = c.to();
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("format", FORMAT);
        out.put("from", from.toString());
        out.put("to", to.toString());
        ArrayNode nodes = out.putArray("nodes");
        for (FleetNode node : store.fleet().nodes()) {
            Path dir = FleetAudit.logDirectory(node, logs.get(node.node()));
            if (dir == null || !Files.isDirectory(dir)) {
                skipped.add(node.node());
                continue;
            }
            try (LogView view = LogView.openReadOnly(dir)) {
                String bundle = EvidenceBundle.export(
                        view, from, to, c.describe(), RecordSearch.search(view, dir, c, Integer.MAX_VALUE));
                ObjectNode part = nodes.addObject();
                part.put("node", node.node());
                part.put("public_key", node.logKey());
                part.set("bundle", Json.mapper().readTree(bundle));
            }
        }
        return Json.mapper().writeValueAsString(out) + "\n";
    }

    /**
     * Verifies every node's part with whichever of {@code keys} signed its checkpoint.
     *
     * @throws ProofException naming the node and what does not verify, or a part no given key verifies
     */
    static List<Verified> verify(JsonNode bundle, List<NoteVerifier> keys) throws ProofException {
        JsonNode nodes = bundle.path("nodes");
        if (!nodes.isArray()) {
            throw new ProofException("bundle: field 'nodes' must be an array");
        }
        List<Verified> out = new ArrayList<>();
        for (JsonNode part : nodes) {
            String node = part.path("node").asText("");
            String text = part.path("bundle").toString();
            ProofException last = null;
            EvidenceBundle.Verified v = null;
            for (NoteVerifier key : keys) {
                try {
                    v = EvidenceBundle.verify(text, key, RecordSummarizer.INSTANCE);
                    break;
                } catch (ProofException e) {
                    last = e;
                }
            }
            if (v == null) {
                throw new ProofException("bundle: node '" + node + "': "
                        + (last == null ? "no key given" : last.getMessage())
                        + " (give its log's key with --public-key; it published "
                        + part.path("public_key").asText("none")
                        + ")");
            }
            out.add(new Verified(node, v));
        }
        return out;
    }
}
