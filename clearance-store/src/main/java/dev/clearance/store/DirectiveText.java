package dev.clearance.store;

import dev.clearance.core.Directive;
import java.util.Objects;

/**
 * A directive document to store: its id, where it came from and its YAML text.
 * Build one from a parsed directive with {@link #of(Directive)}.
 */
public record DirectiveText(String directiveId, String sourceFile, String text) {
    public DirectiveText {
        Objects.requireNonNull(directiveId, "directiveId");
        Objects.requireNonNull(sourceFile, "sourceFile");
        Objects.requireNonNull(text, "text");
    }

    /** The stored form of a parsed directive: its id, source file and original document text. */
    public static DirectiveText of(Directive directive) {
        return new DirectiveText(
                directive.id(), directive.source().file(), directive.source().text());
    }
}
