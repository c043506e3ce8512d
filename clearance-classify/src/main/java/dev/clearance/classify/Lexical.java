package dev.clearance.classify;

import java.util.Arrays;
import java.util.Locale;

/**
 * Lexical features of a text, beside its embedding: lower-cased word unigrams and bigrams hashed
 * into {@link #WORDS} buckets, and character 3- to 5-grams of its letters and digits (words
 * separated by one space) hashed into {@link #CHARS} buckets after them. Each group is scaled to
 * unit length. Words let the heads weigh operational terms ("keylogger", "nerve agent") that a
 * sentence embedding blurs into their topic; character n-grams carry them through inflections,
 * compounds and the many languages that spell them alike ("Ransomware", "ransomwaru"). The hash is
 * FNV-1a over UTF-16 units, so the buckets are the same on every JVM and the trained artefact is
 * reproducible.
 *
 * @param buckets the distinct buckets present, ascending: word buckets (below {@link #WORDS}) first
 * @param words how many of {@code buckets} are word buckets
 */
record Lexical(int[] buckets, int words) {
    static final int WORDS = 1 << 14;
    static final int CHARS = 1 << 16;
    static final int DIMENSION = WORDS + CHARS;
    /** Words read per text; a window has at most ~128 tokens, so this only bounds odd inputs. */
    private static final int MAX_WORDS = 512;

    private static final int MIN_GRAM = 3;
    private static final int MAX_GRAM = 5;

    /** The features of {@code text}. */
    static Lexical of(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int[] out = new int[2 * MAX_WORDS + (MAX_GRAM - MIN_GRAM + 1) * (lower.length() + 2)];
        int n = 0;
        int previous = 0;
        boolean hasPrevious = false;
        int words = 0;
        int i = 0;
        // The letters and digits of the text, its words separated by one space, for the character n-grams.
        StringBuilder letters = new StringBuilder(lower.length() + 2).append(' ');
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
            out[n++] = Math.floorMod(word, WORDS);
            if (hasPrevious) {
                out[n++] = Math.floorMod(fnv(lower, start, i, previous * 0x01000193 ^ 0x5f), WORDS);
            }
            letters.append(lower, start, i).append(' ');
            previous = word;
            hasPrevious = true;
            words++;
        }
        int wordCount = distinctSorted(out, 0, n);
        int charStart = wordCount;
        n = wordCount;
        for (int g = MIN_GRAM; g <= MAX_GRAM; g++) {
            for (int k = 0; k + g <= letters.length(); k++) {
                out[n++] = WORDS + Math.floorMod(fnv(letters, k, k + g, 0x811c9dc5 ^ g), CHARS);
            }
        }
        int charCount = distinctSorted(out, charStart, n);
        return new Lexical(Arrays.copyOf(out, wordCount + charCount), wordCount);
    }

    /** Sorts {@code a[from, to)}, moves its distinct values to the front of the range; returns their count. */
    private static int distinctSorted(int[] a, int from, int to) {
        Arrays.sort(a, from, to);
        int m = 0;
        for (int k = from; k < to; k++) {
            if (m == 0 || a[k] != a[from + m - 1]) {
                a[from + m++] = a[k];
            }
        }
        return m;
    }

    /** The value of bucket {@code buckets[k]}: each group of the vector has unit length. */
    float value(int k) {
        int size = k < words ? words : buckets.length - words;
        return (float) (1 / Math.sqrt(size));
    }

    private static int fnv(CharSequence s, int from, int to, int seed) {
        int h = seed;
        for (int i = from; i < to; i++) {
            h ^= s.charAt(i);
            h *= 0x01000193;
        }
        return h;
    }
}
