package dev.clearance.classify;

import dev.clearance.core.PolicyException;
import java.nio.file.Path;

/**
 * How long loading an operator's capability directory takes: the shipped artefact read, the
 * operator's exemplars embedded, and every head trained again (a start-up cost; nothing is trained
 * per request). Prints the wall time and the process CPU time of each of {@code runs} loads.
 *
 * <p>Usage: {@code bench/classify.sh operator DIR [runs]}.
 */
public final class OperatorLoadCost {
    private OperatorLoadCost() {}

    public static void main(String[] args) throws PolicyException {
        Path dir = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        for (int i = 0; i < runs; i++) {
            long cpu0 = ProcessHandle.current()
                    .info()
                    .totalCpuDuration()
                    .orElseThrow()
                    .toNanos();
            long wall0 = System.nanoTime();
            try (Classifier c = Classifier.withCapabilities(dir)) {
                long wall = System.nanoTime() - wall0;
                long cpu = ProcessHandle.current()
                                .info()
                                .totalCpuDuration()
                                .orElseThrow()
                                .toNanos()
                        - cpu0;
                System.out.printf(
                        "loaded %s (%s): wall %.1f s, process CPU %.1f s%n",
                        dir, c.thresholds(), wall / 1e9, cpu / 1e9);
            }
        }
    }
}
