package dev.clearance.simulate;

import java.util.List;

/**
 * Names (principal ids) to their position, looked up straight from a parser's character buffer: no
 * String is made for a lookup. Traffic hits principals at random, so what a lookup costs is its cache
 * misses: each slot keeps the full hash, the key's place in one shared character arena and the value
 * side by side (one cache line), so a hit costs the slot and the key's characters — instead of a map
 * node, a boxed key, its byte array and a boxed value. Immutable after construction; thread-safe.
 */
final class NameIndex {
    private static final int HASH = 0, OFFSET = 1, LENGTH = 2, VALUE = 3, WIDTH = 4;

    /** WIDTH ints per slot; an empty slot has LENGTH -1. */
    private final int[] slots;

    private final char[] arena;
    private final int mask;

    NameIndex(List<String> names) {
        int cap = Integer.highestOneBit(Math.max(4, names.size() * 2 - 1)) << 1;
        mask = cap - 1;
        slots = new int[cap * WIDTH];
        for (int s = 0; s < cap; s++) {
            slots[s * WIDTH + LENGTH] = -1;
        }
        long chars = 0;
        for (String n : names) {
            chars += n.length();
        }
        if (chars > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("principal ids too long in total to index");
        }
        arena = new char[(int) chars];
        int at = 0;
        for (int i = 0; i < names.size(); i++) {
            String k = names.get(i);
            k.getChars(0, k.length(), arena, at);
            int h = k.hashCode();
            if (find(h, arena, at, k.length()) >= 0) {
                throw new IllegalArgumentException("duplicate principal id '" + k + "'");
            }
            int slot = home(h);
            while (slots[slot * WIDTH + LENGTH] >= 0) {
                slot = (slot + 1) & mask;
            }
            int b = slot * WIDTH;
            slots[b + HASH] = h;
            slots[b + OFFSET] = at;
            slots[b + LENGTH] = k.length();
            slots[b + VALUE] = i;
            at += k.length();
        }
    }

    /** Position of {@code name}, or -1. */
    int get(String name) {
        char[] c = name.toCharArray();
        return find(name.hashCode(), c, 0, c.length);
    }

    /** Position of the name in {@code chars[off, off+len)}, or -1; hashing as {@link String#hashCode()}. */
    int get(char[] chars, int off, int len) {
        int h = 0;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + chars[i];
        }
        return find(h, chars, off, len);
    }

    /**
     * Position of the name in the ASCII bytes {@code bytes[off, off+len)}, or -1; hashing as
     * {@link String#hashCode()} (an ASCII byte is its character).
     */
    int get(byte[] bytes, int off, int len) {
        int h = 0;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + bytes[i];
        }
        for (int b = candidate(home(h) * WIDTH, h, len); b >= 0; b = candidate(after(b), h, len)) {
            if (same(arena, slots[b + OFFSET], bytes, off, len)) {
                return slots[b + VALUE];
            }
        }
        return -1;
    }

    private int find(int h, char[] chars, int off, int len) {
        for (int b = candidate(home(h) * WIDTH, h, len); b >= 0; b = candidate(after(b), h, len)) {
            if (sameChars(arena, slots[b + OFFSET], chars, off, len)) {
                return slots[b + VALUE];
            }
        }
        return -1;
    }

    /**
     * The first slot from slot {@code b} on, probing, that holds a key of this hash and length; -1 at an
     * empty slot (the key is absent).
     */
    private int candidate(int b, int h, int len) {
        while (true) {
            int l = slots[b + LENGTH];
            if (l < 0) {
                return -1;
            }
            if (l == len && slots[b + HASH] == h) {
                return b;
            }
            b = after(b);
        }
    }

    /**
     * The slot a hash starts probing at. {@link String#hashCode()} of ids that differ in their last
     * characters (p0000001, p0000002, user-000123) are close together, and linear probing from their low
     * bits runs into long clusters (200,000 such ids: 32 slots probed per insert on average); the
     * multiply-shift spreads them (0.3).
     */
    private int home(int h) {
        int x = h * 0x9E3779B9;
        return (x ^ (x >>> 16)) & mask;
    }

    /** The mean distance of a key's slot from its {@link #home} slot: what a hit probes past. */
    double meanProbeLength() {
        long sum = 0, keys = 0;
        int cap = mask + 1;
        for (int s = 0; s < cap; s++) {
            int b = s * WIDTH;
            if (slots[b + LENGTH] >= 0) {
                sum += (s - home(slots[b + HASH]) + cap) & mask;
                keys++;
            }
        }
        return keys == 0 ? 0 : (double) sum / keys;
    }

    private int after(int b) {
        return (b + WIDTH) & (slots.length - 1); // a power of two: mask + 1 slots of WIDTH ints
    }

    private static boolean sameChars(char[] a, int ao, char[] b, int bo, int len) {
        for (int i = 0; i < len; i++) {
            if (a[ao + i] != b[bo + i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code a[ao, ao+len)} are the characters of the ASCII bytes {@code b[bo, bo+len)}. */
    static boolean same(char[] a, int ao, byte[] b, int bo, int len) {
        for (int i = 0; i < len; i++) {
            if (a[ao + i] != b[bo + i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code k} has exactly the characters of the ASCII bytes {@code b[from, from+n)}. */
    static boolean same(String k, byte[] b, int from, int n) {
        if (k.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (k.charAt(i) != b[from + i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code k} has exactly the characters {@code chars[off, off+len)}. */
    static boolean same(String k, char[] chars, int off, int len) {
        if (k.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (k.charAt(i) != chars[off + i]) {
                return false;
            }
        }
        return true;
    }
}
