package dev.clearance.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code clearance serve} loaded from its directive and principal files, one row per load,
 * never changed. A start compares its files with the last load of the same path: unchanged files
 * change nothing, so what was changed over the admin API or the CLI since survives a restart; and
 * changed files are checked against what changed in the store since that load before they are applied.
 */
public interface FileLoads {

    /** Which kind of file was loaded. */
    enum Source {
        DIRECTIVES("directives"),
        PRINCIPALS("principals");

        private final String wireName;

        Source(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Source fromWire(String s) {
            for (Source source : values()) {
                if (source.wireName.equals(s)) {
                    return source;
                }
            }
            throw new StoreException("unknown file load source '" + s + "'");
        }
    }

    /**
     * One load.
     *
     * @param contentHash    what the files held: for directives the compiled policy's version, for principals
     *                       the SHA-256 of the file
     * @param policyNumber   directives: the policy version in force after the load; 0 for principals
     * @param changeSequence principals: the import's change; directives: the change feed position after the load
     */
    record FileLoad(
            long sequence,
            Source source,
            String path,
            String contentHash,
            long policyNumber,
            long changeSequence,
            Instant loadedAt,
            String loadedBy) {}

    /**
     * A principal written or deleted after some point of the change feed.
     *
     * @param document the principal's stored canonical JSON now, or null when it was deleted
     * @param by       who wrote it; empty for a deletion (the store keeps no row of a deleted principal)
     * @param sequence the change that wrote or deleted it
     */
    record PrincipalChange(String id, String document, String by, Instant at, long sequence) {
        public boolean deleted() {
            return document == null;
        }
    }

    /** The last load of this path, if any. */
    Optional<FileLoad> last(Source source, String path);

    /** The last load of this kind from any path, if any. */
    Optional<FileLoad> last(Source source);

    /** Records a load; {@code policyNumber} 0 for principals. */
    FileLoad record(Source source, String path, String contentHash, long policyNumber, long changeSequence, String by);

    /**
     * Principals written or deleted after change {@code sequence}, one per id (its latest change), by id.
     * A principal deleted and written again since reads as written.
     */
    List<PrincipalChange> principalChangesSince(long sequence);
}
