package dev.clearance.classify;

import java.util.List;
import java.util.Optional;

/**
 * Classifies an assistant's answer while it streams: text is fed as it arrives, and a check runs
 * at a sentence boundary once {@link #MIN_CHARS} new characters have come, and in any case every
 * {@link #MAX_CHARS} characters. A check reads the new text together with the
 * {@link #OVERLAP} characters before it, so a phrase split across two checks is still read whole.
 * Offsets in the findings are character offsets into the whole answer. One monitor per answer; not
 * thread-safe (a stream is fed by one thread at a time).
 */
public final class AnswerMonitor {
    static final int MIN_CHARS = 80;
    static final int MAX_CHARS = 400;
    static final int OVERLAP = 200;

    private final Classifier classifier;
    /** The text not yet checked, preceded by up to {@link #OVERLAP} characters that were. */
    private final StringBuilder pending = new StringBuilder();
    /** Offset in the answer of {@code pending}'s first character. */
    private long offset;

    private int unchecked;

    AnswerMonitor(Classifier classifier) {
        this.classifier = classifier;
    }

    /**
     * Feeds the next piece of the answer; returns a classification when a check ran. A capability
     * found in it means the answer has drifted into that capability.
     */
    public Optional<Classification> feed(CharSequence text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        pending.append(text);
        unchecked += text.length();
        boolean boundary = unchecked >= MIN_CHARS && endsSentence(text);
        return boundary || unchecked >= MAX_CHARS ? Optional.of(check()) : Optional.empty();
    }

    /** Checks what is left unchecked at the end of the answer, if anything. */
    public Optional<Classification> finish() {
        return unchecked > 0 ? Optional.of(check()) : Optional.empty();
    }

    private Classification check() {
        Classification c =
                classifier.classify(new Input(List.of(new Input.Part.Text(Role.ASSISTANT, pending.toString()))));
        unchecked = 0;
        int keep = Math.min(OVERLAP, pending.length());
        int drop = pending.length() - keep;
        if (drop > 0 && Character.isLowSurrogate(pending.charAt(drop))) {
            drop--;
        }
        long base = offset;
        pending.delete(0, drop);
        offset += drop;
        return base == 0 ? c : shifted(c, base);
    }

    private static Classification shifted(Classification c, long base) {
        List<Classification.Finding> findings = c.findings().stream()
                .map(f -> new Classification.Finding(
                        f.capability(),
                        f.score(),
                        f.threshold(),
                        new Classification.Trigger(
                                0,
                                Role.ASSISTANT,
                                (int) Math.min(
                                        Integer.MAX_VALUE, base + f.trigger().start()),
                                (int) Math.min(
                                        Integer.MAX_VALUE, base + f.trigger().end()),
                                false)))
                .toList();
        return new Classification(
                c.classifier(), c.version(), findings, c.scores(), c.skipped(), c.complete(), c.chunks());
    }

    private static boolean endsSentence(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            switch (text.charAt(i)) {
                case '.', '!', '?', '\n', '。', '！', '？' -> {
                    return true;
                }
                default -> {}
            }
        }
        return false;
    }
}
