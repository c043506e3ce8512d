package dev.clearance.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed checkpoint a node published from its decision log, with the proof that it extends the
 * node's previously published one. The store keeps both as text and does not interpret them; the
 * log's verifier does ({@code clearance log verify --fleet}).
 *
 * @param size       the checkpoint's tree size
 * @param checkpoint the signed checkpoint note
 * @param proof      the consistency proof from the previous published checkpoint (empty for the first)
 */
public record PublishedCheckpoint(String node, long size, String checkpoint, String proof, Instant publishedAt) {
    public PublishedCheckpoint {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(publishedAt, "publishedAt");
        proof = proof == null ? "" : proof;
    }
}
