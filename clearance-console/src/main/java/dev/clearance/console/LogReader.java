package dev.clearance.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clearance.log.LogView;
import dev.clearance.log.audit.EvidenceBundle;
import dev.clearance.log.merkle.InclusionProof;
import dev.clearance.log.note.SignedCheckpoint;
import dev.clearance.log.search.SearchIndex;
import dev.clearance.record.RecordSearch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The decision log as the console reads it: through a read-only view pinned at the latest signed
 * checkpoint (as the CLI's log commands read it, beside the live writer), the record's search
 * ({@link RecordSearch}) and the log's proofs and evidence bundles.
 */
final class LogReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The most entries the overview counts for its last hour; beyond it the counts say "at least". */
    static final int OVERVIEW_LIMIT = 200_000;

    private final Path dir;

    LogReader(Path dir) {
        this.dir = dir;
    }

    /** The latest signed checkpoint, as its note says it. */
    record CheckpointView(String origin, long size, String root, String note, String verifierKey) {}

    /** One entry in a list. {@code kind} is decision, policy change or screening review. */
    record EntryRow(
            long index,
            String time,
            String kind,
            String principal,
            String model,
            String decision,
            List<String> directives,
            List<String> shadow,
            String why) {}

    /** An entry with what the page needs to verify its inclusion: hashes base64, as {@code clearance log prove} prints them. */
    record EntryDetail(EntryRow row, String pretty, String line, InclusionProofView proof, CheckpointView checkpoint) {}

    record InclusionProofView(long leafIndex, long treeSize, String leafHash, List<String> path, String root) {}

    /** Decisions of a period, counted. */
    record Counts(
            long allow,
            long deny,
            long policy,
            Map<String, Long> deniedBy,
            Map<String, Long> shadowBy,
            boolean capped) {}

    private LogView open() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no decision log here yet");
        }
        return LogView.openReadOnly(dir);
    }

    Optional<CheckpointView> checkpoint() {
        try (LogView v = open()) {
            return v.latestCheckpoint().map(cp -> view(cp, v));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static CheckpointView view(SignedCheckpoint cp, LogView v) {
        return new CheckpointView(
                cp.checkpoint().origin(),
                cp.size(),
                Base64.getEncoder().encodeToString(cp.checkpoint().root()),
                cp.note(),
                v.verifier().verifierKey());
    }

    List<EntryRow> search(RecordSearch.Criteria c, int limit) throws IOException {
        try (LogView v = open()) {
            List<EntryRow> out = new ArrayList<>();
            for (SearchIndex.Hit h : RecordSearch.search(v, dir, c, limit)) {
                out.add(row(h.index(), h.entry()));
            }
            return out;
        }
    }

    /** Decisions, policy changes and shadow hits with times in {@code [from, to)}. */
    Counts count(Instant from, Instant to) {
        long allow = 0, deny = 0, policy = 0;
        Map<String, Long> deniedBy = new TreeMap<>();
        Map<String, Long> shadowBy = new TreeMap<>();
        List<SearchIndex.Hit> hits;
        try (LogView v = open()) {
            hits = RecordSearch.search(
                    v, dir, new RecordSearch.Criteria(from, to, null, null, null, null), OVERVIEW_LIMIT);
        } catch (IOException e) {
            return new Counts(0, 0, 0, Map.of(), Map.of(), false);
        }
        for (SearchIndex.Hit h : hits) {
            EntryRow r = row(h.index(), h.entry());
            switch (r.decision()) {
                case "allow" -> allow++;
                case "deny" -> {
                    deny++;
                    r.directives().forEach(d -> deniedBy.merge(d, 1L, Long::sum));
                }
                default -> policy++;
            }
            r.shadow().forEach(d -> shadowBy.merge(d, 1L, Long::sum));
        }
        return new Counts(allow, deny, policy, deniedBy, shadowBy, hits.size() >= OVERVIEW_LIMIT);
    }

    /** The entry at {@code index} with its inclusion proof up to the latest signed checkpoint. */
    Optional<EntryDetail> entry(long index) throws IOException {
        try (LogView v = open()) {
            Optional<SignedCheckpoint> cp = v.latestCheckpoint();
            if (cp.isEmpty() || index < 0 || index >= cp.get().size()) {
                return Optional.empty();
            }
            byte[] e = v.entry(index);
            InclusionProof p = v.inclusionProof(index, cp.get().size());
            Base64.Encoder b64 = Base64.getEncoder();
            String line = new String(e, StandardCharsets.UTF_8);
            return Optional.of(new EntryDetail(
                    row(index, e),
                    PRETTY.writeValueAsString(JSON.readTree(e)),
                    line,
                    new InclusionProofView(
                            p.leafIdx(),
                            p.treeSize(),
                            b64.encodeToString(p.leafHash()),
                            p.proof().stream().map(b64::encodeToString).toList(),
                            b64.encodeToString(p.root())),
                    view(cp.get(), v)));
        }
    }

    /** The evidence bundle of a search: its entries, their proofs and the checkpoint, as {@code clearance log export} writes it. */
    String bundle(RecordSearch.Criteria c, Instant from, Instant to) throws IOException {
        try (LogView v = open()) {
            return EvidenceBundle.export(v, from, to, c.describe(), RecordSearch.search(v, dir, c, Integer.MAX_VALUE));
        }
    }

    static EntryRow row(long index, byte[] entry) {
        JsonNode n;
        try {
            n = JSON.readTree(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("decision log entry " + index + " is not JSON", e);
        }
        String time = n.path("time").asText("");
        if (n.has("change")) {
            return new EntryRow(
                    index,
                    time,
                    "policy change",
                    n.path("by").asText(""),
                    "",
                    "policy",
                    strings(n.path("directives")),
                    List.of(),
                    n.path("change").asText("")
                            + (n.path("step").asText("").isEmpty()
                                    ? ""
                                    : " " + n.path("step").asText()) + ": "
                            + n.path("why").asText(""));
        }
        if (n.has("review")) {
            return new EntryRow(
                    index,
                    time,
                    "screening review",
                    n.path("by").asText(""),
                    "",
                    "policy",
                    List.of(),
                    List.of(),
                    n.path("review").asText("") + " " + n.path("principal").asText("") + " on "
                            + n.path("list").asText("") + " " + n.path("entity").asText("") + ": "
                            + n.path("why").asText(""));
        }
        return new EntryRow(
                index,
                time,
                "decision",
                n.path("principal").asText(""),
                n.path("request").path("model").asText(""),
                n.path("decision").asText(""),
                strings(n.path("directives")),
                strings(n.path("shadow")),
                "");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }
}
