package dev.clearance.bench.log;

import dev.clearance.core.Decision;
import dev.clearance.core.License;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import dev.clearance.core.Screening;
import dev.clearance.record.DecisionEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Realistic decision entries (about 700 bytes, with principal facts) and temporary log directories. */
final class LogBenchData {
    private LogBenchData() {}

    /** {@code count} distinct entries, cycled through by the benchmarks. */
    static byte[][] entries(int count) {
        Instant t = Instant.parse("2026-11-26T12:00:00Z");
        Principal p = new Principal(
                "user-0001",
                Principal.Kind.PERSON,
                "A. Person",
                List.of("DE", "FR"),
                "",
                false,
                "US",
                "",
                "acme-research",
                2,
                List.of(new License(
                        "L-77", "export", List.of("frontier-*"), t.minusSeconds(86_400), t.plusSeconds(86_400))),
                Map.of("team", "alignment"),
                new Screening("clear", List.of(), 0.0),
                new Screening("clear", List.of(), 0.0));
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            Request r = new Request(
                    "req-" + i,
                    "user-" + (i % 5000),
                    i % 3 == 0 ? "frontier-2" : "small-1",
                    List.of("chat"),
                    t.plusMillis(i),
                    "US",
                    "198.51.100." + (i % 250),
                    "/v1/messages");
            Decision d = new Decision(
                    "dec-" + i + "-7f3a9c",
                    i % 7 == 0 ? Decision.Outcome.DENY : Decision.Outcome.ALLOW,
                    i % 7 == 0 ? List.of("ofac-2026-017") : List.of(),
                    List.of(),
                    List.of(),
                    "",
                    "sha256:4be1c0ffee0ddba11");
            out[i] = DecisionEntry.of("gateway-1", r, p, d).bytes();
        }
        return out;
    }

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
