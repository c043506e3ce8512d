package dev.clearance.store;

/**
 * The store over JDBC: one part per resource, each a small class of its own, all reading and
 * writing through one {@link JdbcDatabase} (SQLite or PostgreSQL). {@link Store#open} builds it.
 */
final class JdbcStore implements Store {
    private final JdbcDatabase db;
    private final JdbcPrincipals principals;
    private final JdbcApiKeys keys;
    private final JdbcDirectiveVersions directives;
    private final JdbcPolicyVersions policies;
    private final JdbcChangeFeed changes;
    private final JdbcFleet fleet;
    private final JdbcFileLoads fileLoads;
    private final JdbcProvisioning provisioning;

    JdbcStore(JdbcDatabase db) {
        this.db = db;
        this.principals = new JdbcPrincipals(db);
        this.keys = new JdbcApiKeys(db);
        this.directives = new JdbcDirectiveVersions(db);
        this.policies = new JdbcPolicyVersions(db, directives);
        this.changes = new JdbcChangeFeed(db);
        this.fleet = new JdbcFleet(db);
        this.fileLoads = new JdbcFileLoads(db);
        this.provisioning = new JdbcProvisioning(db, principals, keys);
    }

    @Override
    public PrincipalRegistry principals() {
        return principals;
    }

    @Override
    public ApiKeys keys() {
        return keys;
    }

    @Override
    public DirectiveVersions directives() {
        return directives;
    }

    @Override
    public PolicyVersions policies() {
        return policies;
    }

    @Override
    public ChangeFeed changes() {
        return changes;
    }

    @Override
    public Fleet fleet() {
        return fleet;
    }

    @Override
    public FileLoads fileLoads() {
        return fileLoads;
    }

    @Override
    public Provisioning provisioning() {
        return provisioning;
    }

    @Override
    public Database database() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }

    @Override
    public String toString() {
        return db.toString();
    }
}
