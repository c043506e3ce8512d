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
    void theDatabaseIsOneFileInWalModeUnderTheDataDirectory() {
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
    void onlyTheOwnerCanReadTheDatabaseItCreates() throws Exception {
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
    void everythingSurvivesReopeningAndMigrationsRunOnce() {
        store.principals().put(person("alice", "US"), "admin");
        store.policies().activate(List.of(directive("D1", "a")), "h1", "ann", "first");
        store.close();

        store = newStore();

        assertThat(store.principals().get("alice")).isPresent();
        assertThat(store.policies().active().orElseThrow().contentHash()).isEqualTo("h1");
    }

    @Test
    void aStoreMigratedByAModuleAbsentFromThisProcessStillOpens() {
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
    void aDataDirectoryThatCannotBeCreatedIsAnError() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> Store.open("jdbc:sqlite:" + blocker.resolve("clearance.db")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("not-a-dir");
    }

    @Test
    void anUnsupportedUrlIsRefusedWithoutEchoingItsPassword() {
        assertThatThrownBy(() -> Store.open("jdbc:mysql://db/x?user=u&password=hunter2"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:sqlite")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> Store.open("jdbc:sqlite::memory:")).isInstanceOf(StoreException.class);
    }
}
