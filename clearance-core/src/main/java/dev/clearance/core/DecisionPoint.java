package dev.clearance.core;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The decision: a pure function of (compiled policy, principal, request). The gateway, the admin
 * decide API, the CLI and the simulator all call it; enforcing, explaining and simulating are one path.
 *
 * <ol>
 *   <li>An unknown principal is denied, with an error saying so.
 *   <li>Directives active at the request time and in scope (model and capabilities) are considered.
 *   <li>{@code applies_to} is evaluated; an evaluation error counts as true (fail closed) and is reported.
 *   <li>A directive hits when it applies and no valid, covering license of an exempting type is held.
 *       The request is denied if any enforce-mode directive hits; shadow hits are reported only.
 * </ol>
 */
public final class DecisionPoint {
    private DecisionPoint() {}

    public static Decision decide(Policy policy, Principal principal, Request request) {
        return decide(policy, principal == null ? null : PrincipalFacts.of(principal), request);
    }

    public static Decision decide(Policy policy, PrincipalFacts facts, Request request) {
        String id = request.id().isEmpty() ? DecisionIds.next() : request.id();
        if (facts == null) {
            return new Decision(id, Decision.Outcome.DENY, List.of(), List.of(),
                    List.of("unknown principal '" + request.principal() + "'"),
                    "Access denied: the caller is not a known principal.", policy.version());
        }
        if (!facts.principal().id().equals(request.principal())) {
            throw new IllegalArgumentException("request is for principal '" + request.principal()
                    + "' but facts are for '" + facts.principal().id() + "'");
        }
        CompiledDirective[] candidates = policy.candidates(request.model());
        List<String> hits = null;
        List<String> shadow = null;
        List<String> errors = null;
        String message = null;
        PrincipalFacts.Memo memo = null;
        CelValues.RequestValue requestValue = null;
        for (CompiledDirective cd : candidates) {
            if (!cd.activeAt(request.time()) || !cd.inCapabilityScope(request.capabilities())) {
                continue;
            }
            // Conjuncts: false wins over error (CEL's && semantics); an error alone counts as applying.
            String error = null;
            boolean applies = true;
            for (CompiledDirective.Conjunct c : cd.principalOnly) {
                if (memo == null) {
                    memo = facts.memoFor(policy);
                }
                byte state = memo.slots()[c.slot()];
                if (state == 0) {
                    state = evaluate(c, facts.cel, null);
                    memo.slots()[c.slot()] = state;
                }
                if (state == FALSE) {
                    applies = false;
                    break;
                }
                if (state == ERROR && error == null) {
                    error = errorOf(c, facts, null);
                }
            }
            if (applies) {
                for (CompiledDirective.Conjunct c : cd.withRequest) {
                    if (requestValue == null) {
                        requestValue = new CelValues.RequestValue(request);
                    }
                    byte state = evaluate(c, facts.cel, requestValue);
                    if (state == FALSE) {
                        applies = false;
                        break;
                    }
                    if (state == ERROR && error == null) {
                        error = errorOf(c, facts, requestValue);
                    }
                }
            }
            if (!applies) {
                continue;
            }
            String did = cd.directive().id();
            if (error != null) {
                errors = add(errors, "directive '" + did + "': applies_to could not be evaluated, counted as applying: " + error);
            }
            if (cd.exempts(facts.principal(), request.model(), request.time())) {
                continue;
            }
            if (cd.shadow) {
                shadow = add(shadow, did);
            } else {
                hits = add(hits, did);
                if (message == null && !cd.directive().message().isEmpty()) {
                    message = cd.directive().message();
                }
            }
        }
        if (hits == null) {
            return new Decision(id, Decision.Outcome.ALLOW, List.of(), orEmpty(shadow), orEmpty(errors), "", policy.version());
        }
        if (message == null) {
            message = "Access to model '" + request.model() + "' is restricted by directive "
                    + String.join(", ", hits) + ".";
        }
        return new Decision(id, Decision.Outcome.DENY, hits, orEmpty(shadow), orEmpty(errors), message, policy.version());
    }

    private static final byte FALSE = 1;
    private static final byte TRUE = 2;
    private static final byte ERROR = 3;

    private static byte evaluate(CompiledDirective.Conjunct c, CelValues.PrincipalValue principal, CelValues.RequestValue request) {
        try {
            Object r = c.program().eval(resolver(principal, request));
            return Boolean.TRUE.equals(r) ? TRUE : r instanceof Boolean ? FALSE : ERROR;
        } catch (CelEvaluationException | RuntimeException e) {
            return ERROR;
        }
    }

    /** Re-evaluates a failing conjunct to say why; errors are the rare path, so they are not memoised. */
    private static String errorOf(CompiledDirective.Conjunct c, PrincipalFacts facts, CelValues.RequestValue request) {
        try {
            Object r = c.program().eval(resolver(facts.cel, request));
            return "expected a bool, got " + r;
        } catch (CelEvaluationException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static CelVariableResolver resolver(CelValues.PrincipalValue principal, CelValues.RequestValue request) {
        return name -> switch (name) {
            case "principal" -> Optional.of(principal);
            case "request" -> Optional.ofNullable(request);
            default -> Optional.empty();
        };
    }

    private static List<String> add(List<String> l, String s) {
        if (l == null) {
            l = new ArrayList<>(2);
        }
        l.add(s);
        return l;
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
