package dev.clearance.store;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Everything Clearance keeps: principals, API keys, every version of every directive, the policy
 * versions made of them, and a feed of changes that gateway nodes follow.
 *
 * <p>Two databases sit behind it: SQLite (embedded default, one file under the data directory) and
 * PostgreSQL (shared by several gateway nodes). {@link #open(String)} is the one way to open either;
 * the schema is migrated on open.
 *
 * <p>Fail closed: every method either returns what the database holds or throws
 * {@link StoreException}. A lost database never reads as "no directives" or "no keys".
 */
public interface Store extends AutoCloseable {

    /** Principals, stored as their canonical JSON with a monotonically increasing version. */
    PrincipalRegistry principals();

    /** API keys: random, shown once, stored as SHA-256 hashes. */
    ApiKeys keys();

    /** Every version of every directive with its full who/when/why history. */
    DirectiveVersions directives();

    /** Policy versions: which directive versions are active together, and since when. */
    PolicyVersions policies();

    /** A monotonic feed of changes, so other nodes notice new policies, principals and revoked keys. */
    ChangeFeed changes();

    /** The gateway nodes on this store: what each enforces, since when, and when each was last seen. */
    Fleet fleet();

    /** What {@code clearance serve} loaded from its directive and principal files, and when. */
    FileLoads fileLoads();

    /** Users and groups provisioned over SCIM, with the principals they provision. */
    Provisioning provisioning();

    /** The underlying database, for modules that keep their own tables next to the store's. */
    Database database();

    /** Closes the connection pools; the store is unusable afterwards. */
    @Override
    void close();

    /**
     * Opens the store a JDBC URL names: {@code jdbc:sqlite:<file>} or
     * {@code jdbc:postgresql://host:port/db?user=..&password=..}. Runs pending migrations.
     *
     * @throws StoreException when the database cannot be reached or migrated
     */
    static Store open(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            String file = jdbcUrl.substring("jdbc:sqlite:".length());
            int query = file.indexOf('?');
            if (query >= 0) {
                throw new StoreException("store URL '" + redact(jdbcUrl)
                        + "': SQLite takes no parameters (the pragmas are fixed); remove everything from '?'");
            }
            if (file.isEmpty() || file.equals(":memory:")) {
                throw new StoreException(
                        "store URL '" + jdbcUrl + "': SQLite needs a file (jdbc:sqlite:<file>), not '" + file + "'");
            }
            return new JdbcStore(SqliteDatabase.open(Path.of(file), Clock.systemUTC()));
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return new JdbcStore(PostgresDatabase.open(jdbcUrl, Clock.systemUTC()));
        }
        throw new StoreException("store URL '" + redact(jdbcUrl) + "' is not supported (expected jdbc:sqlite:<file> or"
                + " jdbc:postgresql://...)");
    }

    /** The URL with any password ({@code password=...} or {@code user:password@}) replaced by {@code ***}, for messages. */
    static String redact(String jdbcUrl) {
        return Redaction.redactUrl(jdbcUrl);
    }
}
