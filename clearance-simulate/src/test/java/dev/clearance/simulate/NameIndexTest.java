package dev.clearance.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

class NameIndexTest {
    @Property(tries = 300)
    void every_name_is_found_at_its_position_and_nothing_else_is_found(
            @ForAll @Size(max = 300) @UniqueElements List<String> names, @ForAll String probe) {
        NameIndex index = new NameIndex(names);
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            assertThat(index.get(n)).isEqualTo(i);
            char[] padded = ("<<" + n + ">>").toCharArray();
            assertThat(index.get(padded, 2, n.length())).isEqualTo(i);
        }
        assertThat(index.get(probe)).isEqualTo(names.indexOf(probe));
    }

    @Property(tries = 300)
    void an_ascii_name_is_found_from_its_bytes(
            @ForAll @Size(max = 300) @UniqueElements List<@net.jqwik.api.constraints.AlphaChars String> names,
            @ForAll @net.jqwik.api.constraints.AlphaChars String probe) {
        NameIndex index = new NameIndex(names);
        for (int i = 0; i < names.size(); i++) {
            byte[] padded = ("<<" + names.get(i) + ">>").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(index.get(padded, 2, names.get(i).length())).isEqualTo(i);
        }
        byte[] p = probe.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(index.get(p, 0, p.length)).isEqualTo(names.indexOf(probe));
    }

    @Test
    void names_with_the_same_hash_are_kept_apart() {
        // "Aa" and "BB" share String.hashCode().
        NameIndex index = new NameIndex(new ArrayList<>(List.of("Aa", "BB")));
        assertThat(Set.of(index.get("Aa"), index.get("BB"))).containsExactlyInAnyOrder(0, 1);
        assertThat(index.get("Ab")).isEqualTo(-1);
        byte[] bb = "BB".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(index.get(bb, 0, 2)).isEqualTo(index.get("BB"));
    }

    @Test
    void ids_that_differ_only_in_their_last_digits_do_not_cluster() {
        // Sequential ids have String hashes close together; probing from their low bits averaged 32
        // slots per key at 200,000 of them.
        for (String format : List.of("p%07d", "user-%06d", "%d")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 200_000; i++) {
                ids.add(String.format(format, i));
            }
            NameIndex index = new NameIndex(ids);
            assertThat(index.meanProbeLength()).as(format).isLessThan(1.0);
            assertThat(index.get(ids.get(123_456))).isEqualTo(123_456);
        }
    }

    @Test
    void a_duplicate_name_is_refused() {
        assertThatThrownBy(() -> new NameIndex(List.of("p1", "p2", "p1")))
                .hasMessageContaining("duplicate principal id 'p1'");
    }
}
