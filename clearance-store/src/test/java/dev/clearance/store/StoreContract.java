package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.License;
import dev.clearance.core.Principal;
import dev.clearance.core.Sha256;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Store} implementation promises; run against SQLite and PostgreSQL. */
abstract class StoreContract {
    Store store;

    /** A fresh, empty, migrated store. */
    abstract Store newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static Principal person(String id, String... citizenships) {
        return new Principal(
                id,
                Principal.Kind.PERSON,
                "Person " + id,
                List.of(citizenships),
                "",
                false,
                "US",
                "",
                "Acme",
                2,
                List.of(new License(
                        "L-" + id,
                        "deemed_export",
                        List.of("frontier-*"),
                        Instant.parse("2026-01-01T00:00:00Z"),
                        Instant.parse("2027-01-01T00:00:00Z"))),
                Map.of("employee", "true"),
                null,
                null);
    }

    static DirectiveText directive(String id, String title) {
        return new DirectiveText(id, "directives/" + id + ".yaml", "id: " + id + "\ntitle: " + title + "\n");
    }

    // ---- principals ----

    @Test
    void a_stored_principal_reads_back_equal_with_its_licenses() {
        Principal p = person("alice", "US", "DE");
        StoredPrincipal stored = store.principals().put(p, "admin");

        Optional<StoredPrincipal> read = store.principals().get("alice");
        assertThat(read).isPresent();
        assertThat(read.get().principal()).isEqualTo(p);
        assertThat(read.get().version()).isEqualTo(stored.version());
    }

    @Test
    void every_write_of_a_principal_gives_it_a_greater_version() {
        long v1 = store.principals().put(person("alice", "US"), "admin").version();
        long v2 = store.principals().put(person("alice", "FR"), "admin").version();

        assertThat(v2).isGreaterThan(v1);
        assertThat(store.principals().get("alice").orElseThrow().principal().citizenships())
                .containsExactly("FR");
    }

    @Test
    void an_unknown_principal_is_empty_and_deleting_it_reports_so() {
        assertThat(store.principals().get("nobody")).isEmpty();
        assertThat(store.principals().delete("nobody", "admin")).isFalse();
    }

    @Test
    void a_deleted_principal_is_gone() {
        store.principals().put(person("bob", "CN"), "admin");

        assertThat(store.principals().delete("bob", "admin")).isTrue();
        assertThat(store.principals().get("bob")).isEmpty();
    }

    @Test
    void an_import_stores_every_principal_across_batches_with_one_version() {
        int n = JdbcPrincipals.IMPORT_BATCH * 2 + 17;
        PrincipalRegistry.ImportResult result = store.principals()
                .importAll(
                        sink -> IntStream.range(0, n)
                                .mapToObj(i -> person(String.format("p%05d", i), "US"))
                                .forEach(sink),
                        "importer");

        assertThat(result.count()).isEqualTo(n);
        assertThat(store.principals().count()).isEqualTo(n);
        assertThat(store.principals().get("p02016").orElseThrow().version()).isEqualTo(result.version());
        List<String> ids = new ArrayList<>();
        store.principals().forEach(sp -> ids.add(sp.principal().id()));
        assertThat(ids).hasSize(n).isSorted();
    }

    @Test
    void an_import_that_fails_halfway_stores_nothing() {
        store.principals().put(person("kept", "US"), "admin");
        PrincipalRegistry.Source<java.io.IOException> failing = sink -> {
            for (int i = 0; i < JdbcPrincipals.IMPORT_BATCH + 5; i++) {
                sink.accept(person("p" + i, "US"));
            }
            throw new java.io.IOException("principals.jsonl:1006: bad line");
        };

        assertThatThrownBy(() -> store.principals().importAll(failing, "importer"))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("1006");
        assertThat(store.principals().count()).isEqualTo(1);
        assertThat(store.principals().get("kept")).isPresent();
    }

    @Test
    void an_import_with_an_id_twice_is_rejected_naming_the_second_occurrence() {
        List<Principal> input = List.of(person("a", "US"), person("b", "US"), person("a", "FR"));

        assertThatThrownBy(() -> store.principals().importAll(input::forEach, "importer"))
                .isInstanceOfSatisfying(StoreException.DuplicatePrincipal.class, e -> {
                    assertThat(e.id()).isEqualTo("a");
                    assertThat(e.ordinal()).isEqualTo(3);
                });
        assertThat(store.principals().count()).isZero();
    }

    @Test
    void an_import_replaces_principals_it_names_and_keeps_the_others() {
        store.principals().put(person("a", "US"), "admin");
        store.principals().put(person("other", "US"), "admin");

        store.principals().importAll(List.of(person("a", "FR"))::forEach, "importer");

        assertThat(store.principals().get("a").orElseThrow().principal().citizenships())
                .containsExactly("FR");
        assertThat(store.principals().get("other")).isPresent();
    }

    // ---- keys ----

    @Test
    void a_created_key_has_its_public_prefix_and_authenticates_its_principal() {
        store.principals().put(person("alice", "US"), "admin");

        IssuedKey issued = store.keys().create("alice", "admin");

        assertThat(issued.key()).matches("clr_[a-z2-7]{8}_[a-z2-7]{44}");
        assertThat(issued.key()).startsWith("clr_" + issued.info().prefix() + "_");
        assertThat(store.keys().lookup(issued.key()))
                .get()
                .extracting(ApiKey::principalId)
                .isEqualTo("alice");
    }

    @Test
    void a_key_is_stored_only_as_its_hash_and_never_printed() {
        store.principals().put(person("alice", "US"), "admin");
        IssuedKey issued = store.keys().create("alice", "admin");

        List<String> rowValues = store.database().read(c -> {
            List<String> values = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM api_keys");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        values.add(String.valueOf(rs.getObject(i)));
                    }
                }
            }
            return values;
        });
        String secretPart = issued.key().substring(13);
        assertThat(rowValues).noneMatch(v -> v.contains(secretPart));
        assertThat(rowValues).contains(Sha256.hex(issued.key()));
        assertThat(issued.toString()).doesNotContain(secretPart);
    }

    @Test
    void a_wrong_or_malformed_key_authenticates_nobody() {
        store.principals().put(person("alice", "US"), "admin");
        IssuedKey issued = store.keys().create("alice", "admin");
        String last = issued.key().substring(issued.key().length() - 1);
        String tampered = issued.key().substring(0, issued.key().length() - 1) + ("a".equals(last) ? "b" : "a");

        assertThat(store.keys().lookup(tampered)).isEmpty();
        assertThat(store.keys().lookup("clr_" + issued.info().prefix())).isEmpty();
        assertThat(store.keys().lookup("")).isEmpty();
        assertThat(store.keys().lookup(null)).isEmpty();
    }

    @Test
    void a_revoked_key_no_longer_authenticates() {
        store.principals().put(person("alice", "US"), "admin");
        IssuedKey issued = store.keys().create("alice", "admin");

        ApiKey revoked = store.keys().revoke("clr_" + issued.info().prefix(), "security");

        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.revokedBy()).isEqualTo("security");
        assertThat(store.keys().lookup(issued.key())).isEmpty();
        assertThat(store.keys().of("alice"))
                .singleElement()
                .satisfies(k -> assertThat(k.revoked()).isTrue());
    }

    @Test
    void revoking_an_unknown_prefix_is_an_error_not_a_silent_success() {
        assertThatThrownBy(() -> store.keys().revoke("abcdefgh", "admin")).isInstanceOf(StoreException.NotFound.class);
        assertThatThrownBy(() -> store.keys().revoke("not a prefix", "admin"))
                .isInstanceOf(StoreException.NotFound.class);
    }

    @Test
    void a_key_for_an_unknown_principal_is_refused() {
        assertThatThrownBy(() -> store.keys().create("ghost", "admin"))
                .isInstanceOf(StoreException.NotFound.class)
                .hasMessageContaining("ghost");
    }

    // ---- directive versions ----

    @Test
    void proposing_a_directive_twice_keeps_both_versions_as_drafts() {
        DirectiveVersion v1 = store.directives().propose(directive("D1", "first"), "ann", "new order");
        DirectiveVersion v2 = store.directives().propose(directive("D1", "second"), "ann", "amended");

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(store.directives().versions("D1"))
                .extracting(DirectiveVersion::text)
                .containsExactly("id: D1\ntitle: first\n", "id: D1\ntitle: second\n");
        assertThat(store.directives().versions("D1")).allMatch(v -> v.status() == DirectiveStatus.DRAFT);
        assertThat(store.directives().latest())
                .singleElement()
                .extracting(DirectiveVersion::version)
                .isEqualTo(2);
    }

    @Test
    void approving_a_draft_records_the_approver_and_the_history_says_who_when_why() {
        store.directives().propose(directive("D1", "first"), "ann", "new order");
        DirectiveVersion approved = store.directives().transition("D1", 1, DirectiveStatus.APPROVED, "ben", "reviewed");

        assertThat(approved.status()).isEqualTo(DirectiveStatus.APPROVED);
        assertThat(approved.approver()).isEqualTo("ben");
        assertThat(store.directives().get("D1", 1).orElseThrow().approver()).isEqualTo("ben");
        List<DirectiveEvent> history = store.directives().history("D1");
        assertThat(history)
                .extracting(DirectiveEvent::from, DirectiveEvent::to, DirectiveEvent::actor, DirectiveEvent::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(null, DirectiveStatus.DRAFT, "ann", "new order"),
                        org.assertj.core.groups.Tuple.tuple(
                                DirectiveStatus.DRAFT, DirectiveStatus.APPROVED, "ben", "reviewed"));
        assertThat(history).allMatch(e -> e.at() != null);
    }

    @Test
    void the_status_changes_of_every_directive_are_read_in_order_after_a_position() {
        store.directives().propose(directive("D1", "first"), "ann", "new order");
        store.directives().propose(directive("D2", "other"), "ann", "another");
        store.directives().transition("D1", 1, DirectiveStatus.APPROVED, "ben", "reviewed");

        List<DirectiveEvent> all = store.directives().eventsAfter(0, 100);
        assertThat(all)
                .extracting(e -> e.directiveId() + "@" + e.version() + " " + e.to().wireName())
                .containsExactly("D1@1 draft", "D2@1 draft", "D1@1 approved");
        assertThat(store.directives().eventsAfter(all.get(0).sequence(), 1))
                .extracting(DirectiveEvent::directiveId)
                .containsExactly("D2");
        assertThat(store.directives().eventsAfter(all.get(2).sequence(), 100)).isEmpty();
    }

    @Test
    void a_status_move_that_skips_the_lifecycle_is_refused() {
        store.directives().propose(directive("D1", "first"), "ann", "new order");

        assertThatThrownBy(() -> store.directives().transition("D1", 1, DirectiveStatus.ACTIVE, "ann", "now"))
                .isInstanceOf(StoreException.Conflict.class)
                .hasMessageContaining("policy version");
        assertThatThrownBy(() -> store.directives().transition("D1", 9, DirectiveStatus.APPROVED, "ann", "x"))
                .isInstanceOf(StoreException.NotFound.class);
    }

    @Test
    void directive_text_and_history_cannot_be_overwritten_even_with_sql() {
        store.directives().propose(directive("D1", "first"), "ann", "new order");

        assertThatThrownBy(() -> store.database().write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE directive_versions SET text = 'forged'")) {
                        return ps.executeUpdate();
                    }
                }))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("never overwritten");
        assertThatThrownBy(() -> store.database().write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM directive_events")) {
                        return ps.executeUpdate();
                    }
                }))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("append-only");
        assertThat(store.directives().get("D1", 1).orElseThrow().text()).isEqualTo("id: D1\ntitle: first\n");
    }

    @Test
    void no_history_table_can_be_emptied_even_with_sql() {
        store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");

        for (String table : HISTORY_TABLES) {
            assertThatThrownBy(() -> store.database().write(c -> {
                        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table)) {
                            return ps.executeUpdate();
                        }
                    }))
                    .as(table)
                    .isInstanceOf(StoreException.class)
                    .hasMessageMatching("(?s).*(append-only|never deleted).*");
        }
        assertThat(rowsIn(HISTORY_TABLES)).allMatch(n -> n > 0);
    }

    /** The tables that are the record: rows are added, never changed or removed. */
    static final List<String> HISTORY_TABLES =
            List.of("directive_versions", "directive_events", "policy_versions", "policy_members");

    List<Integer> rowsIn(List<String> tables) {
        return store.database().read(c -> {
            List<Integer> counts = new ArrayList<>();
            for (String table : tables) {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table);
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    counts.add(rs.getInt(1));
                }
            }
            return counts;
        });
    }

    // ---- policy versions ----

    @Test
    void a_fresh_store_has_no_active_policy() {
        assertThat(store.policies().active()).isEmpty();
        assertThat(store.policies().history()).isEmpty();
    }

    @Test
    void activating_directives_stores_their_versions_and_makes_them_the_policy_in_force() {
        PolicyVersion p = store.policies()
                .activate(
                        PolicyVersions.NONE,
                        List.of(directive("D2", "b"), directive("D1", "a")),
                        "hash-1",
                        "ann",
                        "order 1");

        assertThat(p.number()).isEqualTo(1);
        assertThat(p.contentHash()).isEqualTo("hash-1");
        assertThat(p.activatedBy()).isEqualTo("ann");
        assertThat(p.reason()).isEqualTo("order 1");
        assertThat(p.directives()).extracting(DirectiveVersion::label).containsExactly("D1@1", "D2@1");
        assertThat(p.directives()).allMatch(v -> v.status() == DirectiveStatus.ACTIVE);
        assertThat(store.policies().active()).contains(p);
    }

    @Test
    void reactivating_unchanged_text_reuses_the_version_and_changed_text_adds_one() {
        store.policies()
                .activate(
                        PolicyVersions.NONE, List.of(directive("D1", "a"), directive("D2", "b")), "h1", "ann", "first");

        PolicyVersion second = store.policies()
                .activate(1, List.of(directive("D1", "a"), directive("D2", "b2")), "h2", "ann", "amend D2");

        assertThat(second.number()).isEqualTo(2);
        assertThat(second.directives()).extracting(DirectiveVersion::label).containsExactly("D1@1", "D2@2");
        assertThat(store.directives().get("D2", 1).orElseThrow().status()).isEqualTo(DirectiveStatus.WITHDRAWN);
        assertThat(store.directives().history("D2"))
                .extracting(DirectiveEvent::version, DirectiveEvent::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, DirectiveStatus.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(2, DirectiveStatus.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(1, DirectiveStatus.WITHDRAWN));
    }

    @Test
    void a_directive_left_out_of_the_next_policy_is_withdrawn_and_earlier_policies_stay_on_record() {
        PolicyVersion first = store.policies()
                .activate(
                        PolicyVersions.NONE, List.of(directive("D1", "a"), directive("D2", "b")), "h1", "ann", "first");

        store.policies().activate(1, List.of(directive("D1", "a")), "h2", "ann", "lift D2");

        assertThat(store.policies().active().orElseThrow().directives())
                .extracting(DirectiveVersion::label)
                .containsExactly("D1@1");
        assertThat(store.directives().get("D2", 1).orElseThrow().status()).isEqualTo(DirectiveStatus.WITHDRAWN);
        assertThat(store.policies().get(1).orElseThrow().directives())
                .extracting(DirectiveVersion::label)
                .containsExactly("D1@1", "D2@1");
        assertThat(store.policies().history())
                .extracting(PolicyVersion::number, PolicyVersion::contentHash)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, "h1"), org.assertj.core.groups.Tuple.tuple(2L, "h2"));
        assertThat(first.directives()).hasSize(2);
    }

    @Test
    void an_approved_version_can_be_activated_and_an_earlier_one_restored() {
        store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");
        store.directives().propose(directive("D1", "narrowed"), "ann", "restore in stages");
        store.directives().transition("D1", 2, DirectiveStatus.APPROVED, "ben", "impact reviewed");

        PolicyVersion amended = store.policies()
                .activateVersions(1, List.of(new PolicyVersions.VersionRef("D1", 2)), "h2", "ben", "go");
        PolicyVersion restored = store.policies()
                .activateVersions(2, List.of(new PolicyVersions.VersionRef("D1", 1)), "h1", "ann", "undo");

        assertThat(amended.directives()).extracting(DirectiveVersion::label).containsExactly("D1@2");
        assertThat(restored.number()).isEqualTo(3);
        assertThat(restored.directives()).extracting(DirectiveVersion::label).containsExactly("D1@1");
        assertThat(store.directives().get("D1", 2).orElseThrow().status()).isEqualTo(DirectiveStatus.WITHDRAWN);
        assertThat(store.directives().get("D1", 2).orElseThrow().approver()).isEqualTo("ben");
    }

    @Test
    void a_policy_naming_a_directive_twice_or_a_missing_version_changes_nothing() {
        assertThatThrownBy(() -> store.policies()
                        .activate(
                                PolicyVersions.NONE,
                                List.of(directive("D1", "a"), directive("D1", "b")),
                                "h",
                                "ann",
                                "x"))
                .isInstanceOf(StoreException.Conflict.class);
        assertThatThrownBy(() -> store.policies()
                        .activateVersions(
                                PolicyVersions.NONE, List.of(new PolicyVersions.VersionRef("D9", 1)), "h", "ann", "x"))
                .isInstanceOf(StoreException.NotFound.class);
        assertThat(store.policies().active()).isEmpty();
        assertThat(store.directives().latest()).isEmpty();
    }

    @Test
    void an_activation_derived_from_a_version_no_longer_active_is_refused_naming_both_and_changes_nothing() {
        PolicyVersion first =
                store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");
        store.policies()
                .activate(first.number(), List.of(directive("D1", "a"), directive("D2", "b")), "h2", "ann", "add D2");
        List<Integer> before = rowsIn(HISTORY_TABLES);
        long feed = store.changes().lastSequence();

        // Derived from version 1, which no longer is the policy in force: it would silently drop D2.
        assertThatThrownBy(() -> store.policies()
                        .activate(
                                first.number(),
                                List.of(directive("D1", "a"), directive("D3", "c")),
                                "h3",
                                "ben",
                                "add D3"))
                .isInstanceOfSatisfying(StoreException.PolicyConflict.class, e -> {
                    assertThat(e.basedOn()).isEqualTo(1);
                    assertThat(e.active()).isEqualTo(2);
                    assertThat(e).hasMessageContaining("version 1").hasMessageContaining("version 2 is active");
                });
        assertThatThrownBy(() -> store.policies()
                        .activateVersions(
                                PolicyVersions.NONE, List.of(new PolicyVersions.VersionRef("D1", 1)), "h", "ben", "x"))
                .isInstanceOf(StoreException.PolicyConflict.class);

        assertThat(rowsIn(HISTORY_TABLES)).isEqualTo(before);
        assertThat(store.changes().lastSequence()).isEqualTo(feed);
        assertThat(store.directives().versions("D3")).isEmpty();
        assertThat(store.policies().active().orElseThrow().directives())
                .extracting(DirectiveVersion::label)
                .containsExactly("D1@1", "D2@1");
    }

    @Test
    void the_database_itself_refuses_two_policy_versions_derived_from_the_same_one() {
        store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");

        // As if a writer skipped the check: the unique index on based_on still holds.
        assertThatThrownBy(() -> store.database().write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO policy_versions"
                            + " (number, content_hash, activated_at, activated_by, reason, based_on)"
                            + " VALUES (2, 'h2', '2026-01-01T00:00:00Z', 'mallory', 'x', 0)")) {
                        return ps.executeUpdate();
                    }
                }))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("based_on");
        assertThat(store.policies().history()).hasSize(1);
    }

    // ---- fleet ----

    @Test
    void a_node_records_what_it_applied_and_its_heartbeat_and_the_fleet_lists_every_node() {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        store.fleet().register("gw-1", "clearance.local/decision-log+abcd+AAAA", "/var/lib/clearance/log");
        store.fleet().register("gw-2", "", "");
        store.fleet().applied(new PolicyApplication("gw-1", 1, "v1", t, 10));
        store.fleet().applied(new PolicyApplication("gw-1", 2, "v2", t.plusSeconds(1), 12));
        store.fleet().heartbeat("gw-2");

        List<FleetNode> nodes = store.fleet().nodes();

        assertThat(nodes).extracting(FleetNode::node).containsExactly("gw-1", "gw-2");
        assertThat(nodes.get(0).applied()).contains(new PolicyApplication("gw-1", 2, "v2", t.plusSeconds(1), 12));
        assertThat(nodes.get(0).logKey()).isEqualTo("clearance.local/decision-log+abcd+AAAA");
        assertThat(nodes.get(0).logDirectory()).isEqualTo("/var/lib/clearance/log");
        assertThat(nodes.get(1).applied()).isEmpty();
        assertThat(nodes.get(1).lastSeen()).isNotNull();
        assertThat(store.fleet().applications("gw-1"))
                .extracting(PolicyApplication::policyNumber, PolicyApplication::logSize)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, 10L), org.assertj.core.groups.Tuple.tuple(2L, 12L));
        assertThat(store.changes().lastSequence())
                .as("a node's bookkeeping is not a change to follow")
                .isZero();
    }

    @Test
    void a_heartbeat_from_a_node_whose_row_is_gone_brings_it_back() {
        store.fleet().heartbeat("gw-9");

        assertThat(store.fleet().nodes()).extracting(FleetNode::node).containsExactly("gw-9");
    }

    @Test
    void published_checkpoints_are_kept_in_order_and_cannot_be_rewritten() {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        store.fleet().publish(new PublishedCheckpoint("gw-1", 5, "note-5", "", t));
        store.fleet().publish(new PublishedCheckpoint("gw-1", 9, "note-9", "proof-5-9", t.plusSeconds(1)));
        store.fleet().publish(new PublishedCheckpoint("gw-2", 3, "other", "", t));

        assertThat(store.fleet().checkpoints("gw-1"))
                .extracting(PublishedCheckpoint::size, PublishedCheckpoint::proof)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(5L, ""),
                        org.assertj.core.groups.Tuple.tuple(9L, "proof-5-9"));
        assertThat(store.fleet().latestCheckpoint("gw-1").orElseThrow().checkpoint())
                .isEqualTo("note-9");
        assertThat(store.fleet().latestCheckpoint("gw-3")).isEmpty();
        store.fleet().applied(new PolicyApplication("gw-1", 1, "v1", t, 1));
        for (String sql : List.of(
                "DELETE FROM fleet_checkpoints",
                "UPDATE fleet_checkpoints SET checkpoint = 'forged'",
                "DELETE FROM fleet_applications",
                "UPDATE fleet_applications SET policy_version = 'forged'")) {
            assertThatThrownBy(() -> store.database().write(c -> {
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            return ps.executeUpdate();
                        }
                    }))
                    .as(sql)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("append-only");
        }
        assertThat(store.fleet().checkpoints("gw-1"))
                .extracting(PublishedCheckpoint::checkpoint)
                .containsExactly("note-5", "note-9");
    }

    @Test
    void the_fleet_view_shows_the_active_version_and_what_each_node_enforces() {
        PolicyVersion p =
                store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");
        store.fleet().register("gw-1", "", "");
        store.fleet().applied(new PolicyApplication("gw-1", p.number(), p.contentHash(), Instant.now(), 0));

        FleetView view = FleetView.read(store, Instant.now(), FleetView.Thresholds.DEFAULT);

        assertThat(view.policyVersion()).isEqualTo("h1");
        assertThat(view.nodes()).singleElement().satisfies(m -> {
            assertThat(m.policyVersion()).isEqualTo("h1");
            assertThat(m.status()).isEqualTo(FleetView.Status.UP);
        });
    }

    // ---- change feed ----

    @Test
    void the_change_feed_lists_writes_in_order() {
        long start = store.changes().lastSequence();
        store.principals().put(person("alice", "US"), "admin");
        IssuedKey key = store.keys().create("alice", "admin");
        store.keys().revoke(key.info().prefix(), "admin");
        store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");

        List<Change> changes = store.changes().since(start, 100);

        assertThat(changes)
                .extracting(Change::kind)
                .containsExactly(
                        Change.Kind.PRINCIPAL_PUT,
                        Change.Kind.KEY_CREATED,
                        Change.Kind.KEY_REVOKED,
                        Change.Kind.POLICY_ACTIVATED);
        assertThat(changes)
                .extracting(Change::subject)
                .containsExactly("alice", key.info().prefix(), key.info().prefix(), "1");
        assertThat(changes).extracting(Change::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(store.changes().lastSequence()).isEqualTo(changes.get(3).sequence());
        assertThat(store.changes().since(changes.get(3).sequence(), 100)).isEmpty();
    }

    @Test
    void awaiting_changes_wakes_up_for_a_new_policy() throws Exception {
        long last = store.changes().lastSequence();
        CompletableFuture<List<Change>> awaited = CompletableFuture.supplyAsync(() -> {
            try {
                return store.changes().await(last, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");

        assertThat(awaited.get(25, TimeUnit.SECONDS)).extracting(Change::kind).contains(Change.Kind.POLICY_ACTIVATED);
    }

    @Test
    void awaiting_on_a_quiet_store_returns_nothing_after_the_timeout() throws Exception {
        assertThat(store.changes().await(store.changes().lastSequence(), Duration.ofMillis(150)))
                .isEmpty();
    }

    @Test
    void concurrent_writers_are_serialised_and_every_change_gets_its_own_sequence_number() throws Exception {
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 25; i++) {
                    store.principals().put(person("t" + thread + "-" + i, "US"), "writer-" + thread);
                }
            }));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(store.principals().count()).isEqualTo(100);
        List<Change> changes = store.changes().since(0, 1000);
        assertThat(changes).hasSize(100);
        assertThat(changes).extracting(Change::sequence).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void a_follower_delivers_every_change_after_its_starting_point_in_order() throws Exception {
        store.principals().put(person("before", "US"), "admin");
        long start = store.changes().lastSequence();
        java.util.concurrent.BlockingQueue<Change> received = new java.util.concurrent.LinkedBlockingQueue<>();

        try (ChangeFollower follower = ChangeFollower.start(store, start, received::addAll)) {
            store.principals().put(person("alice", "US"), "admin");
            store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");

            Change first = received.poll(20, TimeUnit.SECONDS);
            Change second = received.poll(20, TimeUnit.SECONDS);
            assertThat(first).isNotNull().extracting(Change::kind).isEqualTo(Change.Kind.PRINCIPAL_PUT);
            assertThat(first.subject()).isEqualTo("alice");
            assertThat(second).isNotNull().extracting(Change::kind).isEqualTo(Change.Kind.POLICY_ACTIVATED);
        }
    }

    @Test
    void a_follower_reports_a_lost_store_instead_of_going_quiet() throws Exception {
        java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
        ChangeFollower follower = ChangeFollower.start(store, 0, new ChangeFollower.Listener() {
            @Override
            public void onChanges(List<Change> changes) {}

            @Override
            public void onFailure(Throwable failure) {
                failed.countDown();
            }
        });
        try {
            store.close();
            assertThat(failed.await(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            follower.close();
            store = newStoreQuietly();
        }
    }

    // ---- other modules and failure ----

    @Test
    void another_module_can_keep_its_own_table_and_announce_its_changes() {
        store.database().write(c -> {
            try (PreparedStatement ps = c.prepareStatement("CREATE TABLE module_things (id TEXT PRIMARY KEY)")) {
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO module_things (id) VALUES ('x')")) {
                ps.execute();
            }
            return store.database().recordChange(c, "screening_updated", "x");
        });

        int rows = store.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM module_things");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(rows).isEqualTo(1);
        assertThat(store.changes().since(0, 10)).extracting(Change::kind).containsExactly("screening_updated");
    }

    @Test
    void a_lost_store_is_an_error_never_an_empty_policy() {
        store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");
        store.close();

        assertThatThrownBy(() -> store.policies().active()).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.principals().get("alice")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.keys().lookup("clr_aaaaaaaa_" + "a".repeat(44)))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.changes().since(0, 10)).isInstanceOf(StoreException.class);
        store = newStoreQuietly();
    }

    // ---- file loads ----

    @Test
    void the_last_load_is_found_by_its_path_or_as_the_latest_of_its_kind() {
        FileLoads loads = store.fileLoads();
        assertThat(loads.last(FileLoads.Source.DIRECTIVES, "/etc/clearance/directives"))
                .isEmpty();

        loads.record(FileLoads.Source.DIRECTIVES, "/etc/clearance/directives", "sha256:a", 1, 4, "serve");
        FileLoads.FileLoad second =
                loads.record(FileLoads.Source.DIRECTIVES, "/etc/clearance/directives", "sha256:b", 3, 9, "serve");
        FileLoads.FileLoad other =
                loads.record(FileLoads.Source.DIRECTIVES, "/srv/directives", "sha256:c", 4, 11, "serve");
        FileLoads.FileLoad principals =
                loads.record(FileLoads.Source.PRINCIPALS, "/etc/clearance/principals.jsonl", "abc", 0, 12, null);

        assertThat(loads.last(FileLoads.Source.DIRECTIVES, "/etc/clearance/directives"))
                .contains(second);
        assertThat(loads.last(FileLoads.Source.DIRECTIVES)).contains(other);
        assertThat(loads.last(FileLoads.Source.PRINCIPALS)).contains(principals);
        assertThat(principals.loadedBy()).isEqualTo("unknown");
        assertThat(principals.policyNumber()).isZero();
        assertThat(second.policyNumber()).isEqualTo(3);
        assertThat(second.changeSequence()).isEqualTo(9);
        assertThat(second.loadedAt()).isNotNull();
    }

    @Test
    void a_recorded_load_is_never_changed_or_removed() {
        store.fileLoads().record(FileLoads.Source.PRINCIPALS, "/p.jsonl", "abc", 0, 1, "serve");
        for (String sql : List.of("UPDATE file_loads SET content_hash = 'x'", "DELETE FROM file_loads")) {
            assertThatThrownBy(() -> store.database().write(c -> {
                        try (Statement s = c.createStatement()) {
                            return s.executeUpdate(sql);
                        }
                    }))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("append-only");
        }
        assertThat(store.fileLoads().last(FileLoads.Source.PRINCIPALS, "/p.jsonl"))
                .isPresent();
    }

    @Test
    void principal_changes_since_a_point_name_each_principal_once_with_its_latest_change() {
        long before = store.principals().put(person("kept", "US"), "serve").version();
        long mark = store.changes().lastSequence();
        store.principals().put(person("alice", "US"), "admin-api");
        store.principals().put(person("bob", "DE"), "cli:ann");
        store.principals().delete("bob", "admin-api");
        store.principals().put(person("carol", "FR"), "serve");
        store.principals().delete("carol", "admin-api");
        store.principals().put(person("carol", "FR", "US"), "admin-api");

        List<FileLoads.PrincipalChange> changes = store.fileLoads().principalChangesSince(mark);

        assertThat(changes).extracting(FileLoads.PrincipalChange::id).containsExactly("alice", "bob", "carol");
        assertThat(changes.get(0).by()).isEqualTo("admin-api");
        assertThat(changes.get(0).document()).contains("\"id\":\"alice\"");
        assertThat(changes.get(1).deleted()).isTrue();
        assertThat(changes.get(2).deleted()).isFalse();
        assertThat(changes.get(2).document()).contains("\"US\"");
        assertThat(changes).allSatisfy(c -> assertThat(c.sequence()).isGreaterThan(mark));
        assertThat(store.fileLoads().principalChangesSince(before - 1))
                .extracting(FileLoads.PrincipalChange::id)
                .contains("kept");
    }

    private Store newStoreQuietly() {
        try {
            return newStore();
        } catch (Exception e) {
            throw new NoSuchElementException(e.toString());
        }
    }
}
