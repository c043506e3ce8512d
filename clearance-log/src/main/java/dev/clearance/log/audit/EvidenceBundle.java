package dev.clearance.log.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.log.LogView;
import dev.clearance.log.merkle.ProofException;
import dev.clearance.log.merkle.ProofJson;
import dev.clearance.log.merkle.Proofs;
import dev.clearance.log.merkle.Rfc6962;
import dev.clearance.log.note.Checkpoint;
import dev.clearance.log.note.NoteException;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.log.note.SignedCheckpoint;
import dev.clearance.log.search.SearchIndex;
import dev.clearance.log.search.Summarizer;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * An evidence bundle for an auditor: every entry whose time falls in {@code [from, to)}, each with
 * its inclusion proof, and the signed checkpoint the proofs lead to. {@link #verify} checks a
 * bundle with nothing but the bundle, the log's verifier key and a reader of the entries' times.
 *
 * <p>JSON: {@code {"format":"clearance-evidence/1","from","to","checkpoint":<signed note>,
 * "entries":[{"index","entry":<the entry line>,"proof":[base64...]}]}}; the entry is the exact
 * logged line, so its leaf hash is {@code SHA-256(0x00 || UTF-8 bytes of "entry")}.
 */
public final class EvidenceBundle {
    public static final String FORMAT = "clearance-evidence/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvidenceBundle() {}

    /** What a verified bundle shows. */
    public record Verified(Checkpoint checkpoint, Instant from, Instant to, int entries) {}

    /** Builds the bundle of entries in {@code [from, to)} of {@code view}, proven against its latest checkpoint. */
    public static String export(LogView view, SearchIndex index, Instant from, Instant to) throws IOException {
        return export(view, from, to, "", index.search(view, SearchIndex.Query.between(from, to), Integer.MAX_VALUE));
    }

    /**
     * Builds the bundle of the entries a search selected, all with times in {@code [from, to)}, proven
     * against the latest checkpoint of {@code view}; {@code selection} says how they were chosen (e.g.
     * {@code principal=chen}), written as the field {@code selection} when not empty, so a reader knows
     * the bundle holds only those entries of the range. Entries the checkpoint does not cover yet are left out.
     */
    public static String export(LogView view, Instant from, Instant to, String selection, List<SearchIndex.Hit> hits)
            throws IOException {
        SignedCheckpoint cp = view.latestCheckpoint()
                .orElseThrow(() -> new IOException("the log has no signed checkpoint yet; nothing can be proven"));
        long size = cp.size();
        StringWriter out = new StringWriter();
        try (var g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeStringField("from", from.toString());
            g.writeStringField("to", to.toString());
            if (!selection.isEmpty()) {
                g.writeStringField("selection", selection);
            }
            g.writeStringField("checkpoint", cp.note());
            g.writeArrayFieldStart("entries");
            for (SearchIndex.Hit h : hits) {
                if (h.index() >= size) {
                    break; // not yet covered by the checkpoint
                }
                g.writeStartObject();
                g.writeNumberField("index", h.index());
                g.writeStringField("entry", utf8(h.entry(), h.index()));
                g.writeArrayFieldStart("proof");
                for (byte[] p : view.inclusionProof(h.index(), size).proof()) {
                    g.writeBinary(p);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString() + "\n";
    }

    private static String utf8(byte[] entry, long index) throws IOException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(entry))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("entry " + index + " is not UTF-8 text and cannot be carried in a bundle");
        }
    }

    /**
     * Verifies a bundle: the checkpoint's signature, every entry's inclusion proof against the
     * checkpoint's root, indexes strictly increasing, and every entry's time, as {@code summarizer}
     * reads it, inside the bundle's range.
     *
     * @throws ProofException naming the first thing that does not verify
     */
    public static Verified verify(String bundleJson, NoteVerifier verifier, Summarizer summarizer)
            throws ProofException {
        JsonNode b;
        try {
            b = JSON.readTree(bundleJson);
        } catch (IOException e) {
            throw new ProofException("bundle is not JSON: " + e.getMessage());
        }
        if (b == null || !FORMAT.equals(b.path("format").asText())) {
            throw new ProofException("bundle: field 'format' must be '" + FORMAT + "'");
        }
        Instant from = instant(b, "from");
        Instant to = instant(b, "to");
        SignedCheckpoint cp;
        try {
            cp = SignedCheckpoint.open(b.path("checkpoint").asText(""), verifier);
        } catch (NoteException e) {
            throw new ProofException("bundle: checkpoint: " + e.getMessage());
        }
        JsonNode entries = b.path("entries");
        if (!entries.isArray()) {
            throw new ProofException("bundle: field 'entries' must be an array");
        }
        Rfc6962 hasher = new Rfc6962();
        long previous = -1;
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String what = "bundle: entries[" + i + "]";
            long index = ProofJson.number(e, "index", what);
            if (index <= previous) {
                throw new ProofException(what + ": index " + index + " does not follow " + previous);
            }
            previous = index;
            if (!e.path("entry").isTextual()) {
                throw new ProofException(what + ": field 'entry' must be the logged line as a string");
            }
            byte[] entry = e.get("entry").asText().getBytes(StandardCharsets.UTF_8);
            List<byte[]> proof = ProofJson.hashList(e, "proof", what);
            try {
                Proofs.verifyInclusion(
                        index,
                        cp.size(),
                        hasher.leafHash(entry),
                        proof,
                        cp.checkpoint().root());
            } catch (ProofException ex) {
                throw new ProofException(what + " (log entry " + index + "): not in the signed tree of size "
                        + cp.size() + ": " + ex.getMessage());
            }
            Instant t = summarizer.summarize(entry).time();
            if (t.isBefore(from) || !t.isBefore(to)) {
                throw new ProofException(
                        what + " (log entry " + index + "): time " + t + " is outside [" + from + ", " + to + ")");
            }
        }
        return new Verified(cp.checkpoint(), from, to, entries.size());
    }

    private static Instant instant(JsonNode b, String field) throws ProofException {
        try {
            return Instant.parse(b.path(field).asText(""));
        } catch (DateTimeParseException e) {
            throw new ProofException("bundle: field '" + field + "' must be an ISO-8601 instant");
        }
    }
}
