package dev.clearance.cli.serve;

import dev.clearance.console.Console;
import dev.clearance.core.Principal;
import dev.clearance.gateway.AdminMount;
import dev.clearance.gateway.LogTiles;
import dev.clearance.lifecycle.LifecycleRules;
import dev.clearance.lifecycle.LifecycleService;
import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import dev.clearance.record.ScreeningReviewEntry;
import dev.clearance.screening.ScreeningRegistry;
import dev.clearance.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a serving process keeps on the record and current beside answering calls: the decision log
 * (every decision and policy change); the lifecycle scheduler, which activates scheduled directive
 * versions, writes every lifecycle step found in the store (from this process or any other) to the log
 * and flushes shadow-hit counts; screening, which screens changed principals and hands the gateway
 * their results; the publication of the log's checkpoints to the store for fleet-wide audit; and the
 * console over those same services. Closed before the store.
 */
final class Recording implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Recording.class);

    final TransparencyLog log;
    final LifecycleService lifecycle;
    final LoggedDecisions recorder;
    final ScreeningFollower screening;
    final CheckpointPublisher checkpoints;
    private Console console;

    private Recording(
            TransparencyLog log,
            LifecycleService lifecycle,
            ScreeningFollower screening,
            CheckpointPublisher checkpoints,
            String node) {
        this.log = log;
        this.lifecycle = lifecycle;
        this.screening = screening;
        this.checkpoints = checkpoints;
        this.recorder = new LoggedDecisions(log, node, lifecycle.shadowCounter());
    }

    /** The log's tlog-tiles resources, as the gateway serves them under {@code /log/} on the admin listener. */
    LogTiles tiles() {
        return new ServedTiles(log.view());
    }

    /** Adds a principal's stored screening results, as the gateway's principal cache needs them. */
    UnaryOperator<Principal> attachScreening() {
        return screening.registry::attach;
    }

    static Recording open(
            Store store, Path logDir, LogOptions options, String node, boolean twoPersonRule, double screeningThreshold)
            throws IOException {
        TransparencyLog log = TransparencyLog.open(logDir, options);
        LifecycleService lifecycle = new LifecycleService(
                        store, new LifecycleRules(twoPersonRule), Clock.systemUTC(), node)
                // Every directive step in the store, from any process, once; returns when durable.
                .recordStepsTo(step -> log.append(step.bytes()).join());
        try {
            // Steps taken while no process served this store reach the log before the first decision.
            lifecycle.recordSteps();
        } catch (RuntimeException e) {
            LOG.error("lifecycle steps not yet recorded in the decision log (retried every second): {}", e.toString());
        }
        lifecycle.start(Duration.ofSeconds(1), e -> LOG.warn("lifecycle scheduler: {}", e.toString()));
        ScreeningFollower screening = ScreeningFollower.start(
                new ScreeningRegistry(store, Clock.systemUTC(), screeningThreshold),
                Duration.ofSeconds(1),
                review -> log.append(new ScreeningReviewEntry(
                                        review.verdict().wireName(),
                                        review.reviewedAt(),
                                        node,
                                        review.reviewer(),
                                        review.reason(),
                                        review.principalId(),
                                        review.list(),
                                        review.entityId(),
                                        review.entryHash(),
                                        review.subjectHash())
                                .bytes())
                        .join());
        CheckpointPublisher checkpoints = CheckpointPublisher.start(store, log, node, Clock.systemUTC());
        return new Recording(log, lifecycle, screening, checkpoints, node);
    }

    /**
     * The compliance console over this process's lifecycle service, screening registry and decision log,
     * to mount on the admin listener; it takes the admin token and checks its callers itself.
     *
     * @param openStreams streams open on this node (the gateway's count, once it runs)
     */
    synchronized AdminMount console(Store store, String adminToken, IntSupplier openStreams) {
        if (console == null) {
            console = Console.create(
                    new Console.Sources(store, lifecycle, screening.registry, log.directory(), adminToken, openStreams),
                    Clock.systemUTC());
        }
        return new AdminMount(Console.PATH, console, true);
    }

    Path logDirectory() {
        return log.directory();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (console != null) {
                console.close();
            }
        }
        checkpoints.close();
        screening.close();
        lifecycle.close();
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("closing the decision log: {} (it recovers on its next open)", e.toString());
        }
    }
}
