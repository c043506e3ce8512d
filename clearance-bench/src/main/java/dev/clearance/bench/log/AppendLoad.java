package dev.clearance.bench.log;

import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: appends at a fixed rate (default 5,000/s, like a busy gateway) for a fixed time
 * and reports the latency from append to durable acknowledgement, i.e. what logging adds to a
 * response. Open loop, so a slow fsync shows up as queueing rather than as a lower rate.
 *
 * <p>Usage: {@code AppendLoad [rate per second] [seconds] [directory]}.
 */
public final class AppendLoad {
    private AppendLoad() {}

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path base = args.length > 2 ? Path.of(args[2]) : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "append-load");
        byte[][] entries = LogBenchData.entries(65_536);
        int total = rate * seconds;
        long[] latencies = new long[total];
        long[] fromSend = new long[total];
        CompletableFuture<?>[] done = new CompletableFuture<?>[total];
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            long start = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int n = i;
                long sent = System.nanoTime();
                // Latency counts from when the request was due, so a stalled sender cannot hide queueing;
                // from the call itself too, to tell the log's share from the sender's lateness.
                done[i] = log.append(entries[i & 0xffff]).thenRun(() -> {
                    long now = System.nanoTime();
                    latencies[n] = now - due;
                    fromSend[n] = now - sent;
                });
            }
            CompletableFuture.allOf(done).get();
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "appended %d entries in %.1f s (%.0f/s, offered %d/s)%n", total, elapsed, total / elapsed, rate);
            report("due-to-durable ", latencies);
            report("call-to-durable", fromSend);
        } finally {
            LogBenchData.delete(dir);
        }
    }

    private static void report(String what, long[] latencies) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "%s latency: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                what,
                ms(sorted, 0.50),
                ms(sorted, 0.90),
                ms(sorted, 0.99),
                ms(sorted, 0.999),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }
}
