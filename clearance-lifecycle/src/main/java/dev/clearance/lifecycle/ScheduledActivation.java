package dev.clearance.lifecycle;

import java.time.Instant;

/**
 * An approved directive version waiting for (or past) its scheduled activation at its
 * {@code effective_from}.
 *
 * @param state        {@code pending}, {@code claimed} (a node is activating it), {@code activated},
 *                     {@code cancelled} (withdrawn first) or {@code failed}
 * @param claimedBy    the node that claimed it, or {@code null}
 * @param claimedUntil when that claim lapses if the node has not finished (it died): then another
 *                     node may claim it; {@code null} when unclaimed or claimed by a previous release
 * @param doneAt       when it was activated, cancelled or failed, or {@code null}
 * @param policyNumber the policy version its activation made, or {@code null}
 * @param note         why it was cancelled or failed, or {@code null}
 */
public record ScheduledActivation(
        String directiveId,
        int version,
        Instant due,
        String requestedBy,
        String reason,
        String state,
        String claimedBy,
        Instant claimedUntil,
        Instant doneAt,
        Long policyNumber,
        String note) {

    /** Whether a node may claim it at {@code now}: pending, or claimed by a node whose lease lapsed. */
    public boolean claimable(Instant now) {
        return switch (state) {
            case "pending" -> true;
            case "claimed" -> claimedUntil == null || !claimedUntil.isAfter(now);
            default -> false;
        };
    }
}
