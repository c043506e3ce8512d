package dev.clearance.core;

import static dev.clearance.core.CelShapes.isField;
import static dev.clearance.core.CelShapes.isGlobalCall;
import static dev.clearance.core.CelShapes.isIdent;
import static dev.clearance.core.CelShapes.isPrincipalField;
import static dev.clearance.core.CelShapes.stringConstant;
import static dev.clearance.core.CelShapes.stringList;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code list.exists(x, P)} and {@code list.all(x, P)} over {@code principal.citizenships} or
 * {@code request.capabilities}, where {@code P} tests the element alone against constants
 * ({@code in [...]}, {@code ==}, {@code !=}, {@code startsWith}, {@code endsWith},
 * {@code contains}, {@code !}, {@code &&}, {@code ||}). Such a predicate cannot error on a string, so
 * the quantifier is plain Java {@code anyMatch}/{@code allMatch}, as CEL's macro expansion computes it.
 */
final class Quantifier {
    private Quantifier() {}

    /** The shortcut of a comprehension of one of the shapes above, else null. */
    static Shortcut of(CelExpr e) {
        CelExpr.CelComprehension c = e.comprehension();
        if (!c.iterVar2().isEmpty()) {
            return null;
        }
        Function<Request, List<String>> requestList = null;
        Function<PrincipalFacts, List<String>> principalList = null;
        if (isPrincipalField(c.iterRange(), "citizenships")) {
            principalList = p -> p.principal().citizenships();
        } else if (isField(c.iterRange(), "request", "capabilities")) {
            requestList = Request::capabilities;
        } else {
            return null;
        }
        // exists: accu = false, step accu || P; all: accu = true, step accu && P; result accu.
        CelExpr init = c.accuInit();
        if (init.exprKind().getKind() != CelExpr.ExprKind.Kind.CONSTANT
                || init.constant().getKind() != CelConstant.Kind.BOOLEAN_VALUE
                || !isIdent(c.result(), c.accuVar())) {
            return null;
        }
        boolean all = init.constant().booleanValue();
        CelExpr step = c.loopStep();
        if (!isGlobalCall(step, all ? "_&&_" : "_||_", 2)) {
            return null;
        }
        CelExpr a = step.call().args().get(0);
        CelExpr b = step.call().args().get(1);
        CelExpr predicate = isIdent(a, c.accuVar()) ? b : isIdent(b, c.accuVar()) ? a : null;
        Predicate<String> test = predicate == null ? null : element(predicate, c.iterVar());
        if (test == null) {
            return null;
        }
        byte t = Shortcut.T;
        byte f = Shortcut.F;
        if (principalList != null) {
            Function<PrincipalFacts, List<String>> list = principalList;
            return (p, q) -> holds(list.apply(p), test, all) ? t : f;
        }
        Function<Request, List<String>> list = requestList;
        return (p, q) -> holds(list.apply(q), test, all) ? t : f;
    }

    /** {@code all}: no element fails the test; {@code exists}: some element passes it. */
    private static boolean holds(List<String> list, Predicate<String> test, boolean all) {
        for (int i = 0, n = list.size(); i < n; i++) {
            if (test.test(list.get(i)) != all) {
                return !all;
            }
        }
        return all;
    }

    /** A test of the iteration variable {@code v} against constants, else null. */
    private static Predicate<String> element(CelExpr e, String v) {
        return switch (e.exprKind().getKind()) {
            case CONSTANT ->
                e.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE
                        ? constant(e.constant().booleanValue())
                        : null;
            case CALL -> call(e, v);
            default -> null;
        };
    }

    private static Predicate<String> constant(boolean b) {
        return x -> b;
    }

    private static Predicate<String> call(CelExpr e, String v) {
        List<CelExpr> args = e.call().args();
        String fn = e.call().function();
        if (e.call().target().isPresent()) {
            String c = args.size() == 1 ? stringConstant(args.get(0)) : null;
            if (c == null || !isIdent(e.call().target().get(), v)) {
                return null;
            }
            return switch (fn) {
                case "startsWith" -> x -> x.startsWith(c);
                case "endsWith" -> x -> x.endsWith(c);
                case "contains" -> x -> x.contains(c);
                default -> null;
            };
        }
        if (fn.equals("!_") && args.size() == 1) {
            Predicate<String> a = element(args.get(0), v);
            return a == null ? null : a.negate();
        }
        if ((fn.equals("_&&_") || fn.equals("_||_")) && args.size() == 2) {
            Predicate<String> a = element(args.get(0), v);
            Predicate<String> b = element(args.get(1), v);
            if (a == null || b == null) {
                return null;
            }
            return fn.equals("_&&_") ? a.and(b) : a.or(b);
        }
        if (fn.equals("@in") && args.size() == 2 && isIdent(args.get(0), v)) {
            StringConstants s = stringList(args.get(1));
            return s == null ? null : s::contains;
        }
        if ((fn.equals("_==_") || fn.equals("_!=_")) && args.size() == 2) {
            boolean eq = fn.equals("_==_");
            String c = isIdent(args.get(0), v) ? stringConstant(args.get(1)) : null;
            if (c == null && isIdent(args.get(1), v)) {
                c = stringConstant(args.get(0));
            }
            if (c == null) {
                return null;
            }
            String constant = c;
            return x -> x.equals(constant) == eq;
        }
        return null;
    }
}
