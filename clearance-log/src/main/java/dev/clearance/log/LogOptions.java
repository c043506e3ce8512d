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
 * @param groupCommitWait    how long, at most, the sequencer holds a batch open for more appends before its
 *                           fsync while appends are concurrent (the previous batch held more than one; zero:
 *                           never); it stops holding once as many more appends have queued as joined the
 *                           previous batch. Like PostgreSQL's {@code commit_delay} with {@code commit_siblings},
 *                           it trades a little latency under load for one fsync shared by many appends
 */
public record LogOptions(
        String origin,
        Path signerKeyFile,
        Duration checkpointInterval,
        int maxBatch,
        int queueCapacity,
        Duration groupCommitWait) {
    public static final String DEFAULT_ORIGIN = "clearance.local/decision-log";

    /**
     * Short beside the upstream round trip a decision's record overlaps with (the gateway forwards while
     * the record is made durable and releases the answer after it); measured in docs/benchmarks.md.
     */
    public static final Duration DEFAULT_GROUP_COMMIT_WAIT = Duration.ofMillis(1);

    public static final Duration MAX_GROUP_COMMIT_WAIT = Duration.ofMillis(10);

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
        Objects.requireNonNull(groupCommitWait, "groupCommitWait");
        if (groupCommitWait.isNegative() || groupCommitWait.compareTo(MAX_GROUP_COMMIT_WAIT) > 0) {
            throw new IllegalArgumentException("groupCommitWait must be in [0, 10ms]: " + groupCommitWait);
        }
    }

    public static LogOptions defaults() {
        return new LogOptions(DEFAULT_ORIGIN, null, Duration.ofSeconds(1), 16_384, 65_536, DEFAULT_GROUP_COMMIT_WAIT);
    }

    public LogOptions withOrigin(String newOrigin) {
        return new LogOptions(newOrigin, signerKeyFile, checkpointInterval, maxBatch, queueCapacity, groupCommitWait);
    }

    public LogOptions withSignerKeyFile(Path file) {
        return new LogOptions(origin, file, checkpointInterval, maxBatch, queueCapacity, groupCommitWait);
    }

    public LogOptions withGroupCommitWait(Duration wait) {
        return new LogOptions(origin, signerKeyFile, checkpointInterval, maxBatch, queueCapacity, wait);
    }
}
