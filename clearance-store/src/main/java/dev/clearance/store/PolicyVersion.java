package dev.clearance.store;

import java.time.Instant;
import java.util.List;

/**
 * An activated policy: the directive versions enforced together from {@code activatedAt} until the
 * next policy version.
 *
 * @param number      1, 2, 3, ... in activation order
 * @param contentHash the compiled policy's version ({@code Policy.version()}), as decisions report it
 * @param directives  its directive versions, ordered by id
 */
public record PolicyVersion(
        long number,
        String contentHash,
        Instant activatedAt,
        String activatedBy,
        String reason,
        List<DirectiveVersion> directives) {
    public PolicyVersion {
        directives = List.copyOf(directives);
    }
}
