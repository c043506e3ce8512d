package dev.clearance.gateway.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.store.ProvisionedGroup;
import dev.clearance.store.Provisioning;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Groups: organizations. A change of membership or of a group's name is a change of its members'
 * principals ({@code organization}), made in the same transaction.
 */
record Groups(Provisioning provisioning) implements ResourceType<ProvisionedGroup, ProvisionedGroup.Draft> {
    @Override
    public String name() {
        return "Group";
    }

    @Override
    public List<String> schemas() {
        return List.of(GroupResources.CORE);
    }

    /** The group as sent; a member that names no user is the client's error (400), not a missing group. */
    @Override
    public ProvisionedGroup.Draft read(ObjectNode resource) {
        ProvisionedGroup.Draft draft = GroupResources.read(resource);
        for (String member : draft.memberIds()) {
            if (provisioning.user(member).isEmpty()) {
                throw ScimError.invalidValue("members: no user '" + member + "'");
            }
        }
        return draft;
    }

    @Override
    public ObjectNode write(ProvisionedGroup group, String base) {
        return GroupResources.write(group, base);
    }

    @Override
    public String id(ProvisionedGroup group) {
        return group.id();
    }

    @Override
    public long version(ProvisionedGroup group) {
        return group.version();
    }

    @Override
    public String describe(ProvisionedGroup group) {
        return group.displayName() + ", " + group.members().size() + " members";
    }

    @Override
    public ProvisionedGroup create(ProvisionedGroup.Draft draft, String by, String why) {
        return provisioning.createGroup(draft, by, why);
    }

    @Override
    public Optional<ProvisionedGroup> find(String id) {
        return provisioning.group(id);
    }

    @Override
    public ProvisionedGroup replace(
            String id, OptionalLong ifVersion, ProvisionedGroup.Draft draft, String by, String why) {
        return provisioning.replaceGroup(id, ifVersion, draft, by, why);
    }

    @Override
    public void delete(String id, OptionalLong ifVersion, String by, String why) {
        provisioning.deleteGroup(id, ifVersion, by, why);
    }

    @Override
    public Provisioning.Page<ProvisionedGroup> list(String filter, long offset, int count) {
        return ScimFilters.groups(filter)
                .map(q -> provisioning.groups(q, offset, count))
                .orElse(new Provisioning.Page<>(0, List.of()));
    }
}
