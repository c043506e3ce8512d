package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.Principal;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link Provisioning} promises; run against SQLite and PostgreSQL. */
abstract class ProvisioningContract {
    static final String SCIM = "scim:okta";
    Store store;
    Provisioning provisioning;

    abstract Store newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
        provisioning = store.provisioning();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static ProvisionedUser.Draft user(String userName, boolean active, String... citizenships) {
        return new ProvisionedUser.Draft(
                userName,
                Optional.of("ext-" + userName),
                active,
                "{\"displayName\":\"" + userName + "\"}",
                Principal.builder(userName).citizenships(citizenships).build());
    }

    @Test
    void a_created_user_gets_a_new_id_and_provisions_its_principal() {
        ProvisionedUser created = provisioning.createUser(user("alice", true, "US"), SCIM, "POST /Users");

        assertThat(created.id()).isNotBlank().isNotEqualTo("alice");
        assertThat(provisioning.user(created.id())).contains(created);
        assertThat(store.principals().get("alice"))
                .hasValueSatisfying(
                        p -> assertThat(p.principal().citizenships()).containsExactly("US"));
        assertThat(created.created()).isEqualTo(created.lastModified());
    }

    @Test
    void user_names_are_unique_whatever_their_case() {
        provisioning.createUser(user("alice", true, "US"), SCIM, "");

        assertThatThrownBy(() -> provisioning.createUser(user("ALICE", true, "DE"), SCIM, ""))
                .isInstanceOf(StoreException.Conflict.class)
                .hasMessageContaining("userName 'ALICE' is already provisioned");
        assertThat(provisioning.users(Provisioning.UserQuery.ALL, 0, 10).total())
                .isEqualTo(1);
    }

    @Test
    void a_principal_that_was_not_provisioned_is_never_taken_over() {
        store.principals().put(Principal.builder("bob").citizenships("US").build(), "admin");

        assertThatThrownBy(() -> provisioning.createUser(user("bob", true, "CN"), SCIM, ""))
                .isInstanceOf(StoreException.Conflict.class)
                .hasMessageContaining("a principal 'bob' exists that was not provisioned");
        assertThat(store.principals().get("bob").orElseThrow().principal().citizenships())
                .containsExactly("US");
    }

    @Test
    void deactivating_a_user_removes_its_principal_and_revokes_its_keys() {
        ProvisionedUser u = provisioning.createUser(user("alice", true, "US"), SCIM, "");
        String key = store.keys().create("alice", "admin").key();

        ProvisionedUser off =
                provisioning.replaceUser(u.id(), OptionalLong.empty(), user("alice", false, "US"), SCIM, "deactivate");

        assertThat(off.user().active()).isFalse();
        assertThat(off.version()).isGreaterThan(u.version());
        assertThat(store.principals().get("alice")).isEmpty();
        assertThat(store.keys().lookup(key)).isEmpty();
        assertThat(store.keys().of("alice"))
                .allSatisfy(k -> assertThat(k.revokedBy()).isEqualTo(SCIM));
        // The facts are kept, so the identity provider can reactivate the user.
        assertThat(provisioning.user(u.id()).orElseThrow().user().principal().citizenships())
                .containsExactly("US");

        provisioning.replaceUser(u.id(), OptionalLong.empty(), user("alice", true, "US"), SCIM, "reactivate");

        assertThat(store.principals().get("alice")).isPresent();
        assertThat(store.keys().lookup(key)).as("a revoked key stays revoked").isEmpty();
    }

    @Test
    void deleting_a_user_removes_it_its_principal_and_its_keys() {
        ProvisionedUser u = provisioning.createUser(user("alice", true, "US"), SCIM, "");
        String key = store.keys().create("alice", "admin").key();

        provisioning.deleteUser(u.id(), OptionalLong.empty(), SCIM, "DELETE /Users");

        assertThat(provisioning.user(u.id())).isEmpty();
        assertThat(store.principals().get("alice")).isEmpty();
        assertThat(store.keys().lookup(key)).isEmpty();
        assertThatThrownBy(() -> provisioning.deleteUser(u.id(), OptionalLong.empty(), SCIM, ""))
                .isInstanceOf(StoreException.NotFound.class);
    }

    @Test
    void a_renamed_user_provisions_its_new_principal_and_withdraws_the_old_one() {
        ProvisionedUser u = provisioning.createUser(user("alice", true, "US"), SCIM, "");

        provisioning.replaceUser(u.id(), OptionalLong.empty(), user("alice.walker", true, "US"), SCIM, "rename");

        assertThat(store.principals().get("alice")).isEmpty();
        assertThat(store.principals().get("alice.walker")).isPresent();
    }

    @Test
    void a_write_naming_a_stale_version_changes_nothing() {
        ProvisionedUser u = provisioning.createUser(user("alice", true, "US"), SCIM, "");
        provisioning.replaceUser(u.id(), OptionalLong.of(u.version()), user("alice", true, "FR"), SCIM, "");

        assertThatThrownBy(() -> provisioning.replaceUser(
                        u.id(), OptionalLong.of(u.version()), user("alice", true, "CN"), SCIM, ""))
                .isInstanceOf(Provisioning.StaleVersion.class);
        assertThatThrownBy(() -> provisioning.deleteUser(u.id(), OptionalLong.of(u.version()), SCIM, ""))
                .isInstanceOf(Provisioning.StaleVersion.class);
        assertThat(store.principals().get("alice").orElseThrow().principal().citizenships())
                .containsExactly("FR");
    }

    @Test
    void users_are_found_by_user_name_without_regard_to_case_by_external_id_and_by_activity() {
        ProvisionedUser alice = provisioning.createUser(user("alice@example.com", true, "US"), SCIM, "");
        provisioning.createUser(user("bob", false, "US"), SCIM, "");

        assertThat(provisioning
                        .users(
                                new Provisioning.UserQuery(
                                        Optional.empty(),
                                        Optional.of("Alice@Example.COM"),
                                        Optional.empty(),
                                        Optional.empty()),
                                0,
                                10)
                        .items())
                .extracting(ProvisionedUser::id)
                .containsExactly(alice.id());
        assertThat(provisioning
                        .users(
                                new Provisioning.UserQuery(
                                        Optional.empty(), Optional.empty(), Optional.of("ext-bob"), Optional.of(false)),
                                0,
                                10)
                        .items())
                .extracting(u -> u.user().userName())
                .containsExactly("bob");
        assertThat(provisioning
                        .users(
                                new Provisioning.UserQuery(
                                        Optional.empty(), Optional.empty(), Optional.of("ext-bob"), Optional.of(true)),
                                0,
                                10)
                        .total())
                .isZero();
    }

    @Test
    void a_page_holds_at_most_count_users_in_creation_order_and_says_how_many_there_are() {
        for (String name : List.of("u1", "u2", "u3", "u4", "u5")) {
            provisioning.createUser(user(name, true, "US"), SCIM, "");
        }

        Provisioning.Page<ProvisionedUser> page = provisioning.users(Provisioning.UserQuery.ALL, 1, 2);

        assertThat(page.total()).isEqualTo(5);
        assertThat(page.items()).extracting(u -> u.user().userName()).containsExactly("u2", "u3");
    }

    @Test
    void a_group_is_an_organization_whose_members_principals_name_it() {
        ProvisionedUser alice = provisioning.createUser(user("alice", true, "US"), SCIM, "");
        ProvisionedUser bob = provisioning.createUser(user("bob", true, "US"), SCIM, "");

        ProvisionedGroup g = provisioning.createGroup(
                new ProvisionedGroup.Draft("acme-labs", Optional.of("g-1"), List.of(alice.id(), bob.id())), SCIM, "");

        assertThat(g.members()).extracting(ProvisionedGroup.Member::userName).containsExactly("alice", "bob");
        assertThat(store.principals().get("alice").orElseThrow().principal().organization())
                .isEqualTo("acme-labs");

        ProvisionedGroup renamed = provisioning.replaceGroup(
                g.id(),
                OptionalLong.empty(),
                new ProvisionedGroup.Draft("acme", Optional.empty(), List.of(bob.id())),
                SCIM,
                "");

        assertThat(renamed.members())
                .extracting(ProvisionedGroup.Member::userName)
                .containsExactly("bob");
        assertThat(store.principals().get("alice").orElseThrow().principal().organization())
                .isEmpty();
        assertThat(store.principals().get("bob").orElseThrow().principal().organization())
                .isEqualTo("acme");

        provisioning.deleteGroup(g.id(), OptionalLong.empty(), SCIM, "");

        assertThat(provisioning.group(g.id())).isEmpty();
        assertThat(store.principals().get("bob").orElseThrow().principal().organization())
                .isEmpty();
    }

    @Test
    void a_group_naming_an_unknown_member_changes_nothing() {
        ProvisionedUser alice = provisioning.createUser(user("alice", true, "US"), SCIM, "");

        assertThatThrownBy(() -> provisioning.createGroup(
                        new ProvisionedGroup.Draft("acme", Optional.empty(), List.of(alice.id(), "nobody")), SCIM, ""))
                .isInstanceOf(StoreException.NotFound.class)
                .hasMessageContaining("no user 'nobody'");
        assertThat(provisioning.groups(Provisioning.GroupQuery.ALL, 0, 10).total())
                .isZero();
        assertThat(store.principals().get("alice").orElseThrow().principal().organization())
                .isEmpty();
    }

    @Test
    void every_write_is_in_the_append_only_history_with_who_and_why() {
        ProvisionedUser u = provisioning.createUser(user("alice", true, "US"), SCIM, "POST /Users");
        provisioning.replaceUser(
                u.id(), OptionalLong.empty(), user("alice", false, "US"), SCIM, "PATCH: replace active");
        provisioning.deleteUser(u.id(), OptionalLong.empty(), SCIM, "DELETE /Users");

        assertThat(provisioning.history(u.id()))
                .extracting(Provisioning.Event::operation, Provisioning.Event::actor, Provisioning.Event::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("create", SCIM, "POST /Users"),
                        org.assertj.core.groups.Tuple.tuple("replace", SCIM, "PATCH: replace active"),
                        org.assertj.core.groups.Tuple.tuple("delete", SCIM, "DELETE /Users"));
        assertThatThrownBy(() -> store.database().write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM provisioning_events")) {
                        return ps.executeUpdate();
                    }
                }))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("append-only");
    }

    @Test
    void principal_changes_made_by_provisioning_are_announced_on_the_change_feed() {
        long before = store.changes().lastSequence();
        ProvisionedUser u = provisioning.createUser(user("alice", true, "US"), SCIM, "");
        provisioning.replaceUser(u.id(), OptionalLong.empty(), user("alice", false, "US"), SCIM, "");

        assertThat(store.changes().since(before, 100))
                .extracting(Change::kind, Change::subject)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(Provisioning.USER_CHANGED, u.id()),
                        org.assertj.core.groups.Tuple.tuple(Change.Kind.PRINCIPAL_PUT, "alice"),
                        org.assertj.core.groups.Tuple.tuple(Change.Kind.PRINCIPAL_DELETED, "alice"));
    }
}
