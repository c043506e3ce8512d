package dev.clearance.store;

import dev.clearance.core.Principal;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The principals Clearance decides about. Each write gives the principal a new version (the
 * sequence number of the change that wrote it), so caches can tell stale entries apart.
 */
public interface PrincipalRegistry {

    /**
     * Inserts or replaces one principal; returns what is now stored. What is stored is the canonical
     * JSON of {@code Json.writePrincipal}: screening results are not part of it (the screening module
     * keeps them in its own tables), so a principal read back has {@code Screening.NOT_SCREENED}.
     */
    StoredPrincipal put(Principal principal, String by);

    /** The principal with this id, or empty when there is none. */
    Optional<StoredPrincipal> get(String id);

    /** Removes a principal; returns whether it existed. Its API keys stop resolving to anyone. */
    boolean delete(String id, String by);

    /**
     * Imports principals in one transaction, written in batches as {@code source} hands them over
     * (it may read a file line by line, so memory does not grow with the input). All or nothing: if
     * the source throws, or an id appears twice, nothing is stored and the source's exception
     * propagates unchanged. Existing principals with other ids are kept.
     *
     * <pre>{@code store.principals().importAll(sink -> PrincipalFile.stream(file, (p, line) -> sink.accept(p)), "ann");}</pre>
     *
     * @return how many principals, and the version they all received
     * @throws StoreException.DuplicatePrincipal when an id appears twice in the input
     * @throws X                                 what the source threw
     */
    <X extends Exception> ImportResult importAll(Source<X> source, String by) throws X;

    /** Number of stored principals. */
    long count();

    /**
     * Calls {@code action} for every stored principal, in id order, streaming from the database
     * (for simulation over the whole population).
     */
    void forEach(Consumer<StoredPrincipal> action);

    /** Hands principals to the import, one at a time. */
    @FunctionalInterface
    interface Source<X extends Exception> {
        void feed(Consumer<Principal> sink) throws X;
    }

    /**
     * @param count   principals imported
     * @param version the version every imported principal now has
     */
    record ImportResult(long count, long version) {}
}
