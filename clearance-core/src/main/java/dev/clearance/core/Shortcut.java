package dev.clearance.core;

import static dev.clearance.core.CelShapes.isIdent;
import static dev.clearance.core.CelShapes.isPrincipalField;
import static dev.clearance.core.CelShapes.stringConstant;
import static dev.clearance.core.CelShapes.stringList;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A directive condition of a common shape evaluated as plain Java instead of through the CEL
 * interpreter: {@code !principal.us_person}, {@code request.country in ['CU', 'IR']},
 * {@code principal.identity_assurance < 2}, {@code 'k' in principal.attributes},
 * {@code principal.attributes['k'] == 'v'}, {@code has(principal.attributes.k)}, string tests
 * ({@code startsWith}, {@code endsWith}, {@code contains}), {@code exists}/{@code all} over a list of
 * strings ({@link Quantifier}), {@code request.time} against timestamps and durations and its calendar
 * fields ({@link TimeTerms}), and {@code !}, {@code &&}, {@code ||} over such parts. The result is exactly CEL's, errors included
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
            case SELECT -> e.select().testOnly() ? presence(e) : boolField(e);
            case CALL -> call(e);
            case COMPREHENSION -> Quantifier.of(e);
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

    /** {@code has(principal.attributes.k)}: whether the key is present (never an error). */
    private static Shortcut presence(CelExpr e) {
        if (!isPrincipalField(e.select().operand(), "attributes")) {
            return null;
        }
        String key = e.select().field();
        return (p, q) -> p.principal().attributes().containsKey(key) ? T : F;
    }

    /** {@code text.startsWith('c')}, {@code endsWith}, {@code contains}; an erroneous text (missing key) is an error. */
    private static Shortcut method(CelExpr e) {
        List<CelExpr> args = e.call().args();
        Text t = text(e.call().target().get());
        String c = args.size() == 1 ? stringConstant(args.get(0)) : null;
        if (t == null || c == null) {
            return null;
        }
        return switch (e.call().function()) {
            case "startsWith" ->
                (p, q) -> {
                    String v = t.get(p, q);
                    return v == null ? E : v.startsWith(c) ? T : F;
                };
            case "endsWith" ->
                (p, q) -> {
                    String v = t.get(p, q);
                    return v == null ? E : v.endsWith(c) ? T : F;
                };
            case "contains" ->
                (p, q) -> {
                    String v = t.get(p, q);
                    return v == null ? E : v.contains(c) ? T : F;
                };
            default -> null;
        };
    }

    private static Shortcut call(CelExpr e) {
        if (e.call().target().isPresent()) {
            return method(e);
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
            StringConstants constants = stringList(hay);
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

    /**
     * {@code INT_TERM OP int} ({@link TimeTerms#integer}), {@code request.time OP timestamp} and
     * {@code request.time - timestamp OP duration} ({@link TimeTerms}), either side constant.
     */
    private static Shortcut compare(String fn, List<CelExpr> args) {
        if (args.size() != 2) {
            return null;
        }
        boolean flipped = false;
        CelExpr field = args.get(0);
        CelExpr constant = args.get(1);
        if (!TimeTerms.isConstantLike(constant)) {
            field = args.get(1);
            constant = args.get(0);
            flipped = true;
        }
        String op = flipped ? flip(fn) : fn;
        TimeTerms.IntTerm integer = TimeTerms.integer(field);
        if (integer != null
                && constant.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && constant.constant().getKind() == CelConstant.Kind.INT64_VALUE) {
            long c = constant.constant().int64Value();
            return (p, q) -> holds(op, Long.compare(integer.get(p, q), c)) ? T : F;
        }
        Instant at = TimeTerms.timestamp(constant);
        if (at != null && CelShapes.isField(field, "request", "time")) {
            return (p, q) -> holds(op, q.time().compareTo(at)) ? T : F;
        }
        Duration d = TimeTerms.duration(constant);
        Instant since = TimeTerms.elapsedSince(field);
        if (d != null && since != null) {
            // time - since OP d  <=>  time OP since + d: Instant arithmetic is exact over CEL's range
            Instant bound = since.plus(d);
            return (p, q) -> holds(op, q.time().compareTo(bound)) ? T : F;
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
}
