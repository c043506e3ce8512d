package dev.clearance.core;

/**
 * A principal as the decision point reads it: adapted once for CEL, with a per-policy memo of the
 * directive conditions that depend on the principal alone. Build one per principal version and reuse
 * it across requests (the gateway caches it beside the API key); it is safe to share between threads.
 */
public final class PrincipalFacts {
    private final Principal principal;
    final CelValues.PrincipalValue cel;
    /** Results of principal-only conditions under one policy; replaced when the policy changes. */
    volatile Memo memo;

    private PrincipalFacts(Principal principal) {
        this.principal = principal;
        this.cel = new CelValues.PrincipalValue(principal);
    }

    public static PrincipalFacts of(Principal principal) {
        return new PrincipalFacts(principal);
    }

    public Principal principal() {
        return principal;
    }

    /**
     * Slot states: 0 not yet evaluated, 1 false, 2 true, 3 error. Single-byte writes never tear, so
     * a race between two threads costs at most a repeated evaluation, never a wrong answer.
     */
    record Memo(Policy policy, byte[] slots) {}

    Memo memoFor(Policy policy) {
        Memo m = memo;
        if (m == null || m.policy() != policy) {
            m = new Memo(policy, new byte[policy.principalSlots()]);
            memo = m;
        }
        return m;
    }
}
