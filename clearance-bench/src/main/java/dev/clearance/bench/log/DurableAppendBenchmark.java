package dev.clearance.bench.log;

import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sustained durable appends through group commit: each invocation appends {@value #BURST} entries
 * and waits until the last is acknowledged (so all are fsynced). Score = durable entries/s.
 * Callers that each wait for their own entry (the gateway) see the same batching, since the
 * sequencer writes whatever has queued during the previous fsync.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DurableAppendBenchmark {
    static final int BURST = 10_000;

    private Path dir;
    private TransparencyLog log;
    private byte[][] entries;
    private int next;

    @Setup
    public void open() throws Exception {
        dir = Files.createTempDirectory(
                Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))), "append-bench");
        log = TransparencyLog.open(dir, LogOptions.defaults());
        entries = LogBenchData.entries(65_536);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long appendBurstDurably() throws Exception {
        CompletableFuture<Long> last = null;
        for (int i = 0; i < BURST; i++) {
            last = log.append(entries[next++ & 0xffff]);
        }
        return last.get();
    }

    @TearDown
    public void close() throws Exception {
        log.close();
        LogBenchData.delete(dir);
    }
}
