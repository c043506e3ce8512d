package dev.clearance.bench.log;

import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one request waits for its decision to be durable, the way the gateway uses the log: many
 * concurrent callers, each appending one entry and waiting for its acknowledgement (closed loop,
 * {@value #CALLERS} callers). The sampled distribution is the latency logging adds to a response.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
@Threads(AppendLatencyBenchmark.CALLERS)
@Fork(1)
public class AppendLatencyBenchmark {
    static final int CALLERS = 16;

    private Path dir;
    private TransparencyLog log;
    private byte[][] entries;
    private final AtomicInteger next = new AtomicInteger();

    @Setup
    public void open() throws Exception {
        dir = Files.createTempDirectory(
                Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))), "latency-bench");
        log = TransparencyLog.open(dir, LogOptions.defaults());
        entries = LogBenchData.entries(65_536);
    }

    @Benchmark
    public long appendOneAndWait() throws Exception {
        return log.append(entries[next.getAndIncrement() & 0xffff]).get();
    }

    @TearDown
    public void close() throws Exception {
        log.close();
        LogBenchData.delete(dir);
    }
}
