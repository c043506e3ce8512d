package dev.clearance.lifecycle;

import dev.clearance.store.DirectiveStatus;
import dev.clearance.store.DirectiveVersion;

/**
 * The rules of the lifecycle, pure: which step a directive version may take from its status, and
 * who may take it. {@code draft -> approved -> active -> withdrawn}; a draft or approved version may
 * also be withdrawn (set aside). {@link LifecycleService} checks them before it touches the store.
 *
 * @param twoPersonRule the approver of a directive version must not be its author (configuration:
 *                      {@code lifecycle.two_person_rule})
 */
public record LifecycleRules(boolean twoPersonRule) {

    /**
     * Whether {@code approver} may approve {@code v}.
     *
     * @throws LifecycleException when {@code v} is not a draft, or the two-person rule is on and
     *                            {@code approver} wrote it
     */
    public void checkApprove(DirectiveVersion v, String approver) {
        if (v.status() != DirectiveStatus.DRAFT) {
            throw new LifecycleException(v.label() + " is " + v.status().wireName() + "; only a draft can be approved");
        }
        if (twoPersonRule && v.author().equals(approver)) {
            throw new LifecycleException("two-person rule: " + v.label() + " was written by " + approver
                    + " and must be approved by someone else");
        }
    }

    /**
     * Whether {@code v} may be activated (now, or scheduled for its {@code effective_from}).
     *
     * @throws LifecycleException when it is not approved
     */
    public void checkActivate(DirectiveVersion v) {
        if (!mayActivate(v.status())) {
            throw new LifecycleException(
                    v.label() + " is " + v.status().wireName() + "; only an approved version can be activated"
                            + (v.status() == DirectiveStatus.DRAFT ? " (approve it first)" : ""));
        }
    }

    /**
     * Whether a version in {@code status} may be activated; the scheduler asks again when a
     * scheduled activation falls due, since the version may have been withdrawn meanwhile.
     */
    public boolean mayActivate(DirectiveStatus status) {
        return status == DirectiveStatus.APPROVED;
    }

    /**
     * Whether {@code v} may be withdrawn: an active version leaves the policy, a draft or approved one
     * is set aside.
     *
     * @throws LifecycleException when it is withdrawn already
     */
    public void checkWithdraw(DirectiveVersion v) {
        if (v.status() == DirectiveStatus.WITHDRAWN) {
            throw new LifecycleException(v.label() + " is already withdrawn");
        }
    }
}
