package dev.clearance.gateway;

import dev.clearance.core.ContentClassification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A content classifier for the gateway's own tests, standing in for the embedded one (whose tests run
 * through {@code clearance serve}): a word finds a capability ({@code keylogger}, {@code ransomware}:
 * offensive-cyber; {@code sarin}: cbrn), and every call is counted. Its answer monitor checks at each
 * full stop and at the end, covering everything fed since the last check.
 */
final class KeywordClassifier implements ContentClassifier {
    static final Map<String, String> WORDS =
            Map.of("keylogger", "offensive-cyber", "ransomware", "offensive-cyber", "sarin", "cbrn");

    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger checks = new AtomicInteger();
    volatile boolean incomplete;

    @Override
    public ContentClassification classify(Conversation conversation) {
        requests.incrementAndGet();
        List<ContentClassification.Finding> findings = new ArrayList<>();
        List<ContentClassification.Skipped> skipped = new ArrayList<>();
        for (Conversation.Part p : conversation.parts()) {
            switch (p) {
                case Conversation.Part.Text t ->
                    find(t.text(), t.path(), t.role().label(), findings);
                case Conversation.Part.NonText n ->
                    skipped.add(
                            new ContentClassification.Skipped(n.path(), n.role().label(), n.kind()));
            }
        }
        return result(ContentClassification.Read.REQUEST, findings, skipped, !incomplete);
    }

    @Override
    public AnswerMonitor monitor() {
        StringBuilder pending = new StringBuilder();
        return new AnswerMonitor() {
            @Override
            public Optional<ContentClassification> feed(CharSequence text) {
                pending.append(text);
                return text.toString().contains(".") ? finish() : Optional.empty();
            }

            @Override
            public Optional<ContentClassification> finish() {
                if (pending.isEmpty()) {
                    return Optional.empty();
                }
                checks.incrementAndGet();
                List<ContentClassification.Finding> findings = new ArrayList<>();
                find(pending.toString(), "answer", "assistant", findings);
                pending.setLength(0);
                return Optional.of(result(ContentClassification.Read.ANSWER, findings, List.of(), true));
            }
        };
    }

    @Override
    public List<String> capabilities() {
        return List.of("cbrn", "offensive-cyber");
    }

    private static void find(String text, String part, String role, List<ContentClassification.Finding> findings) {
        String lower = text.toLowerCase(Locale.ROOT);
        WORDS.forEach((word, capability) -> {
            int at = lower.indexOf(word);
            if (at >= 0 && findings.stream().noneMatch(f -> f.capability().equals(capability))) {
                findings.add(
                        new ContentClassification.Finding(capability, 0.99, 0.5, part, role, at, at + word.length()));
            }
        });
    }

    private static ContentClassification result(
            ContentClassification.Read read,
            List<ContentClassification.Finding> findings,
            List<ContentClassification.Skipped> skipped,
            boolean complete) {
        Map<String, Double> scores = new LinkedHashMap<>(Map.of("cbrn", 0.01, "offensive-cyber", 0.01));
        findings.forEach(f -> scores.put(f.capability(), f.score()));
        return new ContentClassification(
                "keywords", "test", read, findings, List.of(), skipped, scores, complete, List.of());
    }
}
