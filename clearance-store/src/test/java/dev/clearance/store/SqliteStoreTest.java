package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    Store newStore() {
        return Store.open("jdbc:sqlite:" + dir.resolve("data/clearance.db"));
    }

    @Test
    void the_database_is_one_file_in_wal_mode_under_the_data_directory() {
        String mode = store.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("PRAGMA journal_mode");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });

        assertThat(mode).isEqualToIgnoringCase("wal");
        assertThat(dir.resolve("data/clearance.db")).isRegularFile();
        assertThat(store.database().dialect()).isEqualTo(Database.Dialect.SQLITE);
    }

    @Test
    void only_the_owner_can_read_the_database_it_creates() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                dir.getFileSystem().supportedFileAttributeViews().contains("posix"));

        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve("data"))))
                .isEqualTo("rwx------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve("data/clearance.db"))))
                .isEqualTo("rw-------");
    }

    @Test
    void everything_survives_reopening_and_migrations_run_once() {
        store.principals().put(person("alice", "US"), "admin");
        store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");
        store.close();

        store = newStore();

        assertThat(store.principals().get("alice")).isPresent();
        assertThat(store.policies().active().orElseThrow().contentHash()).isEqualTo("h1");
    }

    @Test
    void a_store_migrated_by_a_module_absent_from_this_process_still_opens() {
        // As if clearance-screening had applied its V20 and this process (say, the CLI) does not ship it.
        store.database().write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO flyway_schema_history (installed_rank, version, description,"
                            + " type, script, checksum, installed_by, execution_time, success) VALUES (99, '20', 'screening', 'SQL',"
                            + " 'V20__screening.sql', 1, 'test', 1, 1)")) {
                return ps.executeUpdate();
            }
        });
        store.close();

        store = newStore();

        assertThat(store.policies().active()).isEmpty();
    }

    @Test
    void a_data_directory_that_cannot_be_created_is_an_error() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> Store.open("jdbc:sqlite:" + blocker.resolve("clearance.db")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("not-a-dir");
    }

    @Test
    void an_unsupported_url_is_refused_without_echoing_its_password() {
        assertThatThrownBy(() -> Store.open("jdbc:mysql://db/x?user=u&password=hunter2"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:sqlite")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> Store.open("jdbc:sqlite::memory:")).isInstanceOf(StoreException.class);
    }
}
