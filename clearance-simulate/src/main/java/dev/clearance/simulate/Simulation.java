package dev.clearance.simulate;

import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Directive;
import dev.clearance.core.ModelName;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.core.PrincipalFacts;
import dev.clearance.core.Problem;
import dev.clearance.core.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs {@link DecisionPoint#decide} — the function the gateway enforces with — under a baseline and a
 * draft policy, over recorded traffic and over the whole principal population, and reports what the
 * draft would change.
 *
 * <p>Traffic is streamed: a reader thread cuts the JSON Lines file into chunks of whole lines, worker
 * threads (one per core) parse and decide them into private tallies, merged at the end. Memory is
 * bounded by the population (each principal's facts, once per policy so their memos never thrash),
 * never by the traffic. The population pass splits the principals between the same workers.
 *
 * <p>The population pass asks, for every principal and model: may this principal use the model at
 * {@code at}, with the configured capabilities (none by default) and from an unknown location? So it
 * measures who-based restrictions; where-based ones (request country) show in the traffic.
 */
public final class Simulation {
    private static final int CHUNK_BYTES = 1 << 19;
    private static final int EXAMPLES = 25;
    private static final String POPULATION_REQUEST_ID = "simulated";

    private final Policy baseline;
    private final Policy draft;
    private final Instant at;
    private final List<String> models;
    private final List<String> capabilities;
    private final int workers;
    private final Progress progress;

    private Simulation(
            Policy baseline,
            Policy draft,
            Instant at,
            List<String> models,
            List<String> capabilities,
            int workers,
            Progress progress) {
        this.baseline = baseline;
        this.draft = draft;
        this.at = at;
        this.models = models;
        this.capabilities = capabilities;
        this.workers = workers;
        this.progress = progress;
    }

    /** A simulation of switching from {@code baseline} to {@code draft}, at the current time, over every core. */
    public static Simulation of(Policy baseline, Policy draft) {
        return new Simulation(
                baseline,
                draft,
                Instant.now(),
                null,
                List.of(),
                Math.max(1, Runtime.getRuntime().availableProcessors()),
                Progress.NONE);
    }

    /** The instant the population is evaluated at (requests keep their own times). */
    public Simulation at(Instant instant) {
        return new Simulation(baseline, draft, instant, models, capabilities, workers, progress);
    }

    /** The models the population is evaluated against; {@code null} for {@link #defaultModels}. */
    public Simulation models(List<String> list) {
        return new Simulation(
                baseline, draft, at, list == null ? null : List.copyOf(list), capabilities, workers, progress);
    }

    /** The capabilities each population request asks for (none by default: the model as a whole). */
    public Simulation capabilities(List<String> list) {
        return new Simulation(baseline, draft, at, models, List.copyOf(list), workers, progress);
    }

    public Simulation workers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        return new Simulation(baseline, draft, at, models, capabilities, n, progress);
    }

    public Simulation progress(Progress p) {
        return new Simulation(baseline, draft, at, models, capabilities, workers, p);
    }

    /**
     * Every model named literally in either policy's scopes, plus every model seen in the traffic that
     * a scope glob of either policy matches (a glob names no model by itself). Sorted.
     */
    public static List<String> defaultModels(Policy baseline, Policy draft, Set<String> trafficModels) {
        Set<String> out = new TreeSet<>();
        List<String> globs = new ArrayList<>();
        for (Policy p : List.of(baseline, draft)) {
            for (Directive d : p.directives()) {
                for (String g : d.models()) {
                    if (g.indexOf('*') < 0) {
                        out.add(g);
                    } else {
                        globs.add(g);
                    }
                }
            }
        }
        for (String m : trafficModels) {
            for (String g : globs) {
                if (ModelName.matches(g, m)) {
                    out.add(m);
                    break;
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Runs both passes. Bad traffic fails the whole run (fail closed: an impact report over part of
     * the input would understate the impact) with every problem located at its file and line.
     */
    public ImpactReport run(List<Principal> principals, Traffic traffic) throws PolicyException, IOException {
        String[] ids = new String[principals.size()];
        PrincipalFacts[] baseFacts = new PrincipalFacts[principals.size()];
        PrincipalFacts[] draftFacts = new PrincipalFacts[principals.size()];
        int n = principals.size();
        runWorkers(w -> {
            for (int i = (int) ((long) n * w / workers), to = (int) ((long) n * (w + 1) / workers); i < to; i++) {
                Principal p = principals.get(i);
                ids[i] = p.id();
                baseFacts[i] = PrincipalFacts.of(p);
                draftFacts[i] = PrincipalFacts.of(p);
            }
        });
        Facts facts = new Facts(new NameIndex(java.util.Arrays.asList(ids)), ids, baseFacts, draftFacts);

        cpuNanos.set(0);
        long t0 = System.nanoTime();
        TrafficTally traffic0 = switch (traffic) {
            case Traffic.JsonLinesFile f -> streamFile(f.path(), facts);
            case Traffic.Requests r -> inMemory(r.requests(), facts);
            case Traffic.Iterated it -> iterated(it.requests(), facts);
            case Traffic.None none -> new TrafficTally();
        };
        long t1 = System.nanoTime();
        long trafficCpu = cpuNanos.getAndSet(0);
        List<String> modelList = models != null ? models : defaultModels(baseline, draft, traffic0.byModel.keySet());
        PopulationTally population = population(principals, facts, modelList);
        long t2 = System.nanoTime();

        long decisions = 2 * (traffic0.totals[0] + (long) principals.size() * modelList.size());
        return new ImpactReport(
                baseline.version(),
                draft.version(),
                at,
                modelList,
                capabilities,
                traffic0.toReport(),
                population.toReport(modelList),
                new ImpactReport.Run(
                        decisions,
                        (t1 - t0) / 1_000_000,
                        (t2 - t1) / 1_000_000,
                        trafficCpu / 1_000_000,
                        cpuNanos.get() / 1_000_000,
                        workers));
    }

    private record Facts(NameIndex index, String[] ids, PrincipalFacts[] baseline, PrincipalFacts[] draft) {}

    /** Decides {@code r} under both policies; {@code i} is its principal's position, -1 when unknown. */
    private void decideInto(TrafficTally tally, Facts facts, Request r, int i) {
        Decision b = DecisionPoint.decide(baseline, i < 0 ? null : facts.baseline[i], r);
        Decision d = DecisionPoint.decide(draft, i < 0 ? null : facts.draft[i], r);
        tally.add(r, i >= 0, b, d);
    }

    // ---- traffic: in memory ------------------------------------------------------------------

    private TrafficTally inMemory(List<Request> requests, Facts facts) {
        progress.phase("requests", "requests", requests.size());
        TrafficTally[] tallies = new TrafficTally[workers];
        runWorkers(w -> {
            TrafficTally t = new TrafficTally();
            tallies[w] = t;
            int n = requests.size();
            int from = (int) ((long) n * w / workers);
            int to = (int) ((long) n * (w + 1) / workers);
            for (int k = from; k < to; k++) {
                Request r = requests.get(k);
                decideInto(
                        t,
                        facts,
                        r.id().isEmpty() ? r.withId("request " + (k + 1)) : r,
                        facts.index.get(r.principal()));
                if ((k & 1023) == 1023) {
                    progress.advance(1024);
                }
            }
        });
        return mergeTraffic(tallies);
    }

    private static TrafficTally mergeTraffic(TrafficTally[] tallies) {
        TrafficTally all = new TrafficTally();
        for (TrafficTally t : tallies) {
            all.merge(t);
        }
        return all;
    }

    // ---- traffic: iterated -------------------------------------------------------------------

    private static final List<Request> END_OF_REQUESTS = new ArrayList<>();

    private TrafficTally iterated(Iterable<Request> requests, Facts facts) {
        progress.phase("requests", "requests", -1);
        BlockingQueue<List<Request>> queue = new ArrayBlockingQueue<>(2 * workers + 2);
        AtomicBoolean failed = new AtomicBoolean();
        RuntimeException[] readError = new RuntimeException[1];
        RuntimeException[] crash = new RuntimeException[1];
        Thread reader = Thread.ofPlatform().name("simulate-reader").unstarted(() -> {
            try {
                List<Request> batch = new ArrayList<>(4096);
                for (Request r : requests) {
                    if (failed.get()) {
                        break;
                    }
                    batch.add(r);
                    if (batch.size() == 4096) {
                        queue.put(batch);
                        batch = new ArrayList<>(4096);
                    }
                }
                if (!batch.isEmpty()) {
                    queue.put(batch);
                }
            } catch (RuntimeException e) {
                readError[0] = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime());
                for (int i = 0; i < workers; i++) {
                    putUninterruptibly(queue, END_OF_REQUESTS);
                }
            }
        });
        reader.start();
        TrafficTally[] tallies = new TrafficTally[workers];
        try {
            runWorkers(w -> {
                TrafficTally t = new TrafficTally();
                tallies[w] = t;
                while (true) {
                    List<Request> batch;
                    try {
                        batch = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    if (batch == END_OF_REQUESTS) {
                        return;
                    }
                    if (failed.get()) {
                        continue;
                    }
                    try {
                        for (Request r : batch) {
                            decideInto(t, facts, r, facts.index.get(r.principal()));
                        }
                    } catch (RuntimeException e) {
                        // Keep draining so the reader never blocks; rethrown once every thread has stopped.
                        synchronized (readError) {
                            crash[0] = crash[0] == null ? e : crash[0];
                        }
                        failed.set(true);
                        continue;
                    }
                    progress.advance(batch.size());
                }
            });
        } finally {
            failed.set(true);
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (crash[0] != null) {
            throw crash[0];
        }
        if (readError[0] != null) {
            throw readError[0];
        }
        return mergeTraffic(tallies);
    }

    // ---- traffic: streamed JSON Lines ----------------------------------------------------------

    /** Whole lines: {@code data[0, length)}, the first being line {@code firstLine} of the file. */
    private record Chunk(byte[] data, int length, long firstLine) {}

    private static final Chunk END = new Chunk(new byte[0], 0, -1);

    private TrafficTally streamFile(Path path, Facts facts) throws PolicyException, IOException {
        long size = Files.size(path);
        progress.phase("requests", "bytes", size);
        String file = path.toString();
        Instant now = Instant.now();
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(2 * workers + 2);
        AtomicBoolean failed = new AtomicBoolean();
        List<Problem> problems = new ArrayList<>();
        IOException[] readError = new IOException[1];
        RuntimeException[] crash = new RuntimeException[1];

        Thread reader = Thread.ofPlatform().name("simulate-reader").unstarted(() -> {
            try (InputStream in = Files.newInputStream(path)) {
                readChunks(in, queue, failed);
            } catch (IOException e) {
                readError[0] = e;
                failed.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime());
                for (int i = 0; i < workers; i++) {
                    putUninterruptibly(queue, END);
                }
            }
        });
        reader.start();
        TrafficTally[] tallies = new TrafficTally[workers];
        try {
            runWorkers(w -> {
                TrafficTally t = new TrafficTally();
                tallies[w] = t;
                RequestLines parser = new RequestLines(file, now, facts.index, facts.ids);
                while (true) {
                    Chunk c;
                    try {
                        c = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    if (c == END) {
                        return;
                    }
                    if (failed.get()) {
                        continue; // drain, so the reader is never blocked
                    }
                    List<Problem> found;
                    try {
                        found = decideChunk(c, parser, t, facts, file);
                    } catch (RuntimeException e) {
                        // Keep draining so the reader never blocks; rethrown once every thread has stopped.
                        synchronized (crash) {
                            crash[0] = crash[0] == null ? e : crash[0];
                        }
                        failed.set(true);
                        continue;
                    }
                    if (!found.isEmpty()) {
                        synchronized (problems) {
                            problems.addAll(found);
                        }
                        failed.set(true);
                    }
                    progress.advance(c.length);
                }
            });
        } finally {
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (crash[0] != null) {
            throw crash[0];
        }
        if (readError[0] != null) {
            throw readError[0];
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(Problem::line));
            throw new PolicyException(problems.subList(0, Math.min(100, problems.size())));
        }
        return mergeTraffic(tallies);
    }

    private static <T> void putUninterruptibly(BlockingQueue<T> q, T c) {
        boolean interrupted = false;
        while (true) {
            try {
                q.put(c);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the stream into chunks that end at a newline; a line longer than a chunk grows the buffer. */
    private static void readChunks(InputStream in, BlockingQueue<Chunk> queue, AtomicBoolean failed)
            throws IOException, InterruptedException {
        byte[] buf = new byte[CHUNK_BYTES];
        int filled = 0;
        long line = 1;
        while (!failed.get()) {
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) {
                if (filled > 0) {
                    queue.put(new Chunk(buf, filled, line));
                }
                return;
            }
            filled += n;
            int lastNewline = -1;
            for (int i = filled - 1; i >= 0; i--) {
                if (buf[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            if (lastNewline < 0) {
                if (filled == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                continue;
            }
            int end = lastNewline + 1;
            byte[] next = new byte[Math.max(CHUNK_BYTES, filled - end + 1)];
            System.arraycopy(buf, end, next, 0, filled - end);
            long lines = 0;
            for (int i = 0; i < end; i++) {
                if (buf[i] == '\n') {
                    lines++;
                }
            }
            queue.put(new Chunk(buf, end, line));
            line += lines;
            filled -= end;
            buf = next;
        }
    }

    /** Decides every line of a chunk; returns the problems found (then the chunk's counts are moot). */
    private List<Problem> decideChunk(Chunk c, RequestLines parser, TrafficTally t, Facts facts, String file) {
        byte[] b = c.data;
        int start = 0;
        long line = c.firstLine;
        List<Problem> problems = List.of();
        while (start < c.length) {
            int end = start;
            while (end < c.length && b[end] != '\n') {
                end++;
            }
            int stop = end > start && b[end - 1] == '\r' ? end - 1 : end;
            if (!blank(b, start, stop)) {
                try {
                    Request r = parser.parse(b, start, stop - start, line);
                    if (r.id().isEmpty()) {
                        r = r.withId(file + ":" + line); // as clearance decide names id-less requests
                    }
                    decideInto(t, facts, r, parser.principalIndex());
                } catch (PolicyException e) {
                    if (problems.isEmpty()) {
                        problems = new ArrayList<>();
                    }
                    problems.addAll(e.problems());
                    if (problems.size() >= 100) {
                        return problems;
                    }
                }
            }
            start = end + 1;
            line++;
        }
        return problems;
    }

    /** Whether the bytes are only whitespace (as {@link String#isBlank()} judges the decoded line). */
    private static boolean blank(byte[] b, int from, int to) {
        boolean nonAscii = false;
        for (int i = from; i < to; i++) {
            int x = b[i] & 0xff;
            if (x >= 0x80) {
                nonAscii = true;
            } else if (!Character.isWhitespace(x)) {
                return false;
            }
        }
        return !nonAscii || new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8).isBlank();
    }

    // ---- population ----------------------------------------------------------------------------

    private PopulationTally population(List<Principal> principals, Facts facts, List<String> modelList) {
        progress.phase("principals", "principals", principals.size());
        PopulationTally[] tallies = new PopulationTally[workers];
        int n = principals.size();
        runWorkers(w -> {
            PopulationTally t = new PopulationTally(modelList.size(), EXAMPLES);
            tallies[w] = t;
            int from = (int) ((long) n * w / workers);
            int to = (int) ((long) n * (w + 1) / workers);
            int sinceReport = 0;
            for (int i = from; i < to; i++) {
                evaluate(i, principals.get(i), facts, modelList, t);
                if (++sinceReport == 1024) {
                    progress.advance(sinceReport);
                    sinceReport = 0;
                }
            }
            progress.advance(sinceReport);
        });
        PopulationTally all = new PopulationTally(modelList.size(), EXAMPLES);
        for (PopulationTally t : tallies) {
            all.merge(t);
        }
        return all;
    }

    private void evaluate(int i, Principal p, Facts facts, List<String> modelList, PopulationTally t) {
        t.total++;
        List<String> lost = null;
        Set<String> cutBy = null;
        boolean gained = false;
        for (int m = 0; m < modelList.size(); m++) {
            String model = modelList.get(m);
            Request r = new Request(POPULATION_REQUEST_ID, p.id(), model, capabilities, at, "", "", "");
            boolean ba = DecisionPoint.decide(baseline, facts.baseline[i], r).allowed();
            Decision d = DecisionPoint.decide(draft, facts.draft[i], r);
            boolean da = d.allowed();
            long[] c = t.byModel[m];
            if (ba) {
                c[0]++;
            }
            if (da) {
                c[1]++;
            }
            if (ba && !da) {
                c[2]++;
                if (lost == null) {
                    lost = new ArrayList<>(2);
                    cutBy = new LinkedHashSet<>();
                }
                lost.add(model);
                cutBy.addAll(d.directives());
            } else if (!ba && da) {
                c[3]++;
                gained = true;
            }
        }
        if (gained) {
            t.gaining++;
        }
        if (lost != null) {
            t.addLosing(i, p, lost, new ArrayList<>(new TreeSet<>(cutBy)));
        }
    }

    // ---- workers -------------------------------------------------------------------------------

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    /** CPU time of the worker threads (and the reader) of the pass running; the machine may be shared, wall time alone misleads. */
    private final java.util.concurrent.atomic.AtomicLong cpuNanos = new java.util.concurrent.atomic.AtomicLong();

    private interface Work {
        void run(int worker);
    }

    /** Runs {@code work} on {@link #workers} platform threads and waits; a worker's failure is rethrown. */
    private void runWorkers(Work work) {
        Thread[] threads = new Thread[workers];
        Throwable[] failure = new Throwable[1];
        for (int w = 0; w < workers; w++) {
            int id = w;
            threads[w] = Thread.ofPlatform().name("simulate-worker-" + w).unstarted(() -> {
                try {
                    work.run(id);
                } finally {
                    cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime());
                }
            });
            threads[w].setUncaughtExceptionHandler((t, e) -> {
                synchronized (failure) {
                    if (failure[0] == null) {
                        failure[0] = e;
                    }
                }
            });
            threads[w].start();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            if (failure[0] instanceof RuntimeException re) {
                throw re;
            }
            if (failure[0] instanceof Error err) {
                throw err;
            }
            throw new UncheckedIOException(new IOException(failure[0]));
        }
    }
}
