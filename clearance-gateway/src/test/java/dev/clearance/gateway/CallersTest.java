package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.core.Principal;
import dev.clearance.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the caller cache may remember: only what the store knows, never what a caller made up. */
class CallersTest {
    @TempDir
    Path dir;

    @Test
    void unknown_keys_and_principal_ids_are_never_remembered_and_known_ones_are() {
        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("c.db"))) {
            store.principals().put(Principal.builder("alice").citizenships("US").build(), "test");
            String key = store.keys().create("alice", "test").key();
            Callers callers = new Callers(store);

            for (int i = 0; i < 1000; i++) {
                assertThat(callers.authenticate("clr_made_up_" + i)).isEmpty();
                assertThat(callers.resolve("made-up-" + "x".repeat(1000) + i).principal())
                        .isNull();
            }
            assertThat(callers.remembered()).isZero();

            assertThat(callers.authenticate(key)).contains("alice");
            assertThat(callers.resolve("alice").principal()).isNotNull();
            assertThat(callers.remembered()).isEqualTo(2);
        }
    }
}
