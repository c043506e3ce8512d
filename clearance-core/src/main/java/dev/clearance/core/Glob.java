package dev.clearance.core;

/**
 * Glob matching for model and capability names: {@code *} matches any run of characters
 * (including none); everything else matches itself; the whole name must match.
 */
public final class Glob {
    private Glob() {}

    public static boolean matches(String glob, String name) {
        return matches(glob, 0, name, 0);
    }

    private static boolean matches(String g, int gi, String s, int si) {
        // Iterative with one backtrack point: linear for the patterns we meet, never exponential.
        int starG = -1;
        int starS = -1;
        while (si < s.length()) {
            if (gi < g.length() && g.charAt(gi) == '*') {
                starG = gi++;
                starS = si;
            } else if (gi < g.length() && g.charAt(gi) == s.charAt(si)) {
                gi++;
                si++;
            } else if (starG >= 0) {
                gi = starG + 1;
                si = ++starS;
            } else {
                return false;
            }
        }
        while (gi < g.length() && g.charAt(gi) == '*') {
            gi++;
        }
        return gi == g.length();
    }
}
