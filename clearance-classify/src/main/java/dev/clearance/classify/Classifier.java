package dev.clearance.classify;

import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The embedded content classifier: finds which capabilities (offensive-cyber, cbrn, ...) an input
 * asks for. Each text part is cut into token windows ({@link Chunking}) and every window's lexical
 * features are read. The windows that matter most, up to {@link #EMBED_TOKENS} tokens (the
 * request's first window, the request read with the turn before it, then the windows the lexical
 * heads rate riskiest), are embedded by a sentence-embedding model running in the JVM and scored by
 * every capability's two-stage {@link Head}; the other windows are scored by the lexical heads. A
 * capability's score is the maximum over windows, and it is found when the score reaches its
 * threshold. Thread-safe and immutable; {@link #close()} releases the model's native memory.
 */
public final class Classifier implements AutoCloseable {
    /** Chunks classified per input at most: bounds the time and memory of a 1 MB prompt. */
    public static final int MAX_CHUNKS = 256;

    /**
     * Tokens embedded per input at most (two full windows): the embedding model is nearly all of
     * the cost, about 0.13 ms of CPU per token, so this bounds the latency of any input.
     */
    static final int EMBED_TOKENS = 2 * Encoder.WINDOW_TOKENS;

    /** Windows a part must span for its sentences to be read one by one too (a paste, not a prompt). */
    static final int SENTENCE_WINDOWS = 3;

    /** The regularisation cost of an operator capability's heads (the build searches Training.COSTS). */
    static final double OPERATOR_COST = 2;

    static final String ID = "clearance-classify/" + Encoder.MODEL + "+logistic-regression";

    private final Encoder encoder;
    private final boolean ownsEncoder;
    private final List<Head> heads;
    private final String version;
    private final List<String> capabilities;
    private final Neighbours neighbours;

    private Classifier(
            Encoder encoder,
            boolean owns,
            List<Head> heads,
            String version,
            List<String> capabilities,
            Neighbours neighbours) {
        this.encoder = encoder;
        this.ownsEncoder = owns;
        this.heads = List.copyOf(heads);
        this.version = version;
        this.capabilities = List.copyOf(capabilities);
        this.neighbours = neighbours;
    }

    private static Classifier of(Encoder encoder, Artefact a, String version) {
        Neighbours near = new Neighbours(
                a.samples(), a.heads().stream().map(Head::capability).toList());
        return new Classifier(encoder, true, a.heads(), version, a.capabilities(), near);
    }

    /** The shipped taxonomy with its trained heads and thresholds. */
    public static Classifier shipped() {
        return shipped(defaultThreads());
    }

    /** The shipped classifier with {@code threads} ONNX Runtime threads per classification. */
    static Classifier shipped(int threads) {
        Artefact a = shippedArtefact();
        return of(Encoder.open(threads), a, shortHash(a.inputs()));
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
        int nextGroup = shipped.samples().stream().mapToInt(Sample::group).max().orElse(-1) + 1;
        List<Sample> samples = new ArrayList<>();
        shipped.samples().stream().filter(s -> !replaced.contains(s.origin())).forEach(samples::add);
        samples.addAll(Trainer.samples(operator, nextGroup, defaultThreads()));
        Map<String, String> ids = new LinkedHashMap<>();
        for (String c : shipped.capabilities()) {
            ids.put(c.substring(0, c.indexOf('@')), c);
        }
        operator.capabilities().forEach(c -> ids.put(c.id(), c.id() + "@" + c.version()));
        // Loading is a start-up cost, so it trains no more than it must: without operator negatives
        // the shipped heads that are not replaced are kept as the build trained them, and the
        // operator's capabilities are trained with one cost instead of searching COSTS.
        Map<String, Head> kept = new HashMap<>();
        if (operator.negatives().isEmpty()) {
            shipped.heads().stream()
                    .filter(h -> !replaced.contains(h.capability()))
                    .forEach(h -> kept.put(h.capability(), h));
        }
        Map<String, double[][]> costs = new HashMap<>();
        shipped.heads().forEach(h -> costs.put(h.capability(), new double[][] {{h.cost()}, {h.lexicalCost()}}));
        operator.capabilities().forEach(c -> costs.put(c.id(), new double[][] {{OPERATOR_COST}, {OPERATOR_COST}}));
        String inputs = "sha256:" + Trainer.sha256(shipped.inputs() + "\n" + Trainer.inputsHash(operator));
        Artefact a = Training.train(inputs, List.copyOf(ids.values()), samples, kept::get, costs::get, s -> {});
        return of(open(), a, shortHash(inputs));
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
        return new Classifier(encoder, false, changed, overridden, capabilities, neighbours);
    }

    /** Classifies one input. Never throws on odd text: empty or whitespace input finds nothing. */
    public Classification classify(Input input) {
        Chunking.Chunks chunks = Chunking.of(input, encoder, MAX_CHUNKS);
        List<Chunking.Chunk> list = chunks.chunks();
        int n = list.size();
        Lexical[] lexical = new Lexical[n];
        double[] risk = new double[n];
        // A window of a long part is read sentence by sentence too: one harmful sentence in a page
        // of pasted text is diluted in the window's features, not in its own.
        double[][] sentence = sentenceMargins(list);
        for (int i = 0; i < n; i++) {
            lexical[i] = Lexical.of(list.get(i).text());
            double r = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < heads.size(); c++) {
                r = Math.max(r, Math.max(heads.get(c).lexicalMargin(lexical[i]), sentence[i][c]));
            }
            risk[i] = r;
        }
        int[] embedded = Chunking.toEmbed(list, risk, EMBED_TOKENS);
        float[][] vectors =
                Chunking.embed(Arrays.stream(embedded).mapToObj(list::get).toList(), encoder);
        float[][] embedding = new float[n][];
        double[][][] near = new double[n][][];
        for (int k = 0; k < embedded.length; k++) {
            embedding[embedded[k]] = vectors[k];
            near[embedded[k]] = neighbours.of(vectors[k], -1);
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        List<Classification.Finding> findings = new ArrayList<>();
        for (int c = 0; c < heads.size(); c++) {
            Head h = heads.get(c);
            double best = 0;
            int at = -1;
            for (int i = 0; i < n; i++) {
                double s = embedding[i] != null
                        ? h.score(embedding[i], lexical[i], near[i][c])
                        : h.lexicalScore(lexical[i]);
                s = Math.max(s, Head.sigmoid(sentence[i][c] + Head.logit(h.threshold())));
                if (s > best) {
                    best = s;
                    at = i;
                }
            }
            scores.put(h.capability(), best);
            if (at >= 0 && best >= h.threshold()) {
                Chunking.Chunk ch = list.get(at);
                var trigger = new Classification.Trigger(ch.part(), ch.role(), ch.start(), ch.end(), ch.withPrevious());
                findings.add(new Classification.Finding(h.capability(), best, h.threshold(), trigger));
                // The sub-capability, when the nearest positives agree on one: a directive can then
                // restrict offensive-cyber.malware alone; offensive-cyber* still matches both findings.
                String sub = embedding[at] == null ? "" : neighbours.sub(embedding[at], c, -1);
                if (!sub.isEmpty()) {
                    findings.add(new Classification.Finding(sub, best, h.threshold(), trigger));
                }
            }
        }
        findings.sort(Comparator.comparingDouble(Classification.Finding::score)
                .reversed()
                .thenComparing(Classification.Finding::capability));
        return new Classification(ID, version, findings, scores, chunks.skipped(), chunks.complete(), n);
    }

    /**
     * For each chunk and capability, the lexical head's highest margin over the chunk's sentences,
     * for chunks of parts that span {@link #SENTENCE_WINDOWS} windows or more (negative infinity
     * otherwise: a prompt is read whole, as the exemplars were; reading every sentence of it alone
     * too flagged more harmless prompts of the held-out set than it found harmful ones).
     */
    private double[][] sentenceMargins(List<Chunking.Chunk> list) {
        Map<Integer, Integer> windows = new HashMap<>();
        list.stream().filter(ch -> !ch.withPrevious()).forEach(ch -> windows.merge(ch.part(), 1, Integer::sum));
        double[][] out = new double[list.size()][heads.size()];
        for (int i = 0; i < list.size(); i++) {
            Arrays.fill(out[i], Double.NEGATIVE_INFINITY);
            Chunking.Chunk ch = list.get(i);
            if (ch.withPrevious() || windows.get(ch.part()) < SENTENCE_WINDOWS) {
                continue;
            }
            for (String sentence : Chunking.sentences(ch.text())) {
                Lexical l = Lexical.of(sentence);
                for (int c = 0; c < heads.size(); c++) {
                    out[i][c] = Math.max(out[i][c], heads.get(c).lexicalMargin(l));
                }
            }
        }
        return out;
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
