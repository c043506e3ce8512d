package dev.clearance.screening;

/** Jaro-Winkler similarity on lower-case ASCII tokens (prefix scale 0.1, up to 4 characters). */
final class JaroWinkler {
    private JaroWinkler() {}

    static double similarity(String a, String b) {
        if (a.equals(b)) return 1.0;
        int la = a.length();
        int lb = b.length();
        if (la == 0 || lb == 0) return 0.0;
        int window = Math.max(0, Math.max(la, lb) / 2 - 1);
        // Tokens are short: bit masks avoid allocating flag arrays on the hot path.
        long matchedA = 0;
        long matchedB = 0;
        if (la > 64 || lb > 64) return jaroLong(a, b);
        int matches = 0;
        for (int i = 0; i < la; i++) {
            char c = a.charAt(i);
            int from = Math.max(0, i - window);
            int to = Math.min(lb - 1, i + window);
            for (int j = from; j <= to; j++) {
                if ((matchedB & (1L << j)) == 0 && b.charAt(j) == c) {
                    matchedA |= 1L << i;
                    matchedB |= 1L << j;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) return 0.0;
        int transpositions = 0;
        int j = 0;
        for (int i = 0; i < la; i++) {
            if ((matchedA & (1L << i)) == 0) continue;
            while ((matchedB & (1L << j)) == 0) j++;
            if (a.charAt(i) != b.charAt(j)) transpositions++;
            j++;
        }
        return winkler(a, b, jaro(matches, transpositions, la, lb));
    }

    private static double jaro(int m, int transpositions, int la, int lb) {
        double mm = m;
        return (mm / la + mm / lb + (mm - transpositions / 2.0) / mm) / 3.0;
    }

    private static double winkler(String a, String b, double jaro) {
        int prefix = 0;
        int max = Math.min(4, Math.min(a.length(), b.length()));
        while (prefix < max && a.charAt(prefix) == b.charAt(prefix)) prefix++;
        return jaro + prefix * 0.1 * (1.0 - jaro);
    }

    private static double jaroLong(String a, String b) {
        int la = a.length();
        int lb = b.length();
        int window = Math.max(0, Math.max(la, lb) / 2 - 1);
        boolean[] ma = new boolean[la];
        boolean[] mb = new boolean[lb];
        int matches = 0;
        for (int i = 0; i < la; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(lb - 1, i + window);
            for (int j = from; j <= to; j++) {
                if (!mb[j] && b.charAt(j) == a.charAt(i)) {
                    ma[i] = true;
                    mb[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) return 0.0;
        int t = 0;
        int j = 0;
        for (int i = 0; i < la; i++) {
            if (!ma[i]) continue;
            while (!mb[j]) j++;
            if (a.charAt(i) != b.charAt(j)) t++;
            j++;
        }
        return winkler(a, b, jaro(matches, t, la, lb));
    }
}
