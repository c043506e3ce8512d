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
    /** The principal's id, read without the principal: every decision checks it. */
    final String id;
    /** Whether the principal holds any license: most hold none, and then no directive is exempted. */
    final boolean holdsLicenses;
    /**
     * The CEL view, built on first use: most conditions have a {@link Shortcut} and never need it.
     * Its fields are final, so a racing second build is harmless and safely published.
     */
    private CelValues.PrincipalValue cel;
    /** Derived once: the most common condition of all reads it. */
    final boolean usPerson;
    /** What this principal settles under one policy (see {@link #memoFor}); replaced when the policy changes. */
    volatile long[] memo;
    /** The report lines of the directives whose principal-only part errs, under the memo's policy. */
    private volatile ErrorLines errorLines;

    private PrincipalFacts(Principal principal) {
        this.principal = principal;
        this.usPerson = principal.usPerson();
        this.id = principal.id();
        this.holdsLicenses = !principal.licenses().isEmpty();
    }

    public static PrincipalFacts of(Principal principal) {
        return new PrincipalFacts(principal);
    }

    public Principal principal() {
        return principal;
    }

    /**
     * What the principal alone settles under one policy: word 0 is the policy's
     * {@link Policy#serial()}, then three words per 64 directives (by {@link CompiledDirective#index}),
     * one bit per directive in each: the first is set when some principal-only conjunct is false
     * ({@link CompiledDirective#FALSE}: the directive cannot apply to this principal, whatever the
     * request), the second when all are true ({@link CompiledDirective#TRUE}), the third when none is
     * false but one is an evaluation error ({@link CompiledDirective#ERROR}: counted as applying,
     * reported); no bit: not yet known. Word {@code 3 * (i / 64) + state} holds state {@code state} of
     * directive {@code i}, so a decision reads which of 64 directives are excluded with one word.
     * Filled lazily, for the directives that come up; compact, so a decision reads few cache lines per
     * principal.
     *
     * <p>No lock: the array is published through the volatile field with its serial set; a state is
     * written as one bit with one plain read-or-write of one word. A state is a function of
     * (principal, directive), so a racing writer can only lose another's bits (back to "not yet
     * known", evaluated again), never produce a wrong state; the same holds for a long write split in
     * two halves.
     */
    long[] memoFor(Policy policy) {
        long[] m = memo;
        if (m == null || m[0] != policy.serial()) {
            m = new long[1 + 3 * policy.words()];
            m[0] = policy.serial();
            memo = m;
        }
        return m;
    }

    /** The memoised state of a directive: FALSE, TRUE, ERROR, or 0 when not yet known. */
    static byte state(long[] memo, int directive) {
        int w = 3 * (directive >>> 6);
        long bit = 1L << directive;
        return (memo[w + CompiledDirective.FALSE] & bit) != 0
                ? CompiledDirective.FALSE
                : (memo[w + CompiledDirective.TRUE] & bit) != 0
                        ? CompiledDirective.TRUE
                        : (memo[w + CompiledDirective.ERROR] & bit) != 0 ? CompiledDirective.ERROR : 0;
    }

    /** The directives of word {@code w} (64 by index) whose memoised state is {@code state}, as bits. */
    static long directivesIn(long[] memo, int w, byte state) {
        return memo[3 * w + state];
    }

    static void record(long[] memo, int directive, byte state) {
        memo[3 * (directive >>> 6) + state] |= 1L << directive;
    }

    /**
     * The combined result of the directive's principal-only conjuncts under CEL's {@code &&}. When
     * it is an error, the report line of the first erring conjunct is memoised beside the states
     * ({@link #errorLine}), from this same evaluation.
     */
    byte settle(CompiledDirective cd, long serial) {
        byte result = CompiledDirective.TRUE;
        String line = null;
        for (CompiledDirective.Conjunct c : cd.principalOnly) {
            byte state;
            if (c.shortcut() != null) {
                state = c.shortcut().eval(this, null);
                if (state == CompiledDirective.ERROR && line == null) {
                    line = cd.errorLine(c.errorMessage(this, principalOnly()));
                }
            } else {
                try {
                    Object r = c.program().eval(principalOnly());
                    state = Boolean.TRUE.equals(r)
                            ? CompiledDirective.TRUE
                            : r instanceof Boolean ? CompiledDirective.FALSE : CompiledDirective.ERROR;
                    if (state == CompiledDirective.ERROR && line == null) {
                        line = cd.errorLine("expected a bool, got " + r);
                    }
                } catch (CelEvaluationException | RuntimeException e) {
                    state = CompiledDirective.ERROR;
                    if (line == null) {
                        line = cd.errorLine(CompiledDirective.Conjunct.message(e));
                    }
                }
            }
            if (state == CompiledDirective.FALSE) {
                return CompiledDirective.FALSE;
            }
            if (state == CompiledDirective.ERROR) {
                result = CompiledDirective.ERROR;
            }
        }
        if (line != null) {
            rememberError(serial, cd.index, line);
        }
        return result;
    }

    /**
     * The report line of a directive whose principal-only part is an error for this principal
     * under the policy with this serial: memoised when {@link #settle} found it, so a decision
     * reads it like the two-bit state; computed again only when a racing writer lost it.
     */
    String errorLine(long serial, CompiledDirective cd) {
        ErrorLines e = errorLines;
        if (e != null && e.serial == serial) {
            for (int i = 0; i < e.directives.length; i++) {
                if (e.directives[i] == cd.index) {
                    return e.lines[i];
                }
            }
        }
        for (CompiledDirective.Conjunct c : cd.principalOnly) {
            byte state = c.shortcut() != null ? c.shortcut().eval(this, null) : evaluate(c, principalOnly());
            if (state == CompiledDirective.ERROR) {
                String line = cd.errorLine(c.errorMessage(this, principalOnly()));
                rememberError(serial, cd.index, line);
                return line;
            }
        }
        return "directive '" + cd.directive().id() + "': principal-only conditions failed";
    }

    /** Copy on write, no lock: a lost line is computed again by {@link #errorLine}. */
    private void rememberError(long serial, int directive, String line) {
        ErrorLines e = errorLines;
        if (e == null || e.serial != serial) {
            errorLines = new ErrorLines(serial, new int[] {directive}, new String[] {line});
            return;
        }
        int n = e.directives.length;
        int[] directives = java.util.Arrays.copyOf(e.directives, n + 1);
        String[] lines = java.util.Arrays.copyOf(e.lines, n + 1);
        directives[n] = directive;
        lines[n] = line;
        errorLines = new ErrorLines(serial, directives, lines);
    }

    /** Error lines by directive index under one policy: few per principal, so a short list. */
    private record ErrorLines(long serial, int[] directives, String[] lines) {}

    CelValues.PrincipalValue cel() {
        CelValues.PrincipalValue c = cel;
        if (c == null) {
            c = new CelValues.PrincipalValue(principal);
            cel = c;
        }
        return c;
    }

    /** Principal-only conjuncts are memoised, so they must never see a request. */
    CelVariableResolver principalOnly() {
        return name -> name.equals("principal") ? Optional.of(cel()) : Optional.empty();
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
