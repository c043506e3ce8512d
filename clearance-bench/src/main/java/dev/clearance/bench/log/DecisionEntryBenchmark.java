package dev.clearance.bench.log;

import dev.clearance.core.Decision;
import dev.clearance.core.License;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import dev.clearance.core.Screening;
import dev.clearance.record.DecisionEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bytes of one decision entry, as the gateway writes one per call: an allowed U.S. person with a
 * license, two attributes and a clear screening, on a chat completion. Score = time per entry.
 *
 * <p>{@code java -jar clearance-bench/target/benchmarks.jar DecisionEntryBenchmark} (the jar built by {@code bench/decide.sh})
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionEntryBenchmark {
    private static final Instant T = Instant.parse("2026-12-07T09:00:00.123456Z");

    private final Principal alice = new Principal(
            "alice",
            Principal.Kind.PERSON,
            "Alice Walker",
            List.of("US"),
            "",
            false,
            "US",
            "",
            "acme-labs",
            2,
            List.of(new License("L-1", "export", List.of("frontier-*"), T.minusSeconds(3600), T.plusSeconds(3600))),
            Map.of("employee", "true", "team", "research"),
            new Screening("clear", List.of(), 0.0),
            null);
    private final Request request = new Request(
            "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
            "alice",
            "frontier-x",
            List.of(),
            T,
            "",
            "127.0.0.1",
            "/v1/chat/completions");
    private final Decision allowed = new Decision(
            request.id(),
            Decision.Outcome.ALLOW,
            List.of(),
            List.of(),
            List.of(),
            "",
            "sha256:3f1c0e5d9b7a2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e");

    @Benchmark
    public byte[] entryBytes() {
        return DecisionEntry.of("node-1", request, alice, allowed, null).bytes();
    }
}
