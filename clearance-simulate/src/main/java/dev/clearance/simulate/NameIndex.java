package dev.clearance.simulate;

import java.util.List;

/**
 * Names (principal ids) to their position, looked up straight from a parser's character buffer: no
 * String is made for a name that is present, and the returned name is the canonical instance. Open
 * addressing over two flat arrays, so a lookup touches a slot and one key instead of a chain of boxed
 * map nodes — traffic hits principals at random, so those memory accesses are the cost that matters.
 * Immutable after construction; safe to share between threads.
 */
final class NameIndex {
    private final String[] keys;
    private final int[] values;
    private final int mask;

    NameIndex(List<String> names) {
        int cap = Integer.highestOneBit(Math.max(4, names.size() * 2 - 1)) << 1;
        keys = new String[cap];
        values = new int[cap];
        mask = cap - 1;
        for (int i = 0; i < names.size(); i++) {
            String k = names.get(i);
            int slot = k.hashCode() & mask;
            while (keys[slot] != null) {
                if (keys[slot].equals(k)) {
                    throw new IllegalArgumentException("duplicate principal id '" + k + "'");
                }
                slot = (slot + 1) & mask;
            }
            keys[slot] = k;
            values[slot] = i;
        }
    }

    /** Position of {@code name}, or -1. */
    int get(String name) {
        int slot = name.hashCode() & mask;
        String k;
        while ((k = keys[slot]) != null) {
            if (k.equals(name)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** Position of the name in {@code chars[off, off+len)}, or -1; hashing as {@link String#hashCode()}. */
    int get(char[] chars, int off, int len) {
        int h = 0;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + chars[i];
        }
        int slot = h & mask;
        String k;
        while ((k = keys[slot]) != null) {
            if (same(k, chars, off, len)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

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
