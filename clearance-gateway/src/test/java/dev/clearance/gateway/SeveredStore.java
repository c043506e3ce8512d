package dev.clearance.gateway;

import dev.clearance.store.ApiKeys;
import dev.clearance.store.Change;
import dev.clearance.store.ChangeFeed;
import dev.clearance.store.Database;
import dev.clearance.store.DirectiveVersions;
import dev.clearance.store.FileLoads;
import dev.clearance.store.Fleet;
import dev.clearance.store.FleetNode;
import dev.clearance.store.PolicyApplication;
import dev.clearance.store.PolicyVersions;
import dev.clearance.store.PrincipalRegistry;
import dev.clearance.store.Provisioning;
import dev.clearance.store.PublishedCheckpoint;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A store a test can cut this node off from: while severed, following the change feed and the fleet
 * bookkeeping fail as they do when the database is down; everything else still answers.
 */
final class SeveredStore implements Store {
    private final Store store;
    private volatile boolean severed;

    SeveredStore(Store store) {
        this.store = store;
    }

    void sever() {
        severed = true;
    }

    void restore() {
        severed = false;
    }

    private void check() {
        if (severed) {
            throw new StoreException("store unreachable (severed by the test)");
        }
    }

    @Override
    public ChangeFeed changes() {
        ChangeFeed feed = store.changes();
        return new ChangeFeed() {
            @Override
            public long lastSequence() {
                check();
                return feed.lastSequence();
            }

            @Override
            public List<Change> since(long after, int limit) {
                check();
                return feed.since(after, limit);
            }

            @Override
            public Subscription subscribe() {
                check();
                Subscription s = feed.subscribe();
                return new Subscription() {
                    @Override
                    public List<Change> next(long after, Duration timeout) throws InterruptedException {
                        check();
                        List<Change> changes = s.next(after, timeout);
                        check();
                        return changes;
                    }

                    @Override
                    public long currentAsOf() {
                        return s.currentAsOf();
                    }

                    @Override
                    public void close() {
                        s.close();
                    }
                };
            }
        };
    }

    @Override
    public Fleet fleet() {
        Fleet fleet = store.fleet();
        return new Fleet() {
            @Override
            public void register(String node, String logKey, String logDirectory) {
                check();
                fleet.register(node, logKey, logDirectory);
            }

            @Override
            public void heartbeat(String node) {
                check();
                fleet.heartbeat(node);
            }

            @Override
            public void applied(PolicyApplication application) {
                check();
                fleet.applied(application);
            }

            @Override
            public void publish(PublishedCheckpoint checkpoint) {
                check();
                fleet.publish(checkpoint);
            }

            @Override
            public List<FleetNode> nodes() {
                check();
                return fleet.nodes();
            }

            @Override
            public List<PolicyApplication> applications(String node) {
                check();
                return fleet.applications(node);
            }

            @Override
            public List<PublishedCheckpoint> checkpoints(String node) {
                check();
                return fleet.checkpoints(node);
            }

            @Override
            public Optional<PublishedCheckpoint> latestCheckpoint(String node) {
                check();
                return fleet.latestCheckpoint(node);
            }
        };
    }

    @Override
    public PrincipalRegistry principals() {
        return store.principals();
    }

    @Override
    public ApiKeys keys() {
        return store.keys();
    }

    @Override
    public DirectiveVersions directives() {
        return store.directives();
    }

    @Override
    public PolicyVersions policies() {
        return store.policies();
    }

    @Override
    public FileLoads fileLoads() {
        return store.fileLoads();
    }

    @Override
    public Provisioning provisioning() {
        return store.provisioning();
    }

    @Override
    public Database database() {
        return store.database();
    }

    @Override
    public void close() {
        store.close();
    }
}
