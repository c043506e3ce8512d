package dev.clearance.screening;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One imported version of a list: what was read, from where, when, and the hash of the bytes.
 * The content hash identifies the version: re-importing identical files gives the same hash,
 * so re-screening can be skipped when nothing changed.
 *
 * @param source      the list format
 * @param origin      where it was read from (a path or URL)
 * @param importedAt  when the import finished
 * @param contentHash {@code sha256:} and the hex SHA-256 of the files' bytes
 * @param parties     the listed parties
 */
public record ListVersion(
        ListSource source, String origin, Instant importedAt, String contentHash, List<ListedParty> parties) {
    public ListVersion {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(importedAt, "importedAt");
        Objects.requireNonNull(contentHash, "contentHash");
        parties = List.copyOf(parties);
    }
}
