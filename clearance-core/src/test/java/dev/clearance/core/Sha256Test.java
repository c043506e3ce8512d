package dev.clearance.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/** Known answers, each derived with the command beside it. */
class Sha256Test {

    @Test
    void the_empty_string_hashes_to_the_published_value() {
        // printf '' | sha256sum
        assertThat(Sha256.hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void abc_hashes_to_the_fips_180_2_example() {
        // printf 'abc' | sha256sum
        assertThat(Sha256.hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void text_is_hashed_as_utf_8() {
        // printf 'caf\xc3\xa9' | sha256sum
        assertThat(Sha256.hex("café"))
                .isEqualTo(Sha256.hex("café".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("850f7dc43910ff890f8879c0ed26fe697c93a067ad93a7d50f466a7028a9bf4e");
    }

    @Test
    void a_digest_fed_in_parts_hashes_what_was_fed() {
        MessageDigest d = Sha256.newDigest();
        d.update("a".getBytes(StandardCharsets.UTF_8));
        d.update("bc".getBytes(StandardCharsets.UTF_8));

        assertThat(Sha256.hex(d)).isEqualTo(Sha256.hex("abc"));
    }
}
