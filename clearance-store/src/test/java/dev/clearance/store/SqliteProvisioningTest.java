package dev.clearance.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteProvisioningTest extends ProvisioningContract {
    @TempDir
    Path dir;

    @Override
    Store newStore() {
        return Store.open("jdbc:sqlite:" + dir.resolve("clearance.db"));
    }
}
