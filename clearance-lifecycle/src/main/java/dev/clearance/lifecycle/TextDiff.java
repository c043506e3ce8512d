package dev.clearance.lifecycle;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two directive texts (longest common subsequence; directive documents are short):
 * unchanged lines prefixed with two spaces, removed with {@code "- "}, added with {@code "+ "}.
 */
public final class TextDiff {
    private TextDiff() {}

    public static List<String> lines(String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                out.add("  " + a[i++]);
                j++;
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("- " + a[i++]);
            } else {
                out.add("+ " + b[j++]);
            }
        }
        // A trailing newline in both texts shows as one empty unchanged line; drop it.
        if (!out.isEmpty() && out.get(out.size() - 1).equals("  ")) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
