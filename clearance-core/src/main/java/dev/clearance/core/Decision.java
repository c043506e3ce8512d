package dev.clearance.core;

import java.util.List;

/**
 * The answer to one request, with what determined it.
 *
 * @param directives    ids of the enforce-mode directives that hit, sorted
 * @param shadow        ids of the shadow-mode directives that hit (they never change the outcome), sorted
 * @param errors        evaluation errors met, each one counted against the caller (fail closed), and a
 *                      client location that could not be determined ({@link Request#locationError()})
 * @param message       a human message for the caller: the first hit directive's message, or a summary
 * @param policyVersion content hash of the directive set the decision was made under
 */
public record Decision(
        String id,
        Outcome outcome,
        List<String> directives,
        List<String> shadow,
        List<String> errors,
        String message,
        String policyVersion) {

    public enum Outcome {
        ALLOW,
        DENY;

        public String wireName() {
            return this == ALLOW ? "allow" : "deny";
        }
    }

    public Decision {
        directives = immutable(directives);
        shadow = immutable(shadow);
        errors = immutable(errors);
        message = message == null ? "" : message;
    }

    /** A copy, unless the decision point built the list for this decision alone ({@link ReportList}). */
    private static List<String> immutable(List<String> l) {
        return l instanceof ReportList ? l : List.copyOf(l);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }
}
