package dev.clearance.cli.serve;

import dev.clearance.screening.Review;
import dev.clearance.screening.ScreeningRegistry;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps screening current in a serving process: every period, principals put or imported since the
 * last pass (on any node) are screened against the active lists, and reviewers' verdicts made since
 * (from any process) are written to the decision log. The results reach the gateway through the
 * store's change feed, which makes it re-read the principals with them.
 */
final class ScreeningFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScreeningFollower.class);

    final ScreeningRegistry registry;
    private final Thread thread;

    private ScreeningFollower(ScreeningRegistry registry, Duration period, Consumer<Review> recordReview) {
        this.registry = registry;
        this.thread = Thread.ofPlatform().daemon().name("clearance-screening").unstarted(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    int screened = registry.followChanges();
                    if (screened > 0) {
                        LOG.info("screened {} changed principal(s)", screened);
                    }
                    registry.recordReviews(recordReview);
                } catch (RuntimeException e) {
                    LOG.warn("screening: {} (retried next pass)", e.toString());
                }
                try {
                    Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /** @param recordReview writes one review to the decision log, returning once it is durable (or throwing) */
    static ScreeningFollower start(ScreeningRegistry registry, Duration period, Consumer<Review> recordReview) {
        ScreeningFollower f = new ScreeningFollower(registry, period, recordReview);
        f.thread.start();
        return f;
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
