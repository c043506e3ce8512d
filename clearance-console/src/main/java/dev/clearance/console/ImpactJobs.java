package dev.clearance.console;

import dev.clearance.simulate.ImpactReport;
import dev.clearance.simulate.Progress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Impact simulations started from the console, run one at a time on a background thread (a
 * simulation already uses every core), with their progress for the page to poll. The last
 * {@link #KEPT} jobs are kept in memory with their reports, for viewing and downloading; they are not
 * part of the record (the steps they inform are).
 */
final class ImpactJobs implements AutoCloseable {
    static final int KEPT = 20;
    private static final Logger LOG = LoggerFactory.getLogger(ImpactJobs.class);

    private final ExecutorService runner = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("clearance-console-impact").unstarted(r));
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    ImpactJobs(Clock clock) {
        this.clock = clock;
    }

    /** The work of a job: runs the simulation, reporting progress. */
    interface Work {
        ImpactReport run(Progress progress) throws Exception;
    }

    /** One simulation: what it compares, who started it, and where it is. */
    static final class Job implements Progress {
        final String id;
        final String draft;
        final String window;
        final String startedBy;
        final Instant started;
        private volatile String phase = "waiting";
        private volatile String unit = "";
        private volatile long total = -1;
        private final AtomicLong done = new AtomicLong();
        private volatile ImpactReport report;
        private volatile String error;

        Job(String id, String draft, String window, String startedBy, Instant started) {
            this.id = id;
            this.draft = draft;
            this.window = window;
            this.startedBy = startedBy;
            this.started = started;
        }

        @Override
        public void phase(String name, String unit, long total) {
            this.phase = name;
            this.unit = unit;
            this.total = total;
            done.set(0);
        }

        @Override
        public void advance(long n) {
            done.addAndGet(n);
        }

        String id() {
            return id;
        }

        String draft() {
            return draft;
        }

        String window() {
            return window;
        }

        String startedBy() {
            return startedBy;
        }

        Instant started() {
            return started;
        }

        String phase() {
            return phase;
        }

        String unit() {
            return unit;
        }

        long total() {
            return total;
        }

        long done() {
            return done.get();
        }

        /** Percent of the current phase, or -1 when its size is unknown. */
        int percent() {
            long t = total;
            return t <= 0 ? -1 : (int) Math.min(100, done.get() * 100 / t);
        }

        Optional<ImpactReport> report() {
            return Optional.ofNullable(report);
        }

        String error() {
            return error == null ? "" : error;
        }

        boolean finished() {
            return report != null || error != null;
        }
    }

    synchronized Job start(String draft, String window, String by, Work work) {
        byte[] b = new byte[8];
        random.nextBytes(b);
        Job job = new Job(HexFormat.of().formatHex(b), draft, window, by, clock.instant());
        jobs.put(job.id, job);
        while (jobs.size() > KEPT) {
            jobs.remove(jobs.keySet().iterator().next());
        }
        runner.execute(() -> {
            try {
                job.report = work.run(job);
            } catch (Exception | LinkageError e) {
                LOG.warn("console impact simulation {} failed: {}", job.id, e.toString());
                job.error = e.getMessage() == null ? e.toString() : e.getMessage();
            }
        });
        return job;
    }

    synchronized Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Newest first. */
    synchronized List<Job> all() {
        List<Job> out = new ArrayList<>(jobs.values());
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
