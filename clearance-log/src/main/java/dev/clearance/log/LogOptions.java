package dev.clearance.log;

import dev.clearance.log.note.NoteVerifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TransparencyLog} runs.
 *
 * @param origin             the checkpoint origin line and signing key name, e.g. {@code clearance.example.com/decisions};
 *                           must match the key's name when the key already exists
 * @param signerKeyFile      a file holding a {@code PRIVATE+KEY+...} signer key; {@code null} means
 *                           {@code <dir>/log.key}, created on first start with owner-only permissions
 * @param checkpointInterval how often a checkpoint is signed while entries arrive
 * @param maxBatch           most entries written per fsync
 * @param queueCapacity      appends waiting for the sequencer before {@code append} blocks (back-pressure)
 */
public record LogOptions(
        String origin, Path signerKeyFile, Duration checkpointInterval, int maxBatch, int queueCapacity) {
    public static final String DEFAULT_ORIGIN = "clearance.local/decision-log";

    public LogOptions {
        Objects.requireNonNull(origin, "origin");
        NoteVerifier.requireValidName(origin);
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        if (checkpointInterval.isNegative()
                || checkpointInterval.isZero()
                || checkpointInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("checkpointInterval must be in (0, 1s]: " + checkpointInterval);
        }
        if (maxBatch < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("maxBatch and queueCapacity must be positive");
        }
    }

    public static LogOptions defaults() {
        return new LogOptions(DEFAULT_ORIGIN, null, Duration.ofSeconds(1), 16_384, 65_536);
    }

    public LogOptions withOrigin(String newOrigin) {
        return new LogOptions(newOrigin, signerKeyFile, checkpointInterval, maxBatch, queueCapacity);
    }

    public LogOptions withSignerKeyFile(Path file) {
        return new LogOptions(origin, file, checkpointInterval, maxBatch, queueCapacity);
    }
}
