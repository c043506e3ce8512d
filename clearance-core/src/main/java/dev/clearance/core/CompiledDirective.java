package dev.clearance.core;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelRuntime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A directive with its condition planned: principal-only conjuncts (memoised) and request conjuncts. */
final class CompiledDirective {
    /** Conjunct results: what a {@link Shortcut} returns and what a CEL evaluation is mapped to. */
    static final byte FALSE = 1;

    static final byte TRUE = 2;
    static final byte ERROR = 3;

    /**
     * One conjunct of {@code applies_to}. {@code shortcut} is the same condition as plain Java when
     * its shape is a common one (see {@link Shortcut}), else null; the CEL program stays the
     * reference and explains errors.
     */
    record Conjunct(CelRuntime.Program program, Shortcut shortcut) {}

    private final Directive directive;
    /** Position in the policy (directives sorted by id): the bit of this directive in a principal's memo. */
    final int index;

    final Conjunct[] principalOnly;
    final Conjunct[] withRequest;
    private final String[] models;
    private final String[] capabilities;
    final boolean allCapabilities;
    private final String[] exemptLicenses;
    private final long fromMillis;
    private final long untilMillis;
    final boolean shadow;

    CompiledDirective(Directive d, int index, Conjunct[] principalOnly, Conjunct[] withRequest) {
        this.directive = d;
        this.index = index;
        this.principalOnly = principalOnly;
        this.withRequest = withRequest;
        // Globs over canonical keys: a directive on "mythos-5" also covers "MYTHOS-5" and "library/mythos-5".
        this.models = d.models().stream().map(ModelName::key).toArray(String[]::new);
        this.capabilities = d.capabilities().toArray(String[]::new);
        this.allCapabilities = d.capabilities().contains("*");
        this.exemptLicenses = d.exemptLicenses().toArray(String[]::new);
        this.fromMillis = d.effectiveFrom().toEpochMilli();
        this.untilMillis =
                d.effectiveUntil() == null ? Long.MAX_VALUE : d.effectiveUntil().toEpochMilli();
        this.shadow = d.mode() == Directive.Mode.SHADOW;
    }

    Directive directive() {
        return directive;
    }

    /** Whether a model name, given by its {@link ModelName#key key}, is in this directive's scope. */
    boolean coversModel(String modelKey) {
        for (String g : models) {
            if (Glob.matches(g, modelKey)) {
                return true;
            }
        }
        return false;
    }

    boolean activeAt(Instant time) {
        return activeAt(time.toEpochMilli(), time);
    }

    /** {@code t} is {@code time} in epoch milliseconds, computed once per decision. */
    boolean activeAt(long t, Instant time) {
        if (t != fromMillis && t != untilMillis) {
            return t > fromMillis && t < untilMillis;
        }
        return directive.activeAt(time); // exact boundary: compare with full precision
    }

    /** Whether one requested capability brings the request into this directive's capability scope. */
    boolean coversCapability(String capability) {
        if (allCapabilities) {
            return true;
        }
        for (String g : capabilities) {
            if (Glob.matches(g, capability)) {
                return true;
            }
        }
        return false;
    }

    /** The principal holds a license of an exempting type, valid at {@code time}, covering {@code model}. */
    boolean exempts(Principal p, String model, Instant time) {
        if (exemptLicenses.length == 0) {
            return false;
        }
        List<License> licenses = p.licenses();
        for (int i = 0, n = licenses.size(); i < n; i++) {
            License l = licenses.get(i);
            for (String type : exemptLicenses) {
                if (type.equals(l.type()) && l.covers(model, time)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A directive condition of a common shape evaluated as plain Java instead of through the CEL
     * interpreter: {@code !principal.us_person}, {@code request.country in ['CU', 'IR']},
     * {@code principal.identity_assurance < 2}, {@code 'k' in principal.attributes},
     * {@code principal.attributes['k'] == 'v'}, {@code request.time >= timestamp('...')}, and
     * {@code !}, {@code &&}, {@code ||} over such parts. The result is exactly CEL's, errors included
     * (a missing attribute key is an error; {@code ||} and {@code &&} absorb an error as CEL does), so a
     * shortcut changes the cost of a decision, never the decision. Anything else stays with CEL.
     */
    @FunctionalInterface
    interface Shortcut {
        /** {@link CompiledDirective#TRUE}, {@link CompiledDirective#FALSE} or {@link CompiledDirective#ERROR}. */
        byte eval(PrincipalFacts principal, Request request);

        /** A string-valued term; null means the term is an evaluation error (a missing map key). */
        @FunctionalInterface
        interface Text {
            String get(PrincipalFacts principal, Request request);
        }

        byte T = CompiledDirective.TRUE;
        byte F = CompiledDirective.FALSE;
        byte E = CompiledDirective.ERROR;

        /** The shortcut for a type-checked expression, or null when its shape is not one of the common ones. */
        static Shortcut of(CelExpr e) {
            return switch (e.exprKind().getKind()) {
                case SELECT -> boolField(e);
                case CALL -> call(e);
                case CONSTANT ->
                    e.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE
                            ? constant(e.constant().booleanValue())
                            : null;
                default -> null;
            };
        }

        private static Shortcut constant(boolean b) {
            byte r = b ? T : F;
            return (p, q) -> r;
        }

        private static Shortcut call(CelExpr e) {
            if (e.call().target().isPresent()) {
                return null;
            }
            List<CelExpr> args = e.call().args();
            String fn = e.call().function();
            if (fn.equals("!_") && args.size() == 1) {
                Shortcut a = of(args.get(0));
                return a == null
                        ? null
                        : (p, q) -> {
                            byte r = a.eval(p, q);
                            return r == T ? F : r == F ? T : E;
                        };
            }
            if ((fn.equals("_&&_") || fn.equals("_||_")) && args.size() == 2) {
                Shortcut a = of(args.get(0));
                Shortcut b = of(args.get(1));
                if (a == null || b == null) {
                    return null;
                }
                boolean and = fn.equals("_&&_");
                byte absorbing = and ? F : T;
                return (p, q) -> {
                    byte x = a.eval(p, q);
                    if (x == absorbing) {
                        return absorbing;
                    }
                    byte y = b.eval(p, q);
                    if (y == absorbing) {
                        return absorbing;
                    }
                    return x == E || y == E ? E : x;
                };
            }
            if (fn.equals("@in") && args.size() == 2) {
                CelExpr needle = args.get(0);
                CelExpr hay = args.get(1);
                Set<String> constants = stringList(hay);
                Text t = text(needle);
                if (constants != null && t != null) {
                    return (p, q) -> {
                        String v = t.get(p, q);
                        return v == null ? E : constants.contains(v) ? T : F;
                    };
                }
                String key = stringConstant(needle);
                if (key != null && isPrincipalField(hay, "attributes")) {
                    return (p, q) -> p.principal().attributes().containsKey(key) ? T : F;
                }
                return null;
            }
            if ((fn.equals("_==_") || fn.equals("_!=_")) && args.size() == 2) {
                boolean eq = fn.equals("_==_");
                Text t = text(args.get(0));
                String c = stringConstant(args.get(1));
                if (t == null || c == null) {
                    t = text(args.get(1));
                    c = stringConstant(args.get(0));
                }
                if (t != null && c != null) {
                    Text term = t;
                    String constant = c;
                    return (p, q) -> {
                        String v = term.get(p, q);
                        return v == null ? E : v.equals(constant) == eq ? T : F;
                    };
                }
                return compare(fn, args);
            }
            if (fn.equals("_<_") || fn.equals("_<=_") || fn.equals("_>_") || fn.equals("_>=_")) {
                return compare(fn, args);
            }
            return null;
        }

        /** {@code principal.identity_assurance OP int} and {@code request.time OP timestamp('...')} (either side constant). */
        private static Shortcut compare(String fn, List<CelExpr> args) {
            if (args.size() != 2) {
                return null;
            }
            boolean flipped = false;
            CelExpr field = args.get(0);
            CelExpr constant = args.get(1);
            if (!isConstantLike(constant)) {
                field = args.get(1);
                constant = args.get(0);
                flipped = true;
            }
            String op = flipped ? flip(fn) : fn;
            if (isPrincipalField(field, "identity_assurance")
                    && constant.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && constant.constant().getKind() == CelConstant.Kind.INT64_VALUE) {
                long c = constant.constant().int64Value();
                return (p, q) -> holds(op, Long.compare(p.principal().identityAssurance(), c)) ? T : F;
            }
            Instant at = timestampConstant(constant);
            if (at != null && isField(field, "request", "time")) {
                return (p, q) -> holds(op, q.time().compareTo(at)) ? T : F;
            }
            return null;
        }

        private static boolean holds(String op, int cmp) {
            return switch (op) {
                case "_<_" -> cmp < 0;
                case "_<=_" -> cmp <= 0;
                case "_>_" -> cmp > 0;
                case "_>=_" -> cmp >= 0;
                case "_==_" -> cmp == 0;
                case "_!=_" -> cmp != 0;
                default -> throw new IllegalArgumentException(op);
            };
        }

        private static String flip(String op) {
            return switch (op) {
                case "_<_" -> "_>_";
                case "_<=_" -> "_>=_";
                case "_>_" -> "_<_";
                case "_>=_" -> "_<=_";
                default -> op;
            };
        }

        private static boolean isConstantLike(CelExpr e) {
            return e.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT || timestampConstant(e) != null;
        }

        /** {@code timestamp('2026-01-01T00:00:00Z')} with a valid RFC 3339 argument, else null (CEL reports the error). */
        private static Instant timestampConstant(CelExpr e) {
            if (e.exprKind().getKind() != CelExpr.ExprKind.Kind.CALL
                    || !e.call().function().equals("timestamp")
                    || e.call().target().isPresent()
                    || e.call().args().size() != 1) {
                return null;
            }
            String s = stringConstant(e.call().args().get(0));
            if (s == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException ex) {
                return null;
            }
        }

        private static Shortcut boolField(CelExpr e) {
            if (isPrincipalField(e, "us_person")) {
                return (p, q) -> p.usPerson ? T : F;
            }
            if (isPrincipalField(e, "protected_individual")) {
                return (p, q) -> p.principal().protectedIndividual() ? T : F;
            }
            return null;
        }

        /** String-typed fields and {@code principal.attributes['k']}. */
        private static Text text(CelExpr e) {
            if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT) {
                CelExpr operand = e.select().operand();
                String f = e.select().field();
                if (isIdent(operand, "request")) {
                    return switch (f) {
                        case "country" -> (p, q) -> q.country();
                        case "model" -> (p, q) -> q.model();
                        case "ip" -> (p, q) -> q.ip();
                        default -> null;
                    };
                }
                if (isIdent(operand, "principal")) {
                    return switch (f) {
                        case "id" -> (p, q) -> p.principal().id();
                        case "kind" -> (p, q) -> p.principal().kind().wireName();
                        case "name" -> (p, q) -> p.principal().name();
                        case "lawful_permanent_resident_of" ->
                            (p, q) -> p.principal().lawfulPermanentResidentOf();
                        case "residence_country" -> (p, q) -> p.principal().residenceCountry();
                        case "incorporated_in" -> (p, q) -> p.principal().incorporatedIn();
                        case "organization" -> (p, q) -> p.principal().organization();
                        default -> null;
                    };
                }
                if (f.equals("status") && isPrincipalField(operand, "screening")) {
                    return (p, q) -> p.principal().screening().status();
                }
                if (f.equals("status") && isPrincipalField(operand, "organization_screening")) {
                    return (p, q) -> p.principal().organizationScreening().status();
                }
                return null;
            }
            if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL
                    && e.call().function().equals("_[_]")
                    && e.call().target().isEmpty()
                    && e.call().args().size() == 2
                    && isPrincipalField(e.call().args().get(0), "attributes")) {
                String key = stringConstant(e.call().args().get(1));
                return key == null ? null : (p, q) -> p.principal().attributes().get(key);
            }
            return null;
        }

        private static Set<String> stringList(CelExpr e) {
            if (e.exprKind().getKind() != CelExpr.ExprKind.Kind.LIST
                    || !e.list().optionalIndices().isEmpty()) {
                return null;
            }
            Set<String> s = new HashSet<>();
            for (CelExpr el : e.list().elements()) {
                String c = stringConstant(el);
                if (c == null) {
                    return null;
                }
                s.add(c);
            }
            return Set.copyOf(s);
        }

        private static String stringConstant(CelExpr e) {
            return e.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                            && e.constant().getKind() == CelConstant.Kind.STRING_VALUE
                    ? e.constant().stringValue()
                    : null;
        }

        private static boolean isPrincipalField(CelExpr e, String field) {
            return isField(e, "principal", field);
        }

        private static boolean isField(CelExpr e, String variable, String field) {
            return e.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT
                    && !e.select().testOnly()
                    && e.select().field().equals(field)
                    && isIdent(e.select().operand(), variable);
        }

        private static boolean isIdent(CelExpr e, String name) {
            return e.exprKind().getKind() == CelExpr.ExprKind.Kind.IDENT
                    && e.ident().name().equals(name);
        }
    }
}
