package dev.clearance.core;

import dev.cel.runtime.CelRuntime;
import java.time.Instant;
import java.util.List;

/** A directive with its condition planned: principal-only conjuncts (memoised) and request conjuncts. */
final class CompiledDirective {
    /** One conjunct of {@code applies_to}; {@code slot} indexes the principal memo, -1 if it reads the request. */
    record Conjunct(CelRuntime.Program program, int slot) {}

    private final Directive directive;
    final Conjunct[] principalOnly;
    final Conjunct[] withRequest;
    private final String[] models;
    private final String[] capabilities;
    private final boolean allCapabilities;
    private final String[] exemptLicenses;
    private final long fromMillis;
    private final long untilMillis;
    final boolean shadow;

    CompiledDirective(Directive d, Conjunct[] principalOnly, Conjunct[] withRequest) {
        this.directive = d;
        this.principalOnly = principalOnly;
        this.withRequest = withRequest;
        this.models = d.models().toArray(String[]::new);
        this.capabilities = d.capabilities().toArray(String[]::new);
        this.allCapabilities = d.capabilities().contains("*");
        this.exemptLicenses = d.exemptLicenses().toArray(String[]::new);
        this.fromMillis = d.effectiveFrom().toEpochMilli();
        this.untilMillis = d.effectiveUntil() == null ? Long.MAX_VALUE : d.effectiveUntil().toEpochMilli();
        this.shadow = d.mode() == Directive.Mode.SHADOW;
    }

    Directive directive() {
        return directive;
    }

    boolean coversModel(String model) {
        for (String g : models) {
            if (Glob.matches(g, model)) {
                return true;
            }
        }
        return false;
    }

    boolean activeAt(Instant time) {
        long t = time.toEpochMilli();
        if (t != fromMillis && t != untilMillis) {
            return t > fromMillis && t < untilMillis;
        }
        return directive.activeAt(time); // exact boundary: compare with full precision
    }

    boolean inCapabilityScope(List<String> requested) {
        if (allCapabilities) {
            return true;
        }
        for (String cap : requested) {
            for (String g : capabilities) {
                if (Glob.matches(g, cap)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The principal holds a license of an exempting type, valid at {@code time}, covering {@code model}. */
    boolean exempts(Principal p, String model, Instant time) {
        if (exemptLicenses.length == 0) {
            return false;
        }
        for (License l : p.licenses()) {
            for (String type : exemptLicenses) {
                if (type.equals(l.type()) && l.covers(model, time)) {
                    return true;
                }
            }
        }
        return false;
    }
}
