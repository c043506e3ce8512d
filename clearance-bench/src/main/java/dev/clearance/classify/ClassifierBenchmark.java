package dev.clearance.classify;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost classification adds to a request: one prompt of {@code chars} characters (ordinary
 * English prose mixed with a technical question, so the tokenizer sees realistic text), classified
 * by the shipped classifier (tokenise, embed every window, score every head). Sample time gives the
 * p50/p99 latency. Run: {@code bench/classify.sh latency}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ClassifierBenchmark {
    private static final String TEXT =
            "Our team is migrating a reporting service from a nightly batch job to a streaming "
                    + "pipeline. The old job reads invoices from PostgreSQL, joins them with customer records, and writes "
                    + "monthly summaries. We want near real-time dashboards, but we are worried about duplicate events when a "
                    + "consumer restarts. How should we design idempotent writes, and which isolation level do we need for the "
                    + "summary table? Also, what is a sensible retention policy for the raw events, given that auditors ask "
                    + "for five years of history? ";

    @Param({"200", "2000", "20000"})
    public int chars;

    /** ONNX Runtime threads per classification (the shipped default is 2 on a 2-core machine). */
    @Param({"2"})
    public int threads;

    private Classifier classifier;
    private Input input;

    @Setup(Level.Trial)
    public void load() {
        classifier = Classifier.shipped(threads);
        input = prompt(chars);
    }

    /** A prompt of exactly {@code chars} characters of numbered paragraphs. */
    static Input prompt(int chars) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        while (sb.length() < chars) {
            sb.append("(").append(++n).append(") ").append(TEXT);
        }
        return Input.prompt(sb.substring(0, chars));
    }

    @TearDown(Level.Trial)
    public void close() {
        classifier.close();
    }

    @Benchmark
    public Classification classify() {
        return classifier.classify(input);
    }
}
