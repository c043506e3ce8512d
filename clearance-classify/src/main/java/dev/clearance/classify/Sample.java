package dev.clearance.classify;

/**
 * One training chunk: which exemplar it comes from ({@code group}), the capability the exemplar
 * belongs to ({@code origin}; empty for negatives that hold for every capability), whether it is
 * a positive of that capability, its sub-capability (a positive's full sub-capability id, or
 * empty), its embedding and its text (whose lexical features are computed from it, so the artefact
 * stores text rather than buckets).
 */
record Sample(int group, String origin, boolean positive, String sub, float[] embedding, String text, Lexical lexical) {
    Sample(int group, String origin, boolean positive, String sub, float[] embedding, String text) {
        this(group, origin, positive, sub, embedding, text, Lexical.of(text));
    }

    /** Whether this chunk is a positive of {@code capability}. */
    boolean positiveFor(String capability) {
        return positive && origin.equals(capability);
    }
}
