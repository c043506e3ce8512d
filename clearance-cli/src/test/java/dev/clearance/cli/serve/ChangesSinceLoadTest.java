package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.cli.serve.ChangesSinceLoad.Undone;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Policy;
import dev.clearance.store.DirectiveStatus;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.FileLoads.PrincipalChange;
import dev.clearance.store.PolicyVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangesSinceLoadTest {
    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    static String text(String id, String appliesTo) {
        return "id: " + id + "\ntitle: " + id + "\nauthority: test\neffective_from: 2024-01-01T00:00:00Z\n"
                + "scope: {models: ['*']}\napplies_to: \"" + appliesTo + "\"\neffect: deny\n";
    }

    static DirectiveVersion version(String id, int v, String text) {
        return new DirectiveVersion(id, v, id + ".yaml", text, "", DirectiveStatus.ACTIVE, "x", null, T);
    }

    static PolicyVersion policy(long number, String by, DirectiveVersion... members) {
        return new PolicyVersion(number, "h" + number, T.plusSeconds(number), by, "reason " + number, List.of(members));
    }

    static Policy files(String... texts) throws Exception {
        List<dev.clearance.core.Directive> all = new ArrayList<>();
        for (String t : texts) {
            all.addAll(DirectiveParser.parse("files.yaml", t));
        }
        return Policy.compile(all);
    }

    @Test
    void a_directive_amended_since_the_load_is_named_with_the_version_that_last_changed_it() throws Exception {
        DirectiveVersion a1 = version("a", 1, text("a", "true"));
        DirectiveVersion a2 = version("a", 2, text("a", "false"));
        DirectiveVersion a3 = version("a", 3, text("a", "!principal.us_person"));
        PolicyVersion base = policy(1, "serve", a1);
        List<PolicyVersion> since = List.of(policy(2, "ann", a2), policy(3, "bob", a3));

        List<Undone> undone = ChangesSinceLoad.directives(base, since, files(text("a", "true"), text("b", "true")));

        assertThat(undone)
                .containsExactly(
                        new Undone("directive", "a", "amended", "bob", T.plusSeconds(3), "policy version 3: reason 3"));
    }

    @Test
    void files_that_hold_what_is_in_force_undo_nothing_whatever_their_layout() throws Exception {
        DirectiveVersion a1 = version("a", 1, text("a", "true"));
        DirectiveVersion e1 = version("e", 1, text("e", "true"));
        PolicyVersion base = policy(1, "serve", a1);
        List<PolicyVersion> since = List.of(policy(2, "admin-api", a1, e1));
        String relaidOut = "# emergency\n" + text("e", "true").replace("effect: deny", "effect:    deny");

        assertThat(ChangesSinceLoad.directives(base, since, files(text("a", "false"), relaidOut)))
                .isEmpty();
        assertThat(ChangesSinceLoad.directives(base, List.of(), files(text("a", "false"))))
                .isEmpty();
    }

    @Test
    void without_any_load_every_directive_in_force_that_the_files_lack_counts() throws Exception {
        DirectiveVersion a1 = version("a", 1, text("a", "true"));
        DirectiveVersion e1 = version("e", 1, text("e", "true"));
        List<PolicyVersion> since = List.of(policy(1, "cli:ann", a1), policy(2, "admin-api", a1, e1));

        assertThat(ChangesSinceLoad.directives(null, since, files(text("a", "true"))))
                .extracting(Undone::id, Undone::what, Undone::by)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("e", "added", "admin-api"));
    }

    @Test
    void a_principal_counts_only_when_the_file_holds_it_with_other_content() {
        List<PrincipalChange> changes = List.of(
                new PrincipalChange("alice", "{\"id\":\"alice\",\"v\":2}", "admin-api", T, 7),
                new PrincipalChange("bob", null, "", T, 8),
                new PrincipalChange("carol", "{\"id\":\"carol\"}", "cli:ann", T, 9),
                new PrincipalChange("dave", "{\"id\":\"dave\"}", "admin-api", T, 10));
        Map<String, String> inFile =
                Map.of("alice", "{\"id\":\"alice\",\"v\":1}", "bob", "{\"id\":\"bob\"}", "carol", "{\"id\":\"carol\"}");

        assertThat(ChangesSinceLoad.principals(changes, inFile))
                .extracting(Undone::id, Undone::what)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alice", "changed"),
                        org.assertj.core.groups.Tuple.tuple("bob", "deleted"));
        assertThat(ChangesSinceLoad.principals(changes, inFile).get(1).describe())
                .isEqualTo("principal 'bob' deleted at 2026-12-01T10:00:00Z (change 8)");
    }
}
