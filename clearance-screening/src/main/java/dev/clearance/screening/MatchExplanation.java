package dev.clearance.screening;

import java.util.List;

/**
 * Why a listed party scored what it did: which of its names was compared, which tokens paired,
 * which were left over, and which adjustments (kind, country, date of birth) applied.
 *
 * @param listedName        the listed name or alias that scored best
 * @param alias             whether that name is an alias rather than the primary name
 * @param pairs             query tokens paired with listed tokens, with their similarity
 * @param unmatchedQuery    query tokens that paired with nothing
 * @param unmatchedListed   listed tokens that paired with nothing
 * @param nameScore         the score of the names alone
 * @param adjustments       human-readable adjustments applied after the name score
 */
public record MatchExplanation(
        String listedName,
        boolean alias,
        List<TokenPair> pairs,
        List<String> unmatchedQuery,
        List<String> unmatchedListed,
        double nameScore,
        List<String> adjustments) {

    public MatchExplanation {
        pairs = List.copyOf(pairs);
        unmatchedQuery = List.copyOf(unmatchedQuery);
        unmatchedListed = List.copyOf(unmatchedListed);
        adjustments = List.copyOf(adjustments);
    }

    /** A query token paired with a listed token. */
    public record TokenPair(String query, String listed, double similarity) {}

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(alias ? "alias '" : "name '").append(listedName).append("': ");
        for (int i = 0; i < pairs.size(); i++) {
            TokenPair p = pairs.get(i);
            if (i > 0) sb.append(", ");
            sb.append(p.query())
                    .append('~')
                    .append(p.listed())
                    .append(String.format(java.util.Locale.ROOT, " %.2f", p.similarity()));
        }
        if (!unmatchedQuery.isEmpty()) sb.append("; query only: ").append(String.join(" ", unmatchedQuery));
        if (!unmatchedListed.isEmpty()) sb.append("; listed only: ").append(String.join(" ", unmatchedListed));
        for (String a : adjustments) sb.append("; ").append(a);
        return sb.toString();
    }
}
