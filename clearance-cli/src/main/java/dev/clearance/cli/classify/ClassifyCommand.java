package dev.clearance.cli.classify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.classify.Classification;
import dev.clearance.classify.Classifier;
import dev.clearance.classify.Evaluation;
import dev.clearance.classify.PromptFile;
import dev.clearance.core.PolicyException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code clearance classify}: the embedded content classifier over files. {@code --prompts} writes
 * one JSON line per input, in input order; {@code --eval} prints recall and false-positive rate per
 * capability and per kind for a labelled file. Inputs are classified on every core, output order kept.
 */
@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description = "Classify prompts into capabilities (offensive-cyber, cbrn, ...) with the embedded classifier.")
public final class ClassifyCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Inputs in flight at once: bounds memory while both cores work. */
    private static final int IN_FLIGHT = 64;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(
                names = "--prompts",
                paramLabel = "FILE",
                description =
                        "JSON Lines of {\"id\", \"prompt\"} or {\"id\", \"messages\": [{\"role\", \"content\"}]}; "
                                + "writes {\"id\", \"capabilities\", \"scores\"} per line, in input order.")
        Path prompts;

        @Option(
                names = "--eval",
                paramLabel = "FILE",
                description =
                        "Labelled JSON Lines ({\"id\", \"prompt\" | \"messages\", \"expect\": [...], \"kind\"?}): "
                                + "prints recall and false-positive rate per capability and per kind.")
        Path eval;
    }

    @Option(
            names = "--capabilities",
            paramLabel = "DIR",
            description = "Operator capability files added to (or overriding) the shipped taxonomy; trained at start.")
    Path capabilities;

    @Option(
            names = "--threshold",
            paramLabel = "CAPABILITY=X",
            description = "Override a capability's threshold (repeatable), as classification.thresholds does.")
    Map<String, Double> thresholds = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Classifier shipped =
                capabilities == null ? Classifier.shipped() : Classifier.withCapabilities(capabilities)) {
            Classifier classifier = shipped.withThresholds(thresholds, "--threshold");
            if (mode.prompts != null) {
                return run(classifier, mode.prompts, false, (p, c) -> out.println(line(p, c)), err) ? 0 : 1;
            }
            List<Evaluation.Outcome> outcomes = new ArrayList<>();
            boolean ok = run(
                    classifier,
                    mode.eval,
                    true,
                    (p, c) -> outcomes.add(
                            new Evaluation.Outcome(p.expect(), java.util.Set.copyOf(c.capabilities()), p.kind())),
                    err);
            out.printf(
                    "classifier %s version %s, thresholds %s%n",
                    classifier.id(), classifier.version(), classifier.thresholds());
            Evaluation.of(outcomes, classifier.thresholds().keySet().stream().toList())
                    .print(out);
            return ok ? 0 : 1;
        } catch (PolicyException e) {
            e.problems().forEach(err::println);
            return 1;
        }
    }

    /** One input's result, as classified. */
    private interface Sink {
        void accept(PromptFile prompt, Classification c);
    }

    /**
     * Reads {@code file}, classifies its lines on every core and hands the results to {@code sink}
     * in input order. A bad line is reported (file:line: problem) and skipped; false if there was one.
     */
    private static boolean run(Classifier classifier, Path file, boolean labelled, Sink sink, PrintWriter err) {
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Deque<Future<Result>> inFlight = new ArrayDeque<>();
        boolean ok = true;
        Consumer<Future<Result>> drain = f -> {
            try {
                Result r = f.get();
                sink.accept(r.prompt(), r.classification());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("classification failed: " + e.getCause(), e.getCause());
            }
        };
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                PromptFile prompt;
                try {
                    prompt = PromptFile.line(text, file.toString(), line, labelled);
                } catch (PolicyException e) {
                    e.problems().forEach(err::println);
                    ok = false;
                    continue;
                }
                inFlight.add(pool.submit(() -> new Result(prompt, classifier.classify(prompt.input()))));
                if (inFlight.size() >= IN_FLIGHT) {
                    drain.accept(inFlight.poll());
                }
            }
            while (!inFlight.isEmpty()) {
                drain.accept(inFlight.poll());
            }
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            ok = false;
        } finally {
            pool.shutdownNow();
        }
        return ok;
    }

    private record Result(PromptFile prompt, Classification classification) {}

    private static String line(PromptFile p, Classification c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", p.id());
        var found = o.putArray("capabilities");
        c.capabilities().forEach(found::add);
        ObjectNode scores = o.putObject("scores");
        c.scores().forEach((k, v) -> scores.put(k, Math.round(v * 10000) / 10000.0));
        return o.toString();
    }
}
