package dev.clearance.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A directive as written: a versioned order restricting which principals may use which models.
 * Parsed and validated by {@link DirectiveParser}; compiled with its CEL condition by {@link Policy#compile}.
 *
 * @param effectiveUntil exclusive end, or {@code null} when open-ended
 * @param models         model globs ({@code *} matches any run of characters; the whole name must match)
 * @param capabilities   capability globs; {@code ["*"]} (the default) matches every request
 * @param appliesTo      CEL expression of type bool over {@code principal} and {@code request}
 * @param exemptLicenses license types that exempt their holder (valid at the request time, covering the model)
 * @param source         where it was written, for located errors
 */
public record Directive(
        String id,
        String title,
        String authority,
        String reference,
        Instant effectiveFrom,
        Instant effectiveUntil,
        List<String> models,
        List<String> capabilities,
        String appliesTo,
        Effect effect,
        List<String> exemptLicenses,
        Mode mode,
        String message,
        Source source) {

    public enum Effect {
        DENY
    }

    public enum Mode {
        ENFORCE,
        SHADOW;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Where a directive came from: file (or other name), the line and column of the document and of
     * the {@code applies_to} value, and the document's text (what the store keeps as the original).
     *
     * @param appliesToLine   1-based line of the first character of the expression
     * @param appliesToColumn 1-based column of the first character of the expression
     * @param blockScalar     the expression is a YAML block scalar: expression line k is file line appliesToLine + k - 1 at appliesToColumn
     */
    public record Source(
            String file,
            int line,
            int column,
            int appliesToLine,
            int appliesToColumn,
            boolean blockScalar,
            String text) {
        public static Source of(String file) {
            return new Source(file, 1, 1, 1, 1, false, "");
        }
    }

    public Directive {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        authority = authority == null ? "" : authority;
        reference = reference == null ? "" : reference;
        Objects.requireNonNull(effectiveFrom, "effective_from");
        models = List.copyOf(models);
        capabilities = List.copyOf(capabilities == null || capabilities.isEmpty() ? List.of("*") : capabilities);
        Objects.requireNonNull(appliesTo, "applies_to");
        effect = effect == null ? Effect.DENY : effect;
        exemptLicenses = List.copyOf(exemptLicenses == null ? List.of() : exemptLicenses);
        mode = mode == null ? Mode.ENFORCE : mode;
        message = message == null ? "" : message;
        source = source == null ? Source.of("<unknown>") : source;
    }

    /** In force at {@code time}: {@code effectiveFrom <= time < effectiveUntil}. */
    public boolean activeAt(Instant time) {
        return !time.isBefore(effectiveFrom) && (effectiveUntil == null || time.isBefore(effectiveUntil));
    }
}
