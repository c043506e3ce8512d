package dev.clearance.core;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/** A directive with its condition planned: principal-only conjuncts (memoised) and request conjuncts. */
final class CompiledDirective {
    /** Conjunct results: what a {@link Shortcut} returns and what a CEL evaluation is mapped to. */
    static final byte FALSE = 1;

    static final byte TRUE = 2;
    static final byte ERROR = 3;

    /**
     * One conjunct of {@code applies_to}. {@code shortcut} is the same condition as plain Java when
     * its shape is a common one (see {@link Shortcut}), else null; the CEL program stays the
     * reference and explains errors. Planned once per condition text and shared by every directive
     * with that condition, so it knows no directive.
     *
     * <p>A shortcut can only err on an unguarded read of a missing attribute key, so what CEL says
     * about such an error depends only on which of the keys the conjunct reads the principal has:
     * the message is computed once per pattern of present keys and then read, so an error costs
     * what any other answer costs (no CEL evaluation, no exception, no string built per decision).
     */
    static final class Conjunct {
        private final CelRuntime.Program program;
        private final Shortcut shortcut;
        private final String[] attributeKeys;
        private final boolean readsCapabilities;
        private final ConcurrentHashMap<Long, String> messagesByKeysPresent = new ConcurrentHashMap<>();

        /** @param readsCapabilities whether the condition reads {@code request.capabilities} */
        Conjunct(CelRuntime.Program program, Shortcut shortcut, List<String> attributeKeys, boolean readsCapabilities) {
            this.program = program;
            this.shortcut = shortcut;
            this.attributeKeys = attributeKeys.toArray(String[]::new);
            this.readsCapabilities = readsCapabilities;
        }

        CelRuntime.Program program() {
            return program;
        }

        Shortcut shortcut() {
            return shortcut;
        }

        /** Whether the condition reads {@code request.capabilities}: what a request's content asks for can change it. */
        boolean readsCapabilities() {
            return readsCapabilities;
        }

        /**
         * What CEL says about this conjunct's error on these variables (the principal's facts and,
         * for a request conjunct, the request).
         */
        String errorMessage(PrincipalFacts facts, CelVariableResolver variables) {
            if (shortcut == null || attributeKeys.length > 16) {
                return celError(variables);
            }
            long present = 0;
            var attributes = facts.principal().attributes();
            for (int i = 0; i < attributeKeys.length; i++) {
                if (attributes.containsKey(attributeKeys[i])) {
                    present |= 1L << i;
                }
            }
            String message = messagesByKeysPresent.get(present);
            if (message == null) {
                message = celError(variables);
                messagesByKeysPresent.putIfAbsent(present, message);
            }
            return message;
        }

        /** The message of an evaluation that failed with {@code e}. */
        static String message(Exception e) {
            return e instanceof CelEvaluationException
                    ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
        }

        /** Evaluates with CEL to say why the conjunct errs (the first time only, for a shortcut). */
        private String celError(CelVariableResolver variables) {
            try {
                Object r = program.eval(variables);
                return "expected a bool, got " + r;
            } catch (CelEvaluationException | RuntimeException e) {
                return message(e);
            }
        }
    }

    private final Directive directive;
    /** Position in the policy (directives sorted by id): the bit of this directive in a principal's memo. */
    final int index;

    final Conjunct[] principalOnly;
    final Conjunct[] withRequest;
    private final String[] models;
    private final String[] capabilities;
    final boolean allCapabilities;
    /**
     * Whether the capabilities a request names can change whether this directive hits: its scope names
     * capabilities, or its condition reads {@code request.capabilities}.
     */
    final boolean capabilityDependent;

    private final String[] exemptLicenses;
    /** {@link Directive#effectiveFrom} in epoch milliseconds (floor), read by {@link InForce} too. */
    final long fromMillis;
    /** {@link Directive#effectiveUntil} in epoch milliseconds (floor), {@link Long#MAX_VALUE} when open-ended. */
    final long untilMillis;

    final boolean shadow;
    private final ConcurrentHashMap<String, String> restrictedMessages = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> errorLines = new ConcurrentHashMap<>();

    CompiledDirective(Directive d, int index, Conjunct[] principalOnly, Conjunct[] withRequest) {
        this.directive = d;
        this.index = index;
        this.principalOnly = principalOnly;
        this.withRequest = withRequest;
        // Globs over canonical keys: a directive on "mythos-5" also covers "MYTHOS-5" and "library/mythos-5".
        this.models = d.models().stream().map(ModelName::key).toArray(String[]::new);
        // Capability names compare case-insensitively: globs and names are matched in lower case.
        this.capabilities =
                d.capabilities().stream().map(c -> c.toLowerCase(Locale.ROOT)).toArray(String[]::new);
        this.allCapabilities = d.capabilities().contains("*");
        boolean reads = false;
        for (Conjunct c : withRequest) {
            reads |= c.readsCapabilities();
        }
        this.capabilityDependent = !allCapabilities || reads;
        this.exemptLicenses = d.exemptLicenses().toArray(String[]::new);
        this.fromMillis = d.effectiveFrom().toEpochMilli();
        this.untilMillis =
                d.effectiveUntil() == null ? Long.MAX_VALUE : d.effectiveUntil().toEpochMilli();
        this.shadow = d.mode() == Directive.Mode.SHADOW;
    }

    Directive directive() {
        return directive;
    }

    /**
     * The decision's report line of an error of this directive's condition that CEL described as
     * {@code message}: built once per message (a directive's conditions err in few ways), so a
     * memoised or repeated error adds no string to a decision.
     */
    String errorLine(String message) {
        String line = errorLines.get(message);
        if (line == null) {
            line = "directive '" + directive.id() + "': applies_to could not be evaluated, counted as applying: "
                    + message;
            if (errorLines.size() < 64) {
                errorLines.putIfAbsent(message, line);
            }
        }
        return line;
    }

    /**
     * The summary message of a denial by this directive alone when it has no message of its own:
     * the same few models are denied again and again, so it is built once per model name (bounded
     * like the policy's model index).
     */
    String restrictedMessage(String model) {
        String m = restrictedMessages.get(model);
        if (m == null) {
            m = DecisionPoint.restrictedMessage(model, List.of(directive.id()));
            if (model.length() <= ModelName.MAX_LENGTH && restrictedMessages.size() < 10_000) {
                restrictedMessages.putIfAbsent(model, m);
            }
        }
        return m;
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

    /**
     * Whether one requested capability brings the request into this directive's capability scope;
     * {@code capability} is in lower case.
     */
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
    boolean exempts(PrincipalFacts p, String model, Instant time) {
        if (exemptLicenses.length == 0 || !p.holdsLicenses) {
            return false;
        }
        List<License> licenses = p.licenses;
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
}
