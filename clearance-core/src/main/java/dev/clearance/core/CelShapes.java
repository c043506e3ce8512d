package dev.clearance.core;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Recognisers of small CEL expression shapes, shared by the shortcut planners ({@link Shortcut}, {@link Quantifier}, {@link TimeTerms}). */
final class CelShapes {
    private CelShapes() {}

    /** A list literal of string constants, for membership tests; null for any other expression. */
    static StringConstants stringList(CelExpr e) {
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
        return new StringConstants(s);
    }

    static String stringConstant(CelExpr e) {
        return e.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && e.constant().getKind() == CelConstant.Kind.STRING_VALUE
                ? e.constant().stringValue()
                : null;
    }

    static boolean isPrincipalField(CelExpr e, String field) {
        return isField(e, "principal", field);
    }

    static boolean isField(CelExpr e, String variable, String field) {
        return e.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT
                && !e.select().testOnly()
                && e.select().field().equals(field)
                && isIdent(e.select().operand(), variable);
    }

    static boolean isIdent(CelExpr e, String name) {
        return e.exprKind().getKind() == CelExpr.ExprKind.Kind.IDENT
                && e.ident().name().equals(name);
    }

    /** A call {@code fn(args...)} without a receiver, with {@code arity} arguments. */
    static boolean isGlobalCall(CelExpr e, String fn, int arity) {
        return e.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL
                && e.call().function().equals(fn)
                && e.call().target().isEmpty()
                && e.call().args().size() == arity;
    }

    /** The constant keys of the {@code principal.attributes['k']} reads in {@code e}, in order, without repeats. */
    static List<String> attributeKeysRead(CelExpr e) {
        Set<String> keys = new LinkedHashSet<>();
        collectAttributeKeys(e, keys);
        return List.copyOf(keys);
    }

    private static void collectAttributeKeys(CelExpr e, Set<String> out) {
        switch (e.exprKind().getKind()) {
            case SELECT -> collectAttributeKeys(e.select().operand(), out);
            case CALL -> {
                if (isGlobalCall(e, "_[_]", 2)
                        && isPrincipalField(e.call().args().get(0), "attributes")) {
                    String key = stringConstant(e.call().args().get(1));
                    if (key != null) {
                        out.add(key);
                    }
                }
                e.call().target().ifPresent(t -> collectAttributeKeys(t, out));
                e.call().args().forEach(a -> collectAttributeKeys(a, out));
            }
            case LIST -> e.list().elements().forEach(a -> collectAttributeKeys(a, out));
            case COMPREHENSION -> {
                collectAttributeKeys(e.comprehension().iterRange(), out);
                collectAttributeKeys(e.comprehension().loopStep(), out);
            }
            default -> {}
        }
    }
}
