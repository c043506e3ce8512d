package dev.clearance.bench.screening;

import dev.clearance.bench.screening.LabelledQueries.LabelledQuery;
import dev.clearance.core.Principal;
import dev.clearance.screening.ListVersion;
import dev.clearance.screening.ListedParty;
import dev.clearance.screening.ScreeningIndex;
import dev.clearance.screening.ScreeningQuery;
import dev.clearance.screening.ScreeningRegistry;
import dev.clearance.store.Store;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * How fast screening is: latency on one thread, throughput on N, re-screening generated principals
 * on N, and the store-backed re-screen a list change triggers.
 *
 * <p>Wall time includes time a thread waits for a core on a shared machine; thread CPU time is the
 * work the query itself costs. Both are reported.
 */
final class ScreeningSpeed {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ScreeningSpeed() {}

    /** Latency and throughput over the labelled mix, then (with {@code principals > 0}) re-screening generated principals. */
    static void measure(
            ScreeningIndex index,
            List<LabelledQuery> queries,
            List<ListedParty> all,
            Random rnd,
            double threshold,
            int threads,
            int principals)
            throws InterruptedException, ExecutionException {
        List<ScreeningQuery> mix = queries.stream()
                .map(q -> new ScreeningQuery(q.query(), q.kind(), "", ""))
                .toList();
        latency(index, mix, threshold);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        throughput(pool, index, mix, threshold, threads);
        if (principals > 0) {
            rescreen(pool, index, all, rnd, threshold, threads, principals);
        }
        pool.shutdown();
    }

    /** One thread over the labelled mix, after a warm-up pass. */
    private static void latency(ScreeningIndex index, List<ScreeningQuery> mix, double threshold) {
        for (int r = 0; r < 3; r++) for (ScreeningQuery q : mix) index.screen(q, threshold, 0.5, 10);
        long[] lat = new long[mix.size()];
        long[] cpu = new long[mix.size()];
        for (int i = 0; i < mix.size(); i++) {
            long c = THREADS.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            index.screen(mix.get(i), threshold, 0.5, 10);
            lat[i] = System.nanoTime() - s;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c;
        }
        Arrays.sort(lat);
        Arrays.sort(cpu);
        System.out.printf(
                Locale.ROOT,
                "%nmachine: %d cores, load average %.1f%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(
                Locale.ROOT,
                "latency, 1 thread, %d queries with explanations: wall p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                lat.length,
                lat[lat.length / 2] / 1e6,
                lat[(int) (lat.length * 0.99)] / 1e6,
                lat[(int) (lat.length * 0.999)] / 1e6,
                lat[lat.length - 1] / 1e6);
        System.out.printf(
                Locale.ROOT,
                "                                      thread CPU p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                cpu[cpu.length / 2] / 1e6,
                cpu[(int) (cpu.length * 0.99)] / 1e6,
                cpu[(int) (cpu.length * 0.999)] / 1e6,
                cpu[cpu.length - 1] / 1e6);
    }

    /** {@code threads} threads over the labelled mix for about 10 s. */
    private static void throughput(
            ExecutorService pool, ScreeningIndex index, List<ScreeningQuery> mix, double threshold, int threads)
            throws InterruptedException, ExecutionException {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + 10_000_000_000L;
        long ts = System.nanoTime();
        long cpuNanos = onThreads(pool, threads, t -> {
            int i = t * 997;
            while (System.nanoTime() < end) {
                for (int k = 0; k < 256; k++) {
                    index.screen(mix.get(i++ % mix.size()), threshold, 0.5, 10);
                }
                done.addAndGet(256);
            }
        });
        double secs = (System.nanoTime() - ts) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "throughput, %d threads: %.0f queries/s wall (%d queries in %.1f s); %.0f queries per CPU-second"
                        + " (= %.0f queries/s if the %d threads had %d cores to themselves)%n",
                threads,
                done.get() / secs,
                done.get(),
                secs,
                done.get() / (cpuNanos / 1e9),
                threads * done.get() / (cpuNanos / 1e9),
                threads,
                threads);
    }

    /** {@code principals} generated principals, split between {@code threads} threads. */
    private static void rescreen(
            ExecutorService pool,
            ScreeningIndex index,
            List<ListedParty> all,
            Random rnd,
            double threshold,
            int threads,
            int principals)
            throws InterruptedException, ExecutionException {
        List<String> pool2 = SyntheticNames.principalNames(all, rnd, 200_000);
        long rs = System.nanoTime();
        AtomicLong matched = new AtomicLong();
        int chunk = (principals + threads - 1) / threads;
        long rescreenCpu = onThreads(pool, threads, t -> {
            int from = t * chunk;
            int to = Math.min(principals, from + chunk);
            for (int i = from; i < to; i++) {
                if (index.bestScore(ScreeningQuery.ofName(pool2.get(i % pool2.size()) + SyntheticNames.suffix(i)))
                        >= threshold) matched.incrementAndGet();
            }
        });
        double rsecs = (System.nanoTime() - rs) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "re-screen %d generated principals on %d threads: %.1f s wall (%.0f principals/s), %.1f CPU-seconds"
                        + " (= %.1f s on %d free cores), %d at or above threshold%n",
                principals,
                threads,
                rsecs,
                principals / rsecs,
                rescreenCpu / 1e9,
                rescreenCpu / 1e9 / threads,
                threads,
                matched.get());
        System.out.printf(
                Locale.ROOT,
                "machine load average at the end: %.1f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Runs {@code work(t)} for each of {@code threads} threads of the pool, waits, and returns their CPU time. */
    private static long onThreads(ExecutorService pool, int threads, IntConsumer work)
            throws InterruptedException, ExecutionException {
        AtomicLong cpuNanos = new AtomicLong();
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            jobs.add(pool.submit(() -> {
                long c0 = THREADS.getCurrentThreadCpuTime();
                work.accept(thread);
                cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - c0);
            }));
        }
        for (Future<?> f : jobs) f.get();
        return cpuNanos.get();
    }

    /**
     * The store-backed path: import generated principals into a fresh SQLite store, then activate
     * the lists, which screens every stored principal and writes every result.
     */
    static void storedRescreen(List<ListVersion> versions, List<ListedParty> all, Random rnd, int n, double threshold)
            throws IOException {
        Path dir = Files.createTempDirectory("clearance-screening-eval");
        List<String> names = SyntheticNames.principalNames(all, rnd, 200_000);
        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("clearance.db"))) {
            ScreeningRegistry registry = new ScreeningRegistry(store, Clock.systemUTC(), threshold);
            for (ListVersion v : versions) registry.activate(v, "eval");
            long t0 = System.nanoTime();
            store.principals()
                    .importAll(
                            sink -> {
                                for (int i = 0; i < n; i++) {
                                    sink.accept(Principal.builder("p" + i)
                                            .name(names.get(i % names.size()) + SyntheticNames.suffix(i))
                                            .build());
                                }
                            },
                            "eval");
            long t1 = System.nanoTime();
            int screened = registry.followChanges();
            long t2 = System.nanoTime();
            // A list change: the SDN version without its last entry (labelled as another version).
            ListVersion sdn = versions.get(0);
            ListVersion changed = new ListVersion(
                    sdn.source(),
                    sdn.origin(),
                    sdn.importedAt(),
                    sdn.contentHash() + "-minus-one",
                    sdn.parties().subList(0, sdn.parties().size() - 1));
            ScreeningRegistry.Activation a = registry.activate(changed, "eval");
            long t3 = System.nanoTime();
            System.out.printf(
                    Locale.ROOT,
                    "%nstored principals (SQLite in %s): import %d in %.1f s; screening the imported"
                            + " principals (change feed) %d in %.1f s; a list change re-screened and stored %d in %.1f s wall"
                            + " (load average %.1f)%n",
                    dir,
                    n,
                    (t1 - t0) / 1e9,
                    screened,
                    (t2 - t1) / 1e9,
                    a.rescreened(),
                    (t3 - t2) / 1e9,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }
}
