package dev.clearance.screening;

/**
 * A listed party a query resembles.
 *
 * @param party       the listed party
 * @param score       similarity in [0, 1]
 * @param match       whether the score reaches the threshold the query was run with
 * @param explanation which listed name and tokens produced the score
 */
public record ScreeningMatch(ListedParty party, double score, boolean match, MatchExplanation explanation) {}
