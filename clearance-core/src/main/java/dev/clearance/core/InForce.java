package dev.clearance.core;

import java.util.Arrays;

/**
 * Which directives of a policy are in force at a time, as bits by {@link CompiledDirective#index},
 * so a decision tests 64 directives' effective windows with one word instead of one at a time.
 *
 * <p>The distinct {@code fromMillis} and {@code untilMillis} of all directives, sorted, cut the time
 * line into open intervals. For a time {@code t} in milliseconds that equals none of them, every
 * directive's {@link CompiledDirective#activeAt(long, java.time.Instant)} is {@code from < t < until},
 * and that is the same for every {@code t} of one interval: the interval's bits are exact. A time on
 * a boundary gets no bits ({@link #at} returns null) and the caller asks each directive, which
 * compares with full precision.
 */
final class InForce {
    private final CompiledDirective[] compiled;
    private final long[] boundaries;
    /**
     * Bits of recently met intervals, direct-mapped by interval number. An entry is immutable and
     * its bits are reached through a final field, so a thread that sees an entry sees all its bits
     * (never a zero word, which would skip a directive in force); a racing overwrite costs a miss.
     */
    private final Interval[] recent = new Interval[RECENT];

    private static final int RECENT = 64;

    private record Interval(int number, long[] bits) {}

    InForce(CompiledDirective[] compiled) {
        this.compiled = compiled;
        long[] all = new long[2 * compiled.length];
        for (int i = 0; i < compiled.length; i++) {
            all[2 * i] = compiled[i].fromMillis;
            all[2 * i + 1] = compiled[i].untilMillis;
        }
        Arrays.sort(all);
        int n = 0;
        for (int i = 0; i < all.length; i++) {
            if (n == 0 || all[i] != all[n - 1]) {
                all[n++] = all[i];
            }
        }
        this.boundaries = Arrays.copyOf(all, n);
    }

    /**
     * The directives in force at {@code t} (epoch milliseconds), or null when {@code t} is some
     * directive's boundary: then {@link CompiledDirective#activeAt(long, java.time.Instant)} decides.
     * The array is shared: callers must not write it.
     */
    long[] at(long t) {
        int k = Arrays.binarySearch(boundaries, t);
        if (k >= 0) {
            return null;
        }
        int number = -(k + 1); // boundaries below t
        int slot = number & (RECENT - 1);
        Interval in = recent[slot];
        if (in != null && in.number == number) {
            return in.bits;
        }
        long[] bits = new long[(compiled.length + 63) >>> 6];
        for (CompiledDirective cd : compiled) {
            if (cd.fromMillis < t && t < cd.untilMillis) {
                bits[cd.index >>> 6] |= 1L << cd.index;
            }
        }
        recent[slot] = new Interval(number, bits);
        return bits;
    }
}
