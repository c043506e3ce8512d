package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredPolicyTest {
    @TempDir
    Path dir;

    Store store;

    @BeforeEach
    void open() {
        store = Store.open("jdbc:sqlite:" + dir.resolve("clearance.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static List<Directive> examples() throws Exception {
        List<Directive> out = new ArrayList<>();
        for (String name : List.of("frontier-foreign-nationals.yaml", "sanctioned-locations.yaml")) {
            try (InputStream in = StoredPolicyTest.class.getResourceAsStream("/directives/" + name)) {
                if (in == null) {
                    throw new IOException("missing test resource " + name);
                }
                out.addAll(DirectiveParser.parse(
                        "directives/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    @Test
    void the_active_policy_rebuilt_from_stored_texts_has_the_version_it_was_activated_with() throws Exception {
        List<Directive> directives = examples();
        Policy compiled = Policy.compile(directives);
        store.policies()
                .activate(
                        PolicyVersions.NONE,
                        directives.stream().map(DirectiveText::of).toList(),
                        compiled.version(),
                        "ann",
                        "order");

        StoredPolicy active = StoredPolicy.active(store).orElseThrow();

        assertThat(active.policy().version())
                .isEqualTo(compiled.version())
                .isEqualTo(active.version().contentHash());
        assertThat(active.directives())
                .extracting(Directive::id)
                .containsExactlyInAnyOrderElementsOf(
                        directives.stream().map(Directive::id).toList());
    }

    @Test
    void a_fresh_store_has_no_policy_to_enforce() {
        assertThat(StoredPolicy.active(store)).isEmpty();
    }

    @Test
    void a_stored_text_that_no_longer_compiles_stops_the_node_instead_of_dropping_the_directive() {
        store.policies()
                .activate(
                        PolicyVersions.NONE,
                        List.of(new DirectiveText("broken", "broken.yaml", "id: broken\nunknown_key: 1\n")),
                        "h",
                        "ann",
                        "x");

        assertThatThrownBy(() -> StoredPolicy.active(store))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("policy version 1 no longer compiles")
                .hasMessageContaining("broken.yaml");
    }

    @Test
    void changes_replace_directives_with_the_same_id_and_add_the_rest() throws Exception {
        List<Directive> base = examples();
        Directive first = base.get(0);
        Directive amended = DirectiveParser.parse(
                        "amended.yaml", first.source().text().replace(first.title(), "Amended title"))
                .get(0);

        List<Directive> merged = StoredPolicy.withChanges(base, List.of(amended));

        assertThat(merged).hasSize(base.size());
        assertThat(merged)
                .filteredOn(d -> d.id().equals(first.id()))
                .singleElement()
                .extracting(Directive::title)
                .isEqualTo("Amended title");
        assertThat(StoredPolicy.without(merged, first.id()))
                .extracting(Directive::id)
                .doesNotContain(first.id())
                .hasSize(base.size() - 1);
    }
}
