package dev.clearance.store;

import dev.clearance.core.Principal;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The principals Clearance decides about. Each write gives the principal a new version (the
 * sequence number of the change that wrote it), so caches can tell stale entries apart.
 */
public interface PrincipalRegistry {

    /** Inserts or replaces one principal; returns what is now stored. */
    StoredPrincipal put(Principal principal, String by);

    /** The principal with this id, or empty when there is none. */
    Optional<StoredPrincipal> get(String id);

    /** Removes a principal; returns whether it existed. Its API keys stop resolving to anyone. */
    boolean delete(String id, String by);

    /**
     * Imports principals in one transaction, written in batches as the iterator yields them (the
     * iterator may read a file lazily, so memory does not grow with the input). All or nothing: if
     * the iterator throws, or an id appears twice, nothing is stored and the exception propagates.
     * Existing principals with other ids are kept.
     *
     * @return the import's result: how many principals, and the version they all received
     * @throws StoreException.DuplicatePrincipal when an id appears twice in the input
     */
    ImportResult importAll(Iterator<Principal> principals, String by);

    /** Number of stored principals. */
    long count();

    /**
     * Calls {@code action} for every stored principal, in id order, streaming from the database
     * (for simulation over the whole population).
     */
    void forEach(Consumer<StoredPrincipal> action);

    /**
     * @param count   principals imported
     * @param version the version every imported principal now has
     */
    record ImportResult(long count, long version) {}
}
