package dev.clearance.store;

import java.util.List;
import java.util.Optional;

/**
 * The gateway nodes sharing this store and what each can show: which policy version it enforces
 * and since when (with its decision log's size at that moment), when it was last seen, and the
 * signed checkpoints of its decision log. Each node writes only its own rows; any node or the CLI
 * reads them all ({@link FleetView}).
 *
 * <p>None of these writes waits behind the write lock or appears in the change feed: they are a
 * node's own bookkeeping, written every second, and no other node follows them.
 */
public interface Fleet {

    /**
     * A node started: creates its row, or resets it when the node ran before (same name), keeping
     * its history. The policy it enforces is recorded next, with {@link #applied}.
     *
     * @param logKey       the verifier key of the node's decision log ({@code name+hash+key}), or empty
     * @param logDirectory where the node's decision log is, for auditors who can read it, or empty
     */
    void register(String node, String logKey, String logDirectory);

    /** The node is alive: sets its {@code last_seen} to now. */
    void heartbeat(String node);

    /** The node put a policy version in force: its current state and one more row of its history. */
    void applied(PolicyApplication application);

    /** The node published a signed checkpoint of its decision log. */
    void publish(PublishedCheckpoint checkpoint);

    /** Every node, by name. */
    List<FleetNode> nodes();

    /** The policy versions one node put in force, oldest first. */
    List<PolicyApplication> applications(String node);

    /** The checkpoints one node published, oldest first. */
    List<PublishedCheckpoint> checkpoints(String node);

    /** The last checkpoint one node published. */
    Optional<PublishedCheckpoint> latestCheckpoint(String node);
}
