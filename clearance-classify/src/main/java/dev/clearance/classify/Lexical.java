package dev.clearance.classify;

import java.util.Arrays;
import java.util.Locale;

/**
 * Lexical features of a text: its lower-cased word unigrams and bigrams, hashed into
 * {@link #DIMENSION} buckets (present or not), scaled so that a text's vector has unit length.
 * They let the heads weigh operational terms ("keylogger", "nerve agent") that a sentence
 * embedding blurs into their topic. The hash is FNV-1a over UTF-16 units, so the buckets are the
 * same on every JVM and the trained artefact is reproducible.
 */
final class Lexical {
    static final int DIMENSION = 1 << 14;
    /** Words read per text; a window has at most ~128 tokens, so this only bounds odd inputs. */
    private static final int MAX_WORDS = 512;

    private Lexical() {}

    /** The sorted, distinct buckets of {@code text}; each has the value {@link #value(int[])}. */
    static int[] buckets(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int[] out = new int[2 * MAX_WORDS];
        int n = 0;
        int previous = 0;
        boolean hasPrevious = false;
        int words = 0;
        int i = 0;
        while (i < lower.length() && words < MAX_WORDS) {
            int cp = lower.codePointAt(i);
            if (!Character.isLetterOrDigit(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (i < lower.length() && Character.isLetterOrDigit(lower.codePointAt(i))) {
                i += Character.charCount(lower.codePointAt(i));
            }
            int word = fnv(lower, start, i, 0x811c9dc5);
            out[n++] = Math.floorMod(word, DIMENSION);
            if (hasPrevious) {
                out[n++] = Math.floorMod(fnv(lower, start, i, previous * 0x01000193 ^ 0x5f), DIMENSION);
            }
            previous = word;
            hasPrevious = true;
            words++;
        }
        int[] sorted = Arrays.copyOf(out, n);
        Arrays.sort(sorted);
        return Arrays.stream(sorted).distinct().toArray();
    }

    /** The value of every bucket present: the vector has unit length. */
    static float value(int[] buckets) {
        return buckets.length == 0 ? 0f : (float) (1 / Math.sqrt(buckets.length));
    }

    private static int fnv(String s, int from, int to, int seed) {
        int h = seed;
        for (int i = from; i < to; i++) {
            h ^= s.charAt(i);
            h *= 0x01000193;
        }
        return h;
    }
}
