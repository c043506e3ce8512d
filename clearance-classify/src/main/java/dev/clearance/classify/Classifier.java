package dev.clearance.classify;

import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The embedded content classifier: finds which capabilities (offensive-cyber, cbrn, ...) an input
 * asks for. Each text part is cut into token windows ({@link Chunking}), each window is embedded by
 * a sentence-embedding model running in the JVM and scored by every capability's trained
 * logistic-regression head, with lexical features beside the embedding; a capability's score is the
 * maximum over windows, and it is found when the score reaches its threshold. Thread-safe and
 * immutable; {@link #close()} releases the model's native memory.
 */
public final class Classifier implements AutoCloseable {
    /** Chunks classified per input at most: bounds the time and memory of a 1 MB prompt. */
    public static final int MAX_CHUNKS = 64;

    static final String ID = "clearance-classify/" + Encoder.MODEL + "+logistic-regression";

    private final Encoder encoder;
    private final boolean ownsEncoder;
    private final List<Head> heads;
    private final String version;
    private final List<String> capabilities;

    private Classifier(Encoder encoder, boolean owns, List<Head> heads, String version, List<String> capabilities) {
        this.encoder = encoder;
        this.ownsEncoder = owns;
        this.heads = List.copyOf(heads);
        this.version = version;
        this.capabilities = List.copyOf(capabilities);
    }

    /** The shipped taxonomy with its trained heads and thresholds. */
    public static Classifier shipped() {
        return shipped(defaultThreads());
    }

    /** The shipped classifier with {@code threads} ONNX Runtime threads per classification. */
    static Classifier shipped(int threads) {
        Artefact a = shippedArtefact();
        return new Classifier(Encoder.open(threads), true, a.heads(), shortHash(a.inputs()), a.capabilities());
    }

    /**
     * The shipped taxonomy with an operator's capability files added or overriding (same id), the
     * heads trained again from all exemplars (deterministically, the build's trainer), and the
     * thresholds chosen the same way.
     *
     * @throws PolicyException every problem in the operator's files, located
     */
    public static Classifier withCapabilities(Path dir) throws PolicyException {
        Taxonomy operator = CapabilityParser.load(dir);
        Artefact shipped = shippedArtefact();
        Set<String> replaced =
                operator.capabilities().stream().map(Capability::id).collect(Collectors.toSet());
        Encoder encoder = open();
        try {
            int nextGroup =
                    shipped.samples().stream().mapToInt(Sample::group).max().orElse(-1) + 1;
            List<Sample> samples = new ArrayList<>();
            shipped.samples().stream()
                    .filter(s -> !replaced.contains(s.origin()))
                    .forEach(samples::add);
            samples.addAll(Trainer.samples(operator, encoder, nextGroup));
            Map<String, String> ids = new LinkedHashMap<>();
            for (String c : shipped.capabilities()) {
                ids.put(c.substring(0, c.indexOf('@')), c);
            }
            operator.capabilities().forEach(c -> ids.put(c.id(), c.id() + "@" + c.version()));
            String inputs = "sha256:" + Trainer.sha256(shipped.inputs() + "\n" + Trainer.inputsHash(operator));
            Artefact a = Trainer.train(inputs, List.copyOf(ids.values()), samples, s -> {});
            return new Classifier(encoder, true, a.heads(), shortHash(inputs), a.capabilities());
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /**
     * This classifier with some thresholds overridden (capability id, case-insensitive, to a
     * threshold in (0, 1]). Shares the model: close only one of the two.
     *
     * @throws PolicyException naming {@code source} for an unknown capability or a threshold out of range
     */
    public Classifier withThresholds(Map<String, Double> thresholds, String source) throws PolicyException {
        if (thresholds.isEmpty()) {
            return this;
        }
        Map<String, Double> byId = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        thresholds.forEach((k, v) -> {
            String id = k.toLowerCase(Locale.ROOT);
            if (heads.stream().noneMatch(h -> h.capability().equals(id))) {
                problems.add(new Problem(source, 0, 0, "unknown capability '" + k + "' (known: " + ids() + ")"));
            } else if (v == null || !(v > 0 && v <= 1)) {
                problems.add(new Problem(source, 0, 0, "threshold of '" + k + "': " + v + " is not in (0, 1]"));
            } else {
                byId.put(id, v);
            }
        });
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        List<Head> changed = heads.stream()
                .map(h -> byId.containsKey(h.capability()) ? h.withThreshold(byId.get(h.capability())) : h)
                .toList();
        String overridden =
                version + "+thresholds:" + Trainer.sha256(byId.toString()).substring(0, 8);
        return new Classifier(encoder, false, changed, overridden, capabilities);
    }

    /** Classifies one input. Never throws on odd text: empty or whitespace input finds nothing. */
    public Classification classify(Input input) {
        Chunking.Chunks chunks = Chunking.of(input, encoder, MAX_CHUNKS);
        List<Chunking.Chunk> list = chunks.chunks();
        float[][] embeddings = Chunking.embed(list, encoder);
        Map<String, Double> scores = new LinkedHashMap<>();
        List<Classification.Finding> findings = new ArrayList<>();
        int[][] buckets = new int[list.size()][];
        for (int i = 0; i < list.size(); i++) {
            buckets[i] = Lexical.buckets(list.get(i).text());
        }
        for (Head h : heads) {
            double best = 0;
            int at = -1;
            for (int i = 0; i < list.size(); i++) {
                double s = h.score(embeddings[i], buckets[i]);
                if (s > best) {
                    best = s;
                    at = i;
                }
            }
            scores.put(h.capability(), best);
            if (at >= 0 && best >= h.threshold()) {
                Chunking.Chunk c = list.get(at);
                findings.add(new Classification.Finding(
                        h.capability(),
                        best,
                        h.threshold(),
                        new Classification.Trigger(c.part(), c.role(), c.start(), c.end(), c.withPrevious())));
            }
        }
        findings.sort(Comparator.comparingDouble(Classification.Finding::score).reversed());
        return new Classification(ID, version, findings, scores, chunks.skipped(), chunks.complete(), list.size());
    }

    /** A monitor for one streamed answer, classifying it as it flows. */
    public AnswerMonitor monitor() {
        return new AnswerMonitor(this);
    }

    /** The classifier id: the embedding model and the kind of head. */
    public String id() {
        return ID;
    }

    /** A content hash of the taxonomy, the exemplars and the training settings (and overrides). */
    public String version() {
        return version;
    }

    /** The capabilities this classifier finds, as {@code id@version}. */
    public List<String> capabilities() {
        return capabilities;
    }

    /** The threshold in force for each capability. */
    public Map<String, Double> thresholds() {
        Map<String, Double> out = new LinkedHashMap<>();
        heads.forEach(h -> out.put(h.capability(), h.threshold()));
        return out;
    }

    private String ids() {
        return heads.stream().map(Head::capability).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        if (ownsEncoder) {
            encoder.close();
        }
    }

    private static Encoder open() {
        return Encoder.open(defaultThreads());
    }

    /** One classification uses both cores of a small gateway; more threads than that only contend. */
    private static int defaultThreads() {
        return Math.min(2, Runtime.getRuntime().availableProcessors());
    }

    private static String shortHash(String inputs) {
        return inputs.substring("sha256:".length(), "sha256:".length() + 16);
    }

    static Artefact shippedArtefact() {
        try (InputStream in = Classifier.class.getResourceAsStream(Artefact.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(Artefact.RESOURCE
                        + " is not on the class path: the build trains it (clearance-classify, process-classes)");
            }
            return Artefact.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classifier artefact " + Artefact.RESOURCE, e);
        }
    }
}
