package dev.clearance.gateway.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.store.ProvisionedUser;
import dev.clearance.store.Provisioning;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Users: each provisions the principal its userName names; {@code active: false} or a delete withdraws
 * that principal and revokes its API keys in the same transaction ({@link Provisioning}).
 */
record Users(Provisioning provisioning) implements ResourceType<ProvisionedUser, ProvisionedUser.Draft> {
    @Override
    public String name() {
        return "User";
    }

    @Override
    public List<String> schemas() {
        return List.of(UserResources.CORE, UserResources.EXTENSION, UserResources.ENTERPRISE);
    }

    @Override
    public ProvisionedUser.Draft read(ObjectNode resource) {
        return UserResources.read(resource);
    }

    @Override
    public ObjectNode write(ProvisionedUser user, String base) {
        return UserResources.write(user, base);
    }

    @Override
    public String id(ProvisionedUser user) {
        return user.id();
    }

    @Override
    public long version(ProvisionedUser user) {
        return user.version();
    }

    @Override
    public String describe(ProvisionedUser user) {
        return user.user().userName() + ", " + (user.user().active() ? "active" : "inactive");
    }

    @Override
    public ProvisionedUser create(ProvisionedUser.Draft draft, String by, String why) {
        return provisioning.createUser(draft, by, why);
    }

    @Override
    public Optional<ProvisionedUser> find(String id) {
        return provisioning.user(id);
    }

    @Override
    public ProvisionedUser replace(
            String id, OptionalLong ifVersion, ProvisionedUser.Draft draft, String by, String why) {
        return provisioning.replaceUser(id, ifVersion, draft, by, why);
    }

    @Override
    public void delete(String id, OptionalLong ifVersion, String by, String why) {
        provisioning.deleteUser(id, ifVersion, by, why);
    }

    @Override
    public Provisioning.Page<ProvisionedUser> list(String filter, long offset, int count) {
        return ScimFilters.users(filter)
                .map(q -> provisioning.users(q, offset, count))
                .orElse(new Provisioning.Page<>(0, List.of()));
    }
}
