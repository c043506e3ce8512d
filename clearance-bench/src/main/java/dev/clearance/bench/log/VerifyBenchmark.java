package dev.clearance.bench.log;

import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import dev.clearance.log.audit.LogVerifier;
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
 * Full verification ({@code clearance log verify}) of a log of {@value #ENTRIES} realistic entries:
 * every leaf and tree node recomputed and compared, every checkpoint checked. Score = entries/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VerifyBenchmark {
    static final int ENTRIES = 1_000_000;

    private Path dir;

    @Setup
    public void build() throws Exception {
        dir = Files.createTempDirectory(
                Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))), "verify-bench");
        byte[][] entries = LogBenchData.entries(65_536);
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            CompletableFuture<Long> last = null;
            for (int i = 0; i < ENTRIES; i++) {
                last = log.append(entries[i & 0xffff]);
            }
            last.get();
        }
        LogVerifier.Result r = LogVerifier.verify(dir);
        if (!r.ok() || r.entries() != ENTRIES) {
            throw new IllegalStateException("the benchmark log does not verify: " + r);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public LogVerifier.Result verifyWholeLog() throws Exception {
        LogVerifier.Result r = LogVerifier.verify(dir);
        if (!r.ok()) {
            throw new IllegalStateException(r.failure());
        }
        return r;
    }

    @TearDown
    public void delete() {
        LogBenchData.delete(dir);
    }
}
