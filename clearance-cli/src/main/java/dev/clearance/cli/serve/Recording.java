package dev.clearance.cli.serve;

import dev.clearance.log.DecisionLog;
import dev.clearance.log.LogOptions;
import dev.clearance.simulate.lifecycle.LifecycleRules;
import dev.clearance.simulate.lifecycle.LifecycleService;
import dev.clearance.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a serving process keeps on the record: the decision log (every decision and policy change),
 * and the lifecycle scheduler, which activates scheduled directive versions, writes each lifecycle
 * step to the log and flushes shadow-hit counts. Closed before the store.
 */
final class Recording implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Recording.class);

    final DecisionLog log;
    final LifecycleService lifecycle;
    final LoggedDecisions recorder;

    private Recording(DecisionLog log, LifecycleService lifecycle, String node) {
        this.log = log;
        this.lifecycle = lifecycle;
        this.recorder = new LoggedDecisions(log, node, lifecycle.shadowCounter());
    }

    static Recording open(Store store, Path logDir, LogOptions options, String node, boolean twoPersonRule) throws IOException {
        DecisionLog log = DecisionLog.open(logDir, options);
        LifecycleService lifecycle = new LifecycleService(store, new LifecycleRules(twoPersonRule), Clock.systemUTC(), node)
                .recordStepsTo(step -> log.append(step).whenComplete((index, failure) -> {
                    if (failure != null) {
                        LOG.error("lifecycle step not recorded in the decision log: {} ({})", step, failure.toString());
                    }
                }));
        lifecycle.start(Duration.ofSeconds(1), e -> LOG.warn("lifecycle scheduler: {}", e.toString()));
        return new Recording(log, lifecycle, node);
    }

    Path logDirectory() {
        return log.directory();
    }

    @Override
    public void close() {
        lifecycle.close();
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("closing the decision log: {} (it recovers on its next open)", e.toString());
        }
    }
}
