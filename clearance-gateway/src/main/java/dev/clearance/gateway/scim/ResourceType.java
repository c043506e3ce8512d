package dev.clearance.gateway.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.store.Provisioning;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one kind of SCIM resource (User, Group) supplies to {@link ResourceService}: how it is read from
 * and written to JSON, and where it is stored.
 *
 * @param <R> the stored resource
 * @param <D> what a client sends to create or replace one
 */
interface ResourceType<R, D> {

    /** The resource type's name, as in {@code meta.resourceType}. */
    String name();

    /** The schema URNs its attributes may be qualified with (PATCH paths). */
    List<String> schemas();

    /** Reads and checks a resource a client sent. @throws ScimError 400 naming what is wrong */
    D read(ObjectNode resource);

    ObjectNode write(R resource, String base);

    String id(R resource);

    long version(R resource);

    /** A few words for the log line of a change. */
    String describe(R resource);

    R create(D draft, String by, String why);

    Optional<R> find(String id);

    R replace(String id, OptionalLong ifVersion, D draft, String by, String why);

    void delete(String id, OptionalLong ifVersion, String by, String why);

    /** The page of resources a filter matches ({@link ScimFilters}). */
    Provisioning.Page<R> list(String filter, long offset, int count);
}
