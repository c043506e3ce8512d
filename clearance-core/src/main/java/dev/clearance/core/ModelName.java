package dev.clearance.core;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How model names are compared: one canonical key for every spelling that a model server may take
 * for the same model. Directive and license globs match on it, and the gateway resolves a request's
 * model to its upstreams' catalogue on it, so a caller cannot reach a restricted model under another
 * spelling (upper case, fullwidth letters, a non-ASCII hyphen, surrounding spaces, Ollama's
 * {@code library/} namespace or {@code :latest} tag).
 *
 * <p>The key of a name: Unicode NFKC; every dash (Unicode category Pd, and U+2212 minus) as
 * {@code -}; surrounding whitespace trimmed; case folded (upper then lower case, so {@code ß} and
 * {@code SS} meet); repeated until stable; then leading {@code registry.ollama.ai/} and
 * {@code library/} and a trailing {@code :latest} removed — Ollama reads
 * {@code library/m:latest} and {@code m} as the same model, so they must be the same model here.
 *
 * <p>Names with control, format (e.g. zero-width), private-use, unassigned or unpaired surrogate
 * characters are not names at all ({@link #problem}): they are refused, never cleaned up.
 */
public final class ModelName {
    /** The longest model name accepted, in characters. */
    public static final int MAX_LENGTH = 256;

    private static final String[] PREFIXES = {"registry.ollama.ai/", "library/"};
    private static final String TAG = ":latest";

    private ModelName() {}

    /**
     * Why {@code name} cannot be a model name (too long, or holding a character no model name has),
     * or null when it can. The message never quotes the name: it may be huge. (A name whose key is
     * empty names no model either; callers say so in their own words.)
     */
    public static String problem(String name) {
        if (name.length() > MAX_LENGTH) {
            return "is " + name.length() + " characters long; a model name has at most " + MAX_LENGTH;
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (!allowed(cp)) {
                return "contains the character U+" + String.format("%04X", cp) + " at position " + (i + 1)
                        + "; control, format, private-use and unassigned characters are not allowed";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static boolean allowed(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED,
                    Character.SURROGATE,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** The canonical key of a model name or of a glob over model names ({@code *} is kept). */
    public static String key(String name) {
        return withoutOllamaAffixes(fold(name));
    }

    /**
     * NFKC, dashes, trim and case fold, without the Ollama rules: how a JSON field name is compared
     * with {@code model} (an upstream written in Go reads {@code Model} as {@code model}).
     */
    public static String fold(String s) {
        if (plainAscii(s)) {
            return s.toLowerCase(Locale.ROOT);
        }
        String prev;
        int rounds = 0;
        do {
            prev = s;
            s = Normalizer.normalize(s, Normalizer.Form.NFKC);
            s = dashes(s).strip();
            s = s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        } while (!s.equals(prev) && ++rounds < 4);
        return s;
    }

    /** Whether {@code glob} (directive or license syntax) matches {@code name}, both compared by their keys. */
    public static boolean matches(String glob, String name) {
        return Glob.matches(key(glob), key(name));
    }

    /** Printable ASCII without spaces or dashes other than '-': the key is the lower case (the common case, cheap). */
    private static boolean plainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String dashes(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '-' && (c == '\u2212' || Character.getType(c) == Character.DASH_PUNCTUATION)) {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, '-');
            }
        }
        return b == null ? s : b.toString();
    }

    /** Removed until none is left, so that a key is its own key. */
    private static String withoutOllamaAffixes(String s) {
        boolean again = true;
        while (again) {
            again = false;
            for (String prefix : PREFIXES) {
                if (s.startsWith(prefix)) {
                    s = s.substring(prefix.length());
                    again = true;
                }
            }
            if (s.endsWith(TAG)) {
                s = s.substring(0, s.length() - TAG.length());
                again = true;
            }
        }
        return s;
    }
}
