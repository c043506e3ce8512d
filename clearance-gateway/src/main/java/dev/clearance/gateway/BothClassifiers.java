package dev.clearance.gateway;

import dev.clearance.core.ContentClassification;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Two classifiers reading the same requests at the same time ({@link ContentClassifier#and}). */
final class BothClassifiers implements ContentClassifier {
    private static final Executor VIRTUAL =
            r -> Thread.ofVirtual().name("clearance-classify").start(r);

    private final ContentClassifier first;
    private final ContentClassifier second;
    private final List<String> capabilities;

    BothClassifiers(ContentClassifier first, ContentClassifier second) {
        this.first = first;
        this.second = second;
        LinkedHashSet<String> all = new LinkedHashSet<>(first.capabilities());
        all.addAll(second.capabilities());
        this.capabilities = List.copyOf(all);
    }

    @Override
    public ContentClassification classify(Conversation conversation) {
        CompletableFuture<ContentClassification> other =
                CompletableFuture.supplyAsync(() -> second.classify(conversation), VIRTUAL);
        ContentClassification mine = first.classify(conversation);
        return mine.and(other.join());
    }

    @Override
    public AnswerMonitor monitor() {
        return first.monitor();
    }

    @Override
    public List<String> capabilities() {
        return capabilities;
    }
}
