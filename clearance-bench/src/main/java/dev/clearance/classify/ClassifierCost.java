package dev.clearance.classify;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The CPU time one classification costs, which (unlike wall-clock latency on a shared machine)
 * does not depend on what else runs: the shipped classifier with one ONNX Runtime thread, so all
 * the work happens on the calling thread and its CPU time is the whole cost. Prints p50/p99 of
 * thread CPU time and of wall time for each prompt length, over the same prompts as
 * {@link ClassifierBenchmark}.
 *
 * <p>Usage: {@code bench/classify.sh cost [runs]} (default 200 runs per length).
 */
public final class ClassifierCost {
    private ClassifierCost() {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (Classifier classifier = Classifier.shipped(1)) {
            for (int chars : new int[] {200, 2000, 20000}) {
                Input input = ClassifierBenchmark.prompt(chars);
                int n = chars >= 20000 ? Math.max(20, runs / 10) : runs;
                for (int i = 0; i < Math.min(20, n); i++) {
                    classifier.classify(input);
                }
                long[] cpu = new long[n];
                long[] wall = new long[n];
                for (int i = 0; i < n; i++) {
                    long c0 = mx.getCurrentThreadCpuTime();
                    long w0 = System.nanoTime();
                    classifier.classify(input);
                    wall[i] = System.nanoTime() - w0;
                    cpu[i] = mx.getCurrentThreadCpuTime() - c0;
                }
                Arrays.sort(cpu);
                Arrays.sort(wall);
                System.out.printf(
                        "%6d chars (%d chunks), %d runs: CPU p50 %.1f ms p99 %.1f ms; wall p50 %.1f ms p99 %.1f ms%n",
                        chars,
                        classifier.classify(input).chunks(),
                        n,
                        cpu[n / 2] / 1e6,
                        cpu[(int) (n * 0.99)] / 1e6,
                        wall[n / 2] / 1e6,
                        wall[(int) (n * 0.99)] / 1e6);
            }
        }
    }
}
