package dev.clearance.core;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import java.util.Optional;

/**
 * A principal as the decision point reads it: adapted once for CEL, with a per-policy memo of the
 * directive conditions that depend on the principal alone. Build one per principal version and reuse
 * it across requests (the gateway caches it beside the API key); it is safe to share between threads.
 */
public final class PrincipalFacts {
    private final Principal principal;
    final CelValues.PrincipalValue cel;
    /** Derived once: the most common condition of all reads it. */
    final boolean usPerson;
    /** What this principal settles under one policy (see {@link #memoFor}); replaced when the policy changes. */
    volatile long[] memo;

    private PrincipalFacts(Principal principal) {
        this.principal = principal;
        this.cel = new CelValues.PrincipalValue(principal);
        this.usPerson = principal.usPerson();
    }

    public static PrincipalFacts of(Principal principal) {
        return new PrincipalFacts(principal);
    }

    public Principal principal() {
        return principal;
    }

    /**
     * What the principal alone settles under one policy: word 0 is the policy's
     * {@link Policy#serial()}, then two bits per directive (by {@link CompiledDirective#index}, 32 to
     * a word): 0 not yet known; {@link CompiledDirective#FALSE} when some principal-only conjunct is
     * false (the directive cannot apply to this principal, whatever the request);
     * {@link CompiledDirective#TRUE} when all are true; {@link CompiledDirective#ERROR} when none is
     * false but one is an evaluation error (counted as applying, reported). Filled lazily, for the
     * directives that come up. Packed so that a decision reads one or two cache lines per principal.
     *
     * <p>No lock: the array is published through the volatile field with its serial set; state
     * words are written with plain read-or-write. A state is a function of (principal, directive),
     * so a racing writer can only lose another's bits (back to "not yet known", evaluated again),
     * never produce a wrong state; the same holds for a long write split in two halves.
     */
    long[] memoFor(Policy policy) {
        long[] m = memo;
        if (m == null || m[0] != policy.serial()) {
            m = new long[1 + ((policy.size() + 31) >>> 5)];
            m[0] = policy.serial();
            memo = m;
        }
        return m;
    }

    static byte state(long[] memo, int directive) {
        return (byte) ((memo[1 + (directive >>> 5)] >>> ((directive & 31) << 1)) & 3);
    }

    static void record(long[] memo, int directive, byte state) {
        memo[1 + (directive >>> 5)] |= (long) state << ((directive & 31) << 1);
    }

    /** The combined result of the directive's principal-only conjuncts under CEL's {@code &&}. */
    byte settle(CompiledDirective cd) {
        byte result = CompiledDirective.TRUE;
        for (CompiledDirective.Conjunct c : cd.principalOnly) {
            byte state = c.shortcut() != null ? c.shortcut().eval(this, null) : evaluate(c, principalOnly());
            if (state == CompiledDirective.FALSE) {
                return CompiledDirective.FALSE;
            }
            if (state == CompiledDirective.ERROR) {
                result = CompiledDirective.ERROR;
            }
        }
        return result;
    }

    /** Principal-only conjuncts are memoised, so they must never see a request. */
    CelVariableResolver principalOnly() {
        return name -> name.equals("principal") ? Optional.of(cel) : Optional.empty();
    }

    /** A CEL conjunct's result: anything but a bool, or a failure, is an error. */
    static byte evaluate(CompiledDirective.Conjunct c, CelVariableResolver variables) {
        try {
            Object r = c.program().eval(variables);
            return Boolean.TRUE.equals(r)
                    ? CompiledDirective.TRUE
                    : r instanceof Boolean ? CompiledDirective.FALSE : CompiledDirective.ERROR;
        } catch (CelEvaluationException | RuntimeException e) {
            return CompiledDirective.ERROR;
        }
    }
}
