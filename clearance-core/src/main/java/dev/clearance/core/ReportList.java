package dev.clearance.core;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * Two or more entries of a decision's report (hit directives, shadow hits or error lines) in the
 * order they were met: {@link DecisionPoint} appends while it decides, then hands the list to a
 * {@link Decision}, which keeps it without copying and through a final field (so it is safely
 * published); nothing appends to it after that. Read-only to everyone else.
 */
final class ReportList extends AbstractList<String> implements RandomAccess {
    private String[] entries;
    private int size;

    ReportList(String first, String second) {
        entries = new String[] {first, second, null, null};
        size = 2;
    }

    /** Only while the decision is being made. */
    void append(String s) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
        }
        entries[size++] = s;
    }

    @Override
    public String get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return entries[index];
    }

    @Override
    public int size() {
        return size;
    }
}
