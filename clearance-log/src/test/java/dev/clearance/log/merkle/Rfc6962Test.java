package dev.clearance.log.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The hasher pinned to known answers, each derived with the shell command beside it (the same
 * answers transparency-dev/merkle's rfc6962_test.go pins).
 */
class Rfc6962Test {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void the_empty_tree_root_is_the_sha256_of_nothing() {
        // printf '' | sha256sum
        assertThat(HEX.formatHex(new Rfc6962().emptyRoot()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void the_leaf_hash_of_an_empty_entry_hashes_the_leaf_prefix_alone() {
        // printf '\x00' | sha256sum
        assertThat(HEX.formatHex(new Rfc6962().leafHash(new byte[0])))
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    }

    @Test
    void the_leaf_hash_of_a_short_entry_is_the_sha256_of_0x00_and_the_entry() {
        // printf '\x00L123456' | sha256sum   (echo -n 004C313233343536 | xxd -r -p | sha256sum)
        assertThat(HEX.formatHex(new Rfc6962().leafHash(ascii("L123456"))))
                .isEqualTo("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
    }

    @Test
    void the_node_hash_is_the_sha256_of_0x01_the_left_and_the_right_child() {
        // printf '\x01N123N456' | sha256sum   (echo -n 014E3132334E343536 | xxd -r -p | sha256sum)
        assertThat(HEX.formatHex(new Rfc6962().nodeHash(ascii("N123"), ascii("N456"))))
                .isEqualTo("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
    }

    @Test
    void every_way_to_hash_a_leaf_gives_the_same_hash() {
        // printf '\x00hello' | sha256sum
        String want = "8a2a5c9b768827de5a9552c38a044c66959c68f6d2f21b5260af54d2f87db827";
        byte[] padded = ascii("[hello]");
        Rfc6962 h = new Rfc6962();
        byte[] out = new byte[Rfc6962.HASH_SIZE + 3];
        h.leafHash(padded, 1, 5, out, 3);
        assertThat(HEX.formatHex(Rfc6962.leafHashOf(ascii("hello")))).isEqualTo(want);
        assertThat(HEX.formatHex(h.leafHash(ascii("hello")))).isEqualTo(want);
        assertThat(HEX.formatHex(h.leafHash(padded, 1, 5))).isEqualTo(want);
        assertThat(HEX.formatHex(out, 3, out.length)).isEqualTo(want);
    }

    @Test
    void a_leaf_made_of_two_hashes_is_not_the_node_of_those_hashes() {
        Rfc6962 h = new Rfc6962();
        byte[] left = h.leafHash(ascii("L"));
        byte[] right = h.leafHash(ascii("R"));
        byte[] both = Arrays.copyOf(left, 2 * Rfc6962.HASH_SIZE);
        System.arraycopy(right, 0, both, Rfc6962.HASH_SIZE, Rfc6962.HASH_SIZE);
        assertThat(h.leafHash(both)).isNotEqualTo(h.nodeHash(left, right));
        assertThat(h.nodeHash(left, right)).isNotEqualTo(h.nodeHash(right, left));
    }
}
