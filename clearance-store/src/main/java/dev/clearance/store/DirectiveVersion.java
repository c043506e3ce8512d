package dev.clearance.store;

import java.time.Instant;

/**
 * One stored version of a directive: its original YAML document, never overwritten.
 *
 * @param version    1 for the first version of this id, then 2, 3, ...
 * @param sourceFile the file (or other name) it was loaded from, for located errors when re-parsed
 * @param text       the YAML document as written
 * @param textHash   SHA-256 (hex) of {@code text}
 * @param approver   who approved it, or {@code null}
 */
public record DirectiveVersion(
        String directiveId,
        int version,
        String sourceFile,
        String text,
        String textHash,
        DirectiveStatus status,
        String author,
        String approver,
        Instant createdAt) {

    /** {@code id@version}, how the CLI and logs name a version. */
    public String label() {
        return directiveId + "@" + version;
    }
}
