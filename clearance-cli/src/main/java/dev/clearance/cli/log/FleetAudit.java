package dev.clearance.cli.log;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import dev.clearance.log.LogView;
import dev.clearance.log.audit.LogVerifier;
import dev.clearance.log.merkle.ConsistencyProof;
import dev.clearance.log.merkle.ProofException;
import dev.clearance.log.note.NoteException;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.log.note.SignedCheckpoint;
import dev.clearance.store.FleetNode;
import dev.clearance.store.PolicyApplication;
import dev.clearance.store.PublishedCheckpoint;
import dev.clearance.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The fleet-wide audit behind {@code clearance log verify --fleet}. For every node the store knows:
 *
 * <ul>
 *   <li>each checkpoint it published is signed by its log's key, and consistent with the one it
 *       published before (the consistency proof published beside it), so no node rewrote its log,
 *       whether or not its log can be read from here;
 *   <li>when its log can be read here (its published directory, or {@code --log NODE=DIR}): the whole
 *       log verifies ({@link LogVerifier}), it contains its latest published checkpoint, and every
 *       application it recorded in the store points at its own {@code policy_applied} entry for that
 *       version.
 * </ul>
 */
final class FleetAudit {
    private FleetAudit() {}

    /** What was found for one node: {@code failures} empty means it verified. */
    record NodeReport(String node, List<String> verified, List<String> failures, List<String> notes) {
        boolean ok() {
            return failures.isEmpty();
        }
    }

    static List<NodeReport> verify(Store store, Map<String, Path> logs) throws IOException {
        List<NodeReport> out = new ArrayList<>();
        for (FleetNode node : store.fleet().nodes()) {
            out.add(verify(store, node, logs.get(node.node())));
        }
        return out;
    }

    private static NodeReport verify(Store store, FleetNode node, Path logOverride) throws IOException {
        NodeReport r = new NodeReport(node.node(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        if (node.logKey().isEmpty()) {
            r.failures().add("it published no decision-log key, so nothing it published can be checked");
            return r;
        }
        NoteVerifier key;
        try {
            key = NoteVerifier.parse(node.logKey());
        } catch (IllegalArgumentException e) {
            r.failures().add("its published log key does not parse: " + e.getMessage());
            return r;
        }
        List<PublishedCheckpoint> published = store.fleet().checkpoints(node.node());
        List<SignedCheckpoint> signed = publishedChain(published, key, r);
        Path dir = logDirectory(node, logOverride);
        if (dir == null || !Files.isDirectory(dir)) {
            r.notes()
                    .add("its log is not readable here" + (dir == null ? "" : " (" + dir + ")")
                            + ": only its published checkpoints were checked (give --log " + node.node()
                            + "=DIR to read a copy)");
            return r;
        }
        LogVerifier.Result whole = LogVerifier.verify(dir, key);
        if (!whole.ok()) {
            r.failures().add("log " + dir + ": " + whole.failure());
            return r;
        }
        r.verified().add("log " + dir + ": " + whole.entries() + " entries, " + whole.checkpoints() + " checkpoints");
        try (LogView view = LogView.openReadOnly(dir)) {
            if (!signed.isEmpty()) {
                SignedCheckpoint last = signed.get(signed.size() - 1);
                if (view.size() < last.size()) {
                    r.failures()
                            .add("its log holds " + view.size() + " entries, fewer than the " + last.size()
                                    + " of the checkpoint it published");
                } else if (!Arrays.equals(
                        view.root(last.size()), last.checkpoint().root())) {
                    r.failures()
                            .add("its log does not contain the checkpoint of size " + last.size() + " it published");
                } else {
                    r.verified().add("its latest published checkpoint (size " + last.size() + ") is in its log");
                }
            }
            applications(store.fleet().applications(node.node()), view, node.node(), r);
        }
        return r;
    }

    /** Where to read {@code node}'s log: the override if given, else the directory it published (null: none). */
    static Path logDirectory(FleetNode node, Path override) {
        if (override != null) {
            return override;
        }
        return node.logDirectory().isEmpty() ? null : Path.of(node.logDirectory());
    }

    /** Each published checkpoint's signature, and its consistency with the one published before it. */
    private static List<SignedCheckpoint> publishedChain(
            List<PublishedCheckpoint> published, NoteVerifier key, NodeReport r) {
        List<SignedCheckpoint> signed = new ArrayList<>();
        SignedCheckpoint previous = null;
        for (PublishedCheckpoint p : published) {
            SignedCheckpoint cp;
            try {
                cp = SignedCheckpoint.open(p.checkpoint(), key);
            } catch (NoteException e) {
                r.failures()
                        .add("the checkpoint it published at " + p.publishedAt() + " (size " + p.size()
                                + ") is not signed by its log key: " + e.getMessage());
                return signed;
            }
            if (previous != null && previous.size() > 0) {
                String problem = consistency(previous, cp, p.proof());
                if (problem != null) {
                    r.failures()
                            .add("the checkpoint it published at " + p.publishedAt() + " (size " + cp.size()
                                    + ") is not consistent with the one before (size " + previous.size() + "): "
                                    + problem);
                    return signed;
                }
            }
            signed.add(cp);
            previous = cp;
        }
        r.verified().add(published.size() + " published checkpoints, each signed and consistent with the one before");
        return signed;
    }

    private static String consistency(SignedCheckpoint from, SignedCheckpoint to, String proofJson) {
        if (proofJson.isEmpty()) {
            return "no consistency proof was published (the log was replaced or truncated)";
        }
        try {
            JsonNode n = Json.mapper().readTree(proofJson);
            ConsistencyProof p = ConsistencyProof.fromJson(n, "published proof");
            if (p.size1() != from.size() || p.size2() != to.size()) {
                return "the proof is for sizes " + p.size1() + " to " + p.size2();
            }
            if (!Arrays.equals(p.root1(), from.checkpoint().root())
                    || !Arrays.equals(p.root2(), to.checkpoint().root())) {
                return "the proof is for other roots";
            }
            p.verify();
            return null;
        } catch (IOException | ProofException e) {
            return e.getMessage();
        }
    }

    /** Each application the node recorded in the store names its own policy_applied entry in its log. */
    private static void applications(List<PolicyApplication> applied, LogView view, String node, NodeReport r)
            throws IOException {
        int found = 0;
        for (PolicyApplication a : applied) {
            if (a.logSize() <= 0) {
                r.notes()
                        .add("policy version " + a.policyNumber() + " applied at " + a.appliedAt()
                                + " was not recorded in its log (the log could not record it then)");
                continue;
            }
            if (a.logSize() > view.size()) {
                r.failures()
                        .add("its application of policy version " + a.policyNumber() + " names log entry "
                                + (a.logSize() - 1) + ", past the end of its log (" + view.size() + " entries)");
                continue;
            }
            JsonNode entry = Json.mapper().readTree(new String(view.entry(a.logSize() - 1), StandardCharsets.UTF_8));
            if (!"policy_applied".equals(entry.path("change").asText())
                    || !a.policyVersion().equals(entry.path("policy_version").asText())
                    || !node.equals(entry.path("node").asText())) {
                r.failures()
                        .add("its application of policy version " + a.policyNumber() + " names log entry "
                                + (a.logSize() - 1) + ", which is not its policy_applied entry for "
                                + a.policyVersion());
                continue;
            }
            found++;
        }
        r.verified().add(found + " policy applications found in its log where it said they are");
    }
}
