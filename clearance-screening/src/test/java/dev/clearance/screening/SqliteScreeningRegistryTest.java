package dev.clearance.screening;

import dev.clearance.store.Store;
import java.nio.file.Path;

class SqliteScreeningRegistryTest extends ScreeningRegistryContract {
    @Override
    Store newStore(Path dir) {
        return Store.open("jdbc:sqlite:" + dir.resolve("clearance.db"));
    }
}
