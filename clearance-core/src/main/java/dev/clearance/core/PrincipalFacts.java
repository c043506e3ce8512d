package dev.clearance.core;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import java.util.List;
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
    /**
     * The id's characters when it has at most 16, all Latin-1 ({@link #packed}), else -1 and zeros:
     * a decision then checks the request's principal against the facts' own fields, with no read of
     * the id's string and its bytes (two cache misses when the caller's string is another instance).
     */
    private final int idLength;

    private final long idLow;
    private final long idHigh;
    /** Whether the principal holds any license: most hold none, and then no directive is exempted. */
    final boolean holdsLicenses;
    /** The principal's licenses, read without the principal when a hit directive has exemptions. */
    final List<License> licenses;
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
        long low = packed(id, 0);
        long high = packed(id, 8);
        boolean packs = id.length() <= 16 && low != -1 && high != -1;
        this.idLength = packs ? id.length() : -1;
        this.idLow = packs ? low : 0;
        this.idHigh = packs ? high : 0;
        this.licenses = principal.licenses();
        this.holdsLicenses = !licenses.isEmpty();
    }

    public static PrincipalFacts of(Principal principal) {
        return new PrincipalFacts(principal);
    }

    /**
     * Facts whose memo for {@code policy} is made now rather than on the first decision: for a
     * population built once and then decided over (the simulator's), each memo is allocated right
     * after its facts, so the two lie together in memory, and the collector moves both at once instead
     * of finding a young memo under old facts on every later collection.
     */
    public static PrincipalFacts of(Principal principal, Policy policy) {
        PrincipalFacts facts = new PrincipalFacts(principal);
        facts.memoFor(policy);
        return facts;
    }

    public Principal principal() {
        return principal;
    }

    /** Whether these are the facts of the principal with this id: exact, as {@link String#equals}. */
    boolean isFor(String principalId) {
        if (principalId == id) {
            return true;
        }
        if (idLength < 0) {
            return id.equals(principalId);
        }
        // equal length and equal characters, 8 bits each (all of the id's are Latin-1)
        return principalId != null
                && principalId.length() == idLength
                && sameLatin1(principalId, 0, idLow)
                && sameLatin1(principalId, 8, idHigh);
    }

    /**
     * Whether characters {@code from} to {@code from + 7} of {@code s} (those it has) are Latin-1 and
     * pack to {@code expected}: a character above U+00FF is a mismatch by itself, whatever it packs to.
     */
    private static boolean sameLatin1(String s, int from, long expected) {
        long v = 0;
        for (int i = from, end = Math.min(s.length(), from + 8); i < end; i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                return false;
            }
            v |= (long) c << ((i - from) << 3);
        }
        return v == expected;
    }

    /** Characters {@code from} to {@code from + 7} of {@code s} (those it has), 8 bits each; -1 if one is not Latin-1. */
    private static long packed(String s, int from) {
        long v = 0;
        for (int i = from, end = Math.min(s.length(), from + 8); i < end; i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                return -1;
            }
            v |= (long) c << ((i - from) << 3);
        }
        return v;
    }

    /**
     * What the principal alone settles under one policy: word 0 is the policy's
     * {@link Policy#serial()}, then two bits per directive (by {@link CompiledDirective#index}), 32
     * directives to a word: 0 not yet known; {@link CompiledDirective#FALSE} when some principal-only
     * conjunct is false (the directive cannot apply to this principal, whatever the request);
     * {@link CompiledDirective#TRUE} when all are true; {@link CompiledDirective#ERROR} when none is
     * false but one is an evaluation error (counted as applying, reported). Filled lazily, for the
     * directives that come up. Packed so that a decision reads one or two cache lines per principal.
     *
     * <p>Each half of a word holds 16 directives, the low bits of their states in its low 16 bits and
     * the high bits in its high 16 bits: so which of 64 directives are false is read from two words
     * with a few shifts ({@link #directivesIn}), and both bits of a state lie in the same 32-bit half.
     *
     * <p>No lock: the array is published through the volatile field with its serial set; a state is
     * written with one plain read-or-write of one word. A state is a function of (principal,
     * directive), so a racing writer can only lose another's bits (back to "not yet known", evaluated
     * again), never produce a wrong state; the same holds for a long write split in two halves.
     */
    long[] memoFor(Policy policy) {
        long[] m = memo;
        if (m == null || m[0] != policy.serial()) {
            m = new long[1 + 2 * policy.words()];
            m[0] = policy.serial();
            memo = m;
        }
        return m;
    }

    /** The position of directive {@code i}'s low state bit in its word; the high bit is 16 above. */
    private static int position(int directive) {
        return (directive & 16) << 1 | (directive & 15);
    }

    /** The memoised state of a directive: FALSE, TRUE, ERROR, or 0 when not yet known. */
    static byte state(long[] memo, int directive) {
        long word = memo[1 + (directive >>> 5)] >>> position(directive);
        return (byte) ((word & 1) | (word >>> 15 & 2));
    }

    static void record(long[] memo, int directive, byte state) {
        memo[1 + (directive >>> 5)] |= ((long) (state & 1) | (long) (state & 2) << 15) << position(directive);
    }

    /**
     * The directives {@code 64 * w} to {@code 64 * w + 63} whose memoised state is {@code state}
     * (FALSE, TRUE or ERROR), as bits.
     */
    static long directivesIn(long[] memo, int w, byte state) {
        return in(memo[1 + 2 * w], state) | in(memo[2 + 2 * w], state) << 32;
    }

    private static final long LOW_HALVES = 0x0000_FFFF_0000_FFFFL;

    /** The 32 directives of one word in {@code state}, as the low 32 bits. */
    private static long in(long word, byte state) {
        long low = word & LOW_HALVES;
        long high = word >>> 16 & LOW_HALVES;
        long bits = switch (state) {
            case CompiledDirective.FALSE -> low & ~high;
            case CompiledDirective.TRUE -> ~low & high;
            default -> low & high;
        };
        return (bits & 0xFFFF) | (bits >>> 16 & 0xFFFF_0000L);
    }

    /**
     * The combined result of the directive's principal-only conjuncts under CEL's {@code &&}. When
     * it is an error and {@code explain} is set, the report line of the first erring conjunct is
     * memoised beside the states ({@link #errorLine}), from this same evaluation; a caller that only
     * counts ({@link DecisionPoint#outcome}) writes no line, and {@link #errorLine} words it if a
     * decision that explains asks later.
     */
    byte settle(CompiledDirective cd, long serial, boolean explain) {
        byte result = CompiledDirective.TRUE;
        String line = null;
        for (CompiledDirective.Conjunct c : cd.principalOnly) {
            byte state;
            if (c.shortcut() != null) {
                state = c.shortcut().eval(this, null);
                if (state == CompiledDirective.ERROR && line == null && explain) {
                    line = cd.errorLine(c.errorMessage(this, principalOnly()));
                }
            } else {
                try {
                    Object r = c.program().eval(principalOnly());
                    state = Boolean.TRUE.equals(r)
                            ? CompiledDirective.TRUE
                            : r instanceof Boolean ? CompiledDirective.FALSE : CompiledDirective.ERROR;
                    if (state == CompiledDirective.ERROR && line == null && explain) {
                        line = cd.errorLine("expected a bool, got " + r);
                    }
                } catch (CelEvaluationException | RuntimeException e) {
                    state = CompiledDirective.ERROR;
                    if (line == null && explain) {
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
