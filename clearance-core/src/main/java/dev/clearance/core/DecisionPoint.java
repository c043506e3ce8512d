package dev.clearance.core;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 *   <li>A client location that a trusted proxy forwarded but that could not be read is reported in the
 *       errors, and denies the request when its {@link Request.LocationError} says to (fail closed).
 * </ol>
 */
public final class DecisionPoint {
    private DecisionPoint() {}

    public static Decision decide(Policy policy, Principal principal, Request request) {
        return decide(policy, principal == null ? null : PrincipalFacts.of(principal), request);
    }

    /**
     * @throws IllegalArgumentException when the request has no id: the caller names every decision
     *         (the gateway's decision ids, {@code file:line} in the CLI, the simulator's), so that a
     *         decision depends on its inputs alone
     */
    public static Decision decide(Policy policy, PrincipalFacts facts, Request request) {
        Decision decision = decideDirectives(policy, facts, request, true);
        return request.locationError() == null ? decision : withLocationError(decision, request.locationError());
    }

    /**
     * As {@link #decide(Policy, PrincipalFacts, Request)}, for a caller that only counts decisions (the
     * simulator): the same outcome, hits and shadow hits, but no denial message is written (it is empty)
     * and no error line is kept (the errors are empty), so nothing is built per decision that nobody
     * reads. Never for a decision a caller is answered with or that is recorded.
     */
    public static Decision outcome(Policy policy, PrincipalFacts facts, Request request) {
        Decision decision = decideDirectives(policy, facts, request, false);
        if (request.locationError() == null) {
            return decision;
        }
        Decision explained = withLocationError(decision, request.locationError());
        return new Decision(
                explained.id(),
                explained.outcome(),
                explained.directives(),
                explained.shadow(),
                List.of(),
                "",
                explained.policyVersion());
    }

    static final String LOCATION_DENIED = "Access denied: the client's location could not be determined.";

    /** The error is always reported; it turns an allow into a deny only when the gateway is set to fail closed. */
    private static Decision withLocationError(Decision d, Request.LocationError error) {
        List<String> errors = new ArrayList<>(d.errors().size() + 1);
        errors.add("client location unknown: " + error.reason());
        errors.addAll(d.errors());
        if (d.allowed() && error.failClosed()) {
            return new Decision(
                    d.id(), Decision.Outcome.DENY, List.of(), d.shadow(), errors, LOCATION_DENIED, d.policyVersion());
        }
        return new Decision(d.id(), d.outcome(), d.directives(), d.shadow(), errors, d.message(), d.policyVersion());
    }

    /** @param explain whether the denial message and the error lines are written ({@link #outcome}: not) */
    private static Decision decideDirectives(Policy policy, PrincipalFacts facts, Request request, boolean explain) {
        String id = request.id();
        if (id.isEmpty()) {
            throw new IllegalArgumentException("the request of principal '" + request.principal() + "' for model '"
                    + request.model() + "' has no id: the caller names every decision");
        }
        if (facts == null) {
            return new Decision(
                    id,
                    Decision.Outcome.DENY,
                    List.of(),
                    List.of(),
                    explain ? List.of("unknown principal '" + request.principal() + "'") : List.of(),
                    explain ? "Access denied: the caller is not a known principal." : "",
                    policy.version());
        }
        checkPrincipal(facts, request);
        List<String> hits = null;
        List<String> shadow = null;
        List<String> errors = null;
        String message = null;
        CompiledDirective firstHit = null;
        Instant time = request.time();
        long millis = time.toEpochMilli();
        // Directives that can still apply, 64 at a time: in the model's scope, in force at the request
        // time (asked one by one when the time is on a boundary), in the request's capability scope,
        // and not excluded by the principal's memo. Ascending bits are ascending indexes: candidate order.
        long[] inModel = policy.modelScope(request.model()).bits();
        long[] inForce = policy.inForce().at(millis);
        long[] allCapabilities = policy.allCapabilities();
        long[] capabilityScope = policy.capabilityScope(request.capabilities());
        CompiledDirective[] compiled = policy.compiled();
        long[] memo = facts.memoFor(policy);
        for (int w = 0; w < inModel.length; w++) {
            long open = inModel[w];
            if (open == 0) {
                continue;
            }
            open &= ~PrincipalFacts.directivesIn(memo, w, FALSE)
                    & (capabilityScope == null ? allCapabilities[w] : allCapabilities[w] | capabilityScope[w]);
            if (inForce != null) {
                open &= inForce[w];
            }
            if (open == 0) {
                continue;
            }
            long knownTrue = PrincipalFacts.directivesIn(memo, w, TRUE);
            long knownError = PrincipalFacts.directivesIn(memo, w, ERROR);
            for (; open != 0; open &= open - 1) {
                long bit = open & -open;
                CompiledDirective cd = compiled[(w << 6) | Long.numberOfTrailingZeros(open)];
                if (inForce == null && !cd.activeAt(millis, time)) {
                    continue;
                }
                byte principalPart = (knownTrue & bit) != 0 ? TRUE : (knownError & bit) != 0 ? ERROR : 0;
                if (principalPart == 0) {
                    principalPart = facts.settle(cd, memo[0], explain);
                    PrincipalFacts.record(memo, cd.index, principalPart);
                    if (principalPart == FALSE) {
                        continue;
                    }
                }
                String errorLine = requestPart(cd, facts, request);
                if (errorLine == NOT_APPLYING) {
                    continue;
                }
                if (principalPart == ERROR && explain) {
                    // principal-only conjuncts come first in the report; their line is memoised with the state
                    errorLine = facts.errorLine(memo[0], cd);
                }
                String did = cd.directive().id();
                if (errorLine != null && explain) {
                    errors = add(errors, errorLine);
                }
                if (cd.exempts(facts, request.model(), time)) {
                    continue;
                }
                if (cd.shadow) {
                    shadow = add(shadow, did);
                } else {
                    hits = add(hits, did);
                    if (firstHit == null) {
                        firstHit = cd;
                    }
                    if (message == null && explain && !cd.directive().message().isEmpty()) {
                        message = cd.directive().message();
                    }
                }
            }
        }
        if (hits == null) {
            return new Decision(
                    id, Decision.Outcome.ALLOW, List.of(), orEmpty(shadow), orEmpty(errors), "", policy.version());
        }
        if (message == null) {
            message = explain ? defaultMessage(firstHit, request, hits) : "";
        }
        return new Decision(
                id, Decision.Outcome.DENY, hits, orEmpty(shadow), orEmpty(errors), message, policy.version());
    }

    /**
     * Whether finding out what a request really asks for can change its decision: some directive
     * whose hit depends on the request's capabilities (a capability scope, or a condition reading
     * {@code request.capabilities}), enforce or shadow, is in force at the request's time for its
     * model, is not excluded by the principal's facts or by a request condition that does not read
     * capabilities, and is not exempted by a license the principal holds. In short: would some
     * directive apply if some capability were present? Pure and fast (the principal-only parts come
     * from the same memo {@link #decide} uses), so a caller no capability directive can touch — a
     * U.S. person verified at IAL2 under the example directives — costs the gateway no classification.
     * An unknown principal is denied whatever it asks, so false. Errors count as applying (true).
     */
    public static boolean capabilityOpen(Policy policy, PrincipalFacts facts, Request request) {
        if (facts == null) {
            return false;
        }
        checkPrincipal(facts, request);
        long[] memo = facts.memoFor(policy);
        long millis = request.time().toEpochMilli();
        Activation activation = null;
        for (CompiledDirective cd : policy.candidates(request.model())) {
            if (!cd.capabilityDependent || !cd.activeAt(millis, request.time())) {
                continue;
            }
            byte principalPart = PrincipalFacts.state(memo, cd.index);
            if (principalPart == 0) {
                principalPart = facts.settle(cd, memo[0], true);
                PrincipalFacts.record(memo, cd.index, principalPart);
            }
            if (principalPart == FALSE || cd.exempts(facts, request.model(), request.time())) {
                continue;
            }
            boolean excluded = false;
            for (CompiledDirective.Conjunct c : cd.withRequest) {
                if (c.readsCapabilities()) {
                    continue; // what the content asks for could make it true
                }
                if (activation == null && c.shortcut() == null) {
                    activation = new Activation(facts, request);
                }
                if (state(c, facts, request, activation) == FALSE) {
                    excluded = true;
                    break;
                }
            }
            if (!excluded) {
                return true;
            }
        }
        return false;
    }

    /** What {@link #requestPart} returns when a request conjunct is false: compared by identity. */
    private static final String NOT_APPLYING = new String("not applying");

    /**
     * The request conjuncts of {@code cd}: {@link #NOT_APPLYING} when one is false (false wins over an
     * error, as CEL's {@code &&} says); otherwise the report line of the first that erred (an error
     * alone counts as applying), or null when all are true. CEL's variables are made only for a
     * conjunct without a shortcut, or to word a shortcut's error.
     */
    private static String requestPart(CompiledDirective cd, PrincipalFacts facts, Request request) {
        Activation activation = null;
        String errorLine = null;
        for (CompiledDirective.Conjunct c : cd.withRequest) {
            if (c.shortcut() != null) {
                byte state = c.shortcut().eval(facts, request);
                if (state == FALSE) {
                    return NOT_APPLYING;
                }
                if (state == ERROR && errorLine == null) {
                    activation = activation != null ? activation : new Activation(facts, request);
                    errorLine = cd.errorLine(c.errorMessage(facts, activation));
                }
                continue;
            }
            activation = activation != null ? activation : new Activation(facts, request);
            try {
                Object r = c.program().eval(activation);
                if (r instanceof Boolean b) {
                    if (!b) {
                        return NOT_APPLYING;
                    }
                } else if (errorLine == null) {
                    errorLine = cd.errorLine("expected a bool, got " + r);
                }
            } catch (CelEvaluationException | RuntimeException e) {
                if (errorLine == null) {
                    errorLine = cd.errorLine(CompiledDirective.Conjunct.message(e));
                }
            }
        }
        return errorLine;
    }

    /** The facts must be the request's principal's. */
    private static void checkPrincipal(PrincipalFacts facts, Request request) {
        String id = request.principal();
        if (!facts.isFor(id)) {
            throw new IllegalArgumentException(
                    "request is for principal '" + id + "' but facts are for '" + facts.id + "'");
        }
    }

    /** A request conjunct's state alone (its error, if any, is reported by {@link #decide}). */
    private static byte state(
            CompiledDirective.Conjunct c, PrincipalFacts facts, Request request, Activation activation) {
        if (c.shortcut() != null) {
            return c.shortcut().eval(facts, request);
        }
        try {
            Object r = c.program().eval(activation);
            return Boolean.TRUE.equals(r) ? TRUE : r instanceof Boolean ? FALSE : ERROR;
        } catch (CelEvaluationException | RuntimeException e) {
            return ERROR;
        }
    }

    /**
     * The message of a denial whose directives give none: the model, or for a directive scoped to
     * capabilities, the capability of the model that is restricted (the rest of the model is not).
     * A whole-model denial by one directive, the common case, is built once per (directive, model).
     */
    private static String defaultMessage(CompiledDirective first, Request request, List<String> hits) {
        if (!first.allCapabilities) {
            for (String c : request.capabilities()) {
                if (first.coversCapability(c.toLowerCase(Locale.ROOT))) {
                    return "Capability '" + c + "' of model '" + request.model() + "'" + by(hits);
                }
            }
        }
        return hits.size() == 1 ? first.restrictedMessage(request.model()) : restrictedMessage(request.model(), hits);
    }

    /** The message of a whole-model denial by {@code hits}. */
    static String restrictedMessage(String model, List<String> hits) {
        return "Access to model '" + model + "'" + by(hits);
    }

    private static String by(List<String> hits) {
        return " is restricted by directive " + String.join(", ", hits) + ".";
    }

    private static final byte FALSE = CompiledDirective.FALSE;
    private static final byte TRUE = CompiledDirective.TRUE;
    private static final byte ERROR = CompiledDirective.ERROR;

    /**
     * The CEL variables of one decision, made at most once per decision and only when a conjunct has
     * no shortcut; the request is adapted for CEL only when such a conjunct reads it.
     */
    private static final class Activation implements CelVariableResolver {
        private final Request request;
        private final Optional<Object> principal;
        private Optional<Object> requestValue;

        Activation(PrincipalFacts facts, Request request) {
            this.request = request;
            this.principal = Optional.of(facts.cel());
        }

        @Override
        public Optional<Object> find(String name) {
            return switch (name) {
                case "principal" -> principal;
                case "request" -> {
                    if (requestValue == null) {
                        requestValue = Optional.of(new CelValues.RequestValue(request));
                    }
                    yield requestValue;
                }
                default -> Optional.empty();
            };
        }
    }

    /**
     * One element is the common case: an immutable list of one, which {@link Decision} keeps as it is;
     * more go to a {@link ReportList}, which it keeps too: no list is copied.
     */
    private static List<String> add(List<String> l, String s) {
        if (l == null) {
            return List.of(s);
        }
        if (l instanceof ReportList r) {
            r.append(s);
            return r;
        }
        return new ReportList(l.get(0), s);
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
