package dev.clearance.cli.serve;

import dev.clearance.log.TransparencyLog;
import dev.clearance.log.note.SignedCheckpoint;
import dev.clearance.store.PublishedCheckpoint;
import dev.clearance.store.Store;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's latest signed checkpoint to the store ({@code fleet_checkpoints}) at start and
 * then every {@link #INTERVAL} while the log grows, each with the consistency proof from the one it
 * published before: anyone who can read the store can then check that no node rewrote its log, without
 * reading the log ({@code clearance log verify --fleet}). A log smaller than what was published before
 * (replaced or truncated) cannot be proven consistent: its checkpoint is published without a proof, so
 * the verification names it, and the node says so in its own log.
 */
final class CheckpointPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointPublisher.class);
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Store store;
    private final TransparencyLog log;
    private final String node;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("clearance-checkpoints").daemon(true).unstarted(r));

    private CheckpointPublisher(Store store, TransparencyLog log, String node, Clock clock) {
        this.store = store;
        this.log = log;
        this.node = node;
        this.clock = clock;
    }

    static CheckpointPublisher start(Store store, TransparencyLog log, String node, Clock clock) {
        CheckpointPublisher p = new CheckpointPublisher(store, log, node, clock);
        p.thread.scheduleWithFixedDelay(p::publishQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return p;
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot publish this node's checkpoint to the store yet: {}", e.toString());
        }
    }

    /** Publishes the log's latest checkpoint if it is newer than the last one published; returns whether it did. */
    boolean publish() throws IOException {
        Optional<SignedCheckpoint> latest = log.latestCheckpoint();
        if (latest.isEmpty()) {
            return false;
        }
        SignedCheckpoint cp = latest.get();
        Optional<PublishedCheckpoint> last = store.fleet().latestCheckpoint(node);
        if (last.isPresent()
                && last.get().size() == cp.size()
                && last.get().checkpoint().equals(cp.note())) {
            return false;
        }
        String proof = "";
        if (last.isPresent() && last.get().size() > 0) {
            if (last.get().size() <= cp.size()) {
                proof = log.view()
                        .consistencyProof(last.get().size(), cp.size())
                        .toJson();
            } else {
                LOG.error(
                        "this node's decision log holds {} entries but it published a checkpoint of {} before: the log"
                                + " was replaced or truncated; publishing its checkpoint without a consistency proof",
                        cp.size(),
                        last.get().size());
            }
        }
        store.fleet().publish(new PublishedCheckpoint(node, cp.size(), cp.note(), proof, clock.instant()));
        return true;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publishQuietly(); // the final checkpoint the log signs on close is published by the next start
    }
}
