package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.store.FileLoads.FileLoad;
import dev.clearance.store.FileLoads.PrincipalChange;
import dev.clearance.store.FileLoads.Source;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link FileLoads} promises; run against SQLite and PostgreSQL. */
abstract class FileLoadsContract {
    Store store;

    abstract Store newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void the_last_load_is_found_by_its_path_or_as_the_latest_of_its_kind() {
        FileLoads loads = store.fileLoads();
        assertThat(loads.last(Source.DIRECTIVES, "/etc/clearance/directives")).isEmpty();

        loads.record(Source.DIRECTIVES, "/etc/clearance/directives", "sha256:a", 1, 4, "serve");
        FileLoad second = loads.record(Source.DIRECTIVES, "/etc/clearance/directives", "sha256:b", 3, 9, "serve");
        FileLoad other = loads.record(Source.DIRECTIVES, "/srv/directives", "sha256:c", 4, 11, "serve");
        FileLoad principals = loads.record(Source.PRINCIPALS, "/etc/clearance/principals.jsonl", "abc", 0, 12, null);

        assertThat(loads.last(Source.DIRECTIVES, "/etc/clearance/directives")).contains(second);
        assertThat(loads.last(Source.DIRECTIVES)).contains(other);
        assertThat(loads.last(Source.PRINCIPALS)).contains(principals);
        assertThat(principals.loadedBy()).isEqualTo("unknown");
        assertThat(principals.policyNumber()).isZero();
        assertThat(second.policyNumber()).isEqualTo(3);
        assertThat(second.changeSequence()).isEqualTo(9);
        assertThat(second.loadedAt()).isNotNull();
    }

    @Test
    void a_recorded_load_is_never_changed_or_removed() {
        store.fileLoads().record(Source.PRINCIPALS, "/p.jsonl", "abc", 0, 1, "serve");
        for (String sql : List.of("UPDATE file_loads SET content_hash = 'x'", "DELETE FROM file_loads")) {
            assertThatThrownBy(() -> store.database().write(c -> {
                        try (Statement s = c.createStatement()) {
                            return s.executeUpdate(sql);
                        }
                    }))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("append-only");
        }
        assertThat(store.fileLoads().last(Source.PRINCIPALS, "/p.jsonl")).isPresent();
    }

    @Test
    void principal_changes_since_a_point_name_each_principal_once_with_its_latest_change() {
        long before = store.principals()
                .put(StoreContract.person("kept", "US"), "serve")
                .version();
        long mark = store.changes().lastSequence();
        store.principals().put(StoreContract.person("alice", "US"), "admin-api");
        store.principals().put(StoreContract.person("bob", "DE"), "cli:ann");
        store.principals().delete("bob", "admin-api");
        store.principals().put(StoreContract.person("carol", "FR"), "serve");
        store.principals().delete("carol", "admin-api");
        store.principals().put(StoreContract.person("carol", "FR", "US"), "admin-api");

        List<PrincipalChange> changes = store.fileLoads().principalChangesSince(mark);

        assertThat(changes).extracting(PrincipalChange::id).containsExactly("alice", "bob", "carol");
        assertThat(changes.get(0).by()).isEqualTo("admin-api");
        assertThat(changes.get(0).document()).contains("\"id\":\"alice\"");
        assertThat(changes.get(1).deleted()).isTrue();
        assertThat(changes.get(2).deleted()).isFalse();
        assertThat(changes.get(2).document()).contains("\"US\"");
        assertThat(changes).allSatisfy(c -> assertThat(c.sequence()).isGreaterThan(mark));
        assertThat(store.fileLoads().principalChangesSince(before - 1))
                .extracting(PrincipalChange::id)
                .contains("kept");
    }
}
