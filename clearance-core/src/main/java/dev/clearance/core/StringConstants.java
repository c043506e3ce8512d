package dev.clearance.core;

import java.util.Set;

/**
 * The strings of a list literal, for {@code x in ['CU', 'IR', ...]}: a few (the common case, a
 * handful of country codes) are scanned comparing cached hash codes first, which costs less than
 * a hash-set probe; more are looked up in a set.
 */
final class StringConstants {
    private static final int SCANNED = 8;

    private final String[] values;
    private final int[] hashes;
    private final Set<String> set;

    StringConstants(Set<String> distinct) {
        if (distinct.size() <= SCANNED) {
            values = distinct.toArray(String[]::new);
            hashes = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                hashes[i] = values[i].hashCode();
            }
            set = null;
        } else {
            values = null;
            hashes = null;
            set = Set.copyOf(distinct);
        }
    }

    boolean contains(String s) {
        if (set != null) {
            return set.contains(s);
        }
        int h = s.hashCode();
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] == h && values[i].equals(s)) {
                return true;
            }
        }
        return false;
    }
}
