package dev.clearance.record;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which kind of entry a JSON line is, told by the field each kind starts with: {@code change} for a
 * policy change, {@code review} for a screening review, anything else is read as a decision. Earlier
 * versions wrote screening reviews as policy changes ({@code "change":"screening_review"}); those
 * still read as policy changes, as they were written.
 */
enum EntryKind {
    DECISION,
    POLICY_CHANGE,
    SCREENING_REVIEW;

    static EntryKind of(JsonNode entry) {
        if (entry != null && entry.has("change")) {
            return POLICY_CHANGE;
        }
        if (entry != null && entry.has("review")) {
            return SCREENING_REVIEW;
        }
        return DECISION;
    }
}
