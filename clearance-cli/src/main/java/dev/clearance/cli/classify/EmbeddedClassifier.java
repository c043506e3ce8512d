package dev.clearance.cli.classify;

import dev.clearance.classify.Classification;
import dev.clearance.classify.Classifier;
import dev.clearance.classify.Input;
import dev.clearance.classify.Role;
import dev.clearance.core.ContentClassification;
import dev.clearance.core.PolicyException;
import dev.clearance.gateway.ContentClassifier;
import dev.clearance.gateway.Conversation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded classifier ({@code clearance-classify}) plugged into the gateway's {@link
 * ContentClassifier} port: conversations become classifier inputs (part by part, the JSON path of each
 * kept so a finding names the part of the caller's body that triggered it), classifications become
 * the {@link ContentClassification} the decision log records.
 *
 * <p>Inference runs in native code (ONNX Runtime). A virtual thread in native code pins its carrier,
 * and the gateway serves every call on a virtual thread, so inference runs on a few platform threads of
 * its own while the calling virtual thread waits unpinned: classifying a restricted caller's prompt never
 * stalls anyone else's call. The classifier is loaded when first needed unless {@link #loadNow()} is
 * called (a policy without capability directives never loads it).
 */
public final class EmbeddedClassifier implements ContentClassifier, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedClassifier.class);

    /** Loads the classifier: the shipped one, or one trained with an operator's capabilities. */
    @FunctionalInterface
    public interface Loader {
        Classifier load() throws PolicyException;
    }

    private final Loader loader;
    private final Map<String, Double> thresholds;
    private final String thresholdsSource;
    private final ExecutorService inference;
    /** The classifier as loaded, which owns the model's native memory; {@link #classifier} may be a view of it. */
    private Classifier loaded;

    private volatile Classifier classifier;

    private EmbeddedClassifier(Loader load, Map<String, Double> thresholds, String thresholdsSource) {
        this.loader = load;
        this.thresholds = Map.copyOf(thresholds);
        this.thresholdsSource = thresholdsSource;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        this.inference = Executors.newFixedThreadPool(
                threads,
                r -> Thread.ofPlatform()
                        .daemon()
                        .name("clearance-classify-" + n.incrementAndGet())
                        .unstarted(r));
    }

    /**
     * The classifier {@code load} makes, with {@code thresholds} overridden ({@code thresholdsSource}
     * names where they were configured), made when first needed or by {@link #loadNow()}.
     */
    public static EmbeddedClassifier of(Loader load, Map<String, Double> thresholds, String thresholdsSource) {
        return new EmbeddedClassifier(load, thresholds, thresholdsSource);
    }

    /**
     * Loads the classifier now (a start-up cost rather than the first restricted call's).
     *
     * @throws PolicyException located problems in operator capability files or thresholds
     */
    public EmbeddedClassifier loadNow() throws PolicyException {
        load();
        return this;
    }

    /**
     * Starts loading the classifier on a thread of its own, so the server starts at once and the
     * classifier is ready soon after; a call that needs it first waits for the load.
     */
    public EmbeddedClassifier loadInBackground() {
        Thread.ofPlatform().daemon().name("clearance-classify-load").start(() -> {
            try {
                load();
            } catch (PolicyException | RuntimeException e) {
                LOG.error("the content classifier could not be loaded; the first call that needs it will try again", e);
            }
        });
        return this;
    }

    private Classifier classifier() {
        Classifier c = classifier;
        if (c == null) {
            try {
                c = load();
            } catch (PolicyException e) {
                throw new IllegalStateException("the content classifier could not be loaded: " + e.getMessage(), e);
            }
        }
        return c;
    }

    private synchronized Classifier load() throws PolicyException {
        Classifier c = classifier;
        if (c == null) {
            long start = System.nanoTime();
            Classifier base = loader.load();
            try {
                c = base.withThresholds(thresholds, thresholdsSource);
            } catch (PolicyException | RuntimeException e) {
                base.close();
                throw e;
            }
            loaded = base;
            classifier = c;
            LOG.info(
                    "content classifier {} version {} loaded in {} ms (thresholds {})",
                    c.id(),
                    c.version(),
                    (System.nanoTime() - start) / 1_000_000,
                    c.thresholds());
        }
        return c;
    }

    @Override
    public ContentClassification classify(Conversation conversation) {
        Input input = input(conversation);
        return run(() -> of(classifier().classify(input), conversation, ContentClassification.Read.REQUEST));
    }

    @Override
    public ContentClassifier.AnswerMonitor monitor() {
        // The classifier's own monitor type; this class's AnswerMonitor is the gateway's.
        dev.clearance.classify.AnswerMonitor m = classifier().monitor();
        return new ContentClassifier.AnswerMonitor() {
            @Override
            public Optional<ContentClassification> feed(CharSequence text) {
                String piece = text.toString();
                return run(() -> m.feed(piece).map(EmbeddedClassifier::ofAnswer));
            }

            @Override
            public Optional<ContentClassification> finish() {
                return run(() -> m.finish().map(EmbeddedClassifier::ofAnswer));
            }
        };
    }

    @Override
    public List<String> capabilities() {
        return List.copyOf(classifier().thresholds().keySet());
    }

    /** On a platform thread of the inference pool; a failure there is not an answer, so it is thrown. */
    private <T> T run(Callable<T> work) {
        try {
            return inference.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while classifying", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the content classifier failed: " + e.getCause(), e.getCause());
        }
    }

    static Input input(Conversation conversation) {
        List<Input.Part> parts = new ArrayList<>(conversation.parts().size());
        for (Conversation.Part p : conversation.parts()) {
            parts.add(
                    switch (p) {
                        case Conversation.Part.Text t -> new Input.Part.Text(role(t.role()), t.text());
                        case Conversation.Part.NonText n -> new Input.Part.NonText(role(n.role()), n.kind());
                    });
        }
        return new Input(parts);
    }

    private static Role role(Conversation.Role role) {
        return switch (role) {
            case SYSTEM -> Role.SYSTEM;
            case USER -> Role.USER;
            case ASSISTANT -> Role.ASSISTANT;
            case TOOL -> Role.TOOL;
        };
    }

    /** The classification, with each part named by its path in the caller's body. */
    static ContentClassification of(Classification c, Conversation conversation, ContentClassification.Read read) {
        List<Conversation.Part> parts = conversation.parts();
        List<ContentClassification.Finding> findings = c.findings().stream()
                .map(f -> new ContentClassification.Finding(
                        f.capability(),
                        f.score(),
                        f.threshold(),
                        parts.get(f.trigger().part()).path(),
                        f.trigger().role().label(),
                        f.trigger().start(),
                        f.trigger().end()))
                .toList();
        List<ContentClassification.Skipped> skipped = c.skipped().stream()
                .map(s -> new ContentClassification.Skipped(
                        parts.get(s.part()).path(), s.role().label(), s.kind()))
                .toList();
        return new ContentClassification(
                c.classifier(), c.version(), read, findings, List.of(), skipped, c.scores(), c.complete(), List.of());
    }

    private static ContentClassification ofAnswer(Classification c) {
        return of(
                c,
                new Conversation(List.of(new Conversation.Part.Text(Conversation.Role.ASSISTANT, "answer", ""))),
                ContentClassification.Read.ANSWER);
    }

    @Override
    public synchronized void close() {
        inference.shutdownNow();
        if (loaded != null) {
            loaded.close();
        }
    }
}
