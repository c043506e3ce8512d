package dev.clearance.record;

import dev.clearance.core.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a decision entry gives up so that it fits the log when its fields are too large: a long
 * string keeps a prefix and the SHA-256 of the whole value ({@code mythos-5AAAA…sha256:<hex>}), a
 * long list keeps its first items and one last item naming how many more there were and the
 * SHA-256 of the whole list as a canonical JSON array. An auditor holding a candidate value can
 * check it against the hash. Every shortened field is named, so the entry says what it lost.
 *
 * <p>Why not refuse instead: a denial must be on the record whatever the caller sent; a caller
 * who could make its own entry too large to write would get an answer that is never recorded.
 */
final class Shortening {
    /** Which fields a pass shortens. */
    private enum Scope {
        NONE,
        /** Fields whose value the caller chose (model, principal id, endpoint, address, capabilities...). */
        CALLER,
        /** Every field: the caller's shortened as above, everything else (facts, directive ids) as well. */
        EVERY
    }

    static final String ELLIPSIS = "\u2026";

    private final Scope scope;
    private final int maxChars;
    private final int keepChars;
    private final int maxItems;
    private final LinkedHashSet<String> shortened = new LinkedHashSet<>();

    private Shortening(Scope scope, int maxChars, int keepChars, int maxItems) {
        this.scope = scope;
        this.maxChars = maxChars;
        this.keepChars = keepChars;
        this.maxItems = maxItems;
    }

    /** One for every entry: a pass that shortens nothing never records a path. */
    private static final Shortening NONE = new Shortening(Scope.NONE, Integer.MAX_VALUE, 0, Integer.MAX_VALUE);

    /** Keeps every field whole: the entry as it was written before shortening existed. */
    static Shortening none() {
        return NONE;
    }

    /** Whether this pass writes every field whole (so a field written once may be copied as it was). */
    boolean keepsEveryField() {
        return scope == Scope.NONE;
    }

    /** Shortens the caller's strings longer than 256 characters and its lists longer than 64 items. */
    static Shortening callerFields() {
        return new Shortening(Scope.CALLER, 256, 64, 64);
    }

    /**
     * Shortens every string longer than 64 characters to 88 and every list to 4 items and a marker:
     * with the fixed set of fields a decision entry has, that always fits {@link LogEntry#MAX_BYTES}
     * (under 32 KB even if every character needed a six-byte escape).
     */
    static Shortening everyField() {
        return new Shortening(Scope.EVERY, 64, 16, 4);
    }

    /** The paths of the fields this pass shortened, in the order they were written. */
    List<String> shortened() {
        return List.copyOf(shortened);
    }

    String text(String path, String value, boolean fromCaller) {
        if (!applies(fromCaller) || value.length() <= maxChars) {
            return value;
        }
        shortened.add(path);
        return shorten(value);
    }

    List<String> list(String path, List<String> values, boolean fromCaller) {
        if (!applies(fromCaller)) {
            return values;
        }
        boolean changed = values.size() > maxItems;
        List<String> out = new ArrayList<>(Math.min(values.size(), maxItems + 1));
        for (String v : values.subList(0, Math.min(values.size(), maxItems))) {
            if (v.length() > maxChars) {
                changed = true;
                v = shorten(v);
            }
            out.add(v);
        }
        if (!changed) {
            return values;
        }
        if (values.size() > maxItems) {
            out.add(ELLIPSIS + (values.size() - maxItems) + " more, sha256:" + Sha256.hex(CanonicalJson.array(values)));
        }
        shortened.add(path);
        return out;
    }

    SortedMap<String, String> map(String path, SortedMap<String, String> values, boolean fromCaller) {
        if (!applies(fromCaller)) {
            return values;
        }
        boolean changed = values.size() > maxItems;
        SortedMap<String, String> out = new TreeMap<>();
        for (var e : values.entrySet()) {
            if (out.size() == maxItems) {
                break;
            }
            String k = e.getKey();
            String v = e.getValue();
            if (k.length() > maxChars || v.length() > maxChars) {
                changed = true;
                k = k.length() > maxChars ? shorten(k) : k;
                v = v.length() > maxChars ? shorten(v) : v;
            }
            out.put(k, v);
        }
        if (!changed) {
            return values;
        }
        if (values.size() > maxItems) {
            out.put(ELLIPSIS, (values.size() - maxItems) + " more, sha256:" + Sha256.hex(CanonicalJson.object(values)));
        }
        shortened.add(path);
        return out;
    }

    private boolean applies(boolean fromCaller) {
        return switch (scope) {
            case NONE -> false;
            case CALLER -> fromCaller;
            case EVERY -> true;
        };
    }

    private String shorten(String value) {
        int keep = keepChars;
        if (Character.isHighSurrogate(value.charAt(keep - 1))) {
            keep--; // never split a character
        }
        return value.substring(0, keep) + ELLIPSIS + "sha256:" + Sha256.hex(value);
    }
}
