package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The key format, without a database. */
class ApiKeyFormatTest {
    private static final RandomGenerator ZEROS = () -> 0L;
    private static final String ZERO_KEY = "clr_aaaaaaaa_" + "a".repeat(44);

    @Test
    void a_key_is_the_scheme_a_prefix_and_a_secret_of_32_random_bytes_in_base32() {
        assertThat(ApiKeyFormat.generate(ZEROS)).isEqualTo(ZERO_KEY);
        assertThat(ApiKeyFormat.generate(new SecureRandom())).matches("clr_[a-z2-7]{8}_[a-z2-7]{44}");
    }

    @Test
    void two_generated_keys_differ() {
        SecureRandom random = new SecureRandom();

        assertThat(ApiKeyFormat.generate(random)).isNotEqualTo(ApiKeyFormat.generate(random));
    }

    @Test
    void base32_is_rfc_4648_lowercase_without_padding() {
        // python3 -c "import base64; print(base64.b32encode(b'foobar'))"  ->  MZXW6YTBOI======
        assertThat(ApiKeyFormat.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("my");
        assertThat(ApiKeyFormat.base32("foo".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("mzxw6");
        assertThat(ApiKeyFormat.base32("foobar".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("mzxw6ytboi");
    }

    @Test
    void the_stored_hash_is_the_sha_256_of_the_whole_key() {
        // printf 'clr_aaaaaaaa_%s' $(printf 'a%.0s' $(seq 44)) | sha256sum
        assertThat(ApiKeyFormat.hash(ZERO_KEY))
                .isEqualTo("ee4016a30fa810aff563d7732b63d5351e8781a06bed02e9b23c43a738105286");
    }

    @Test
    void the_prefix_is_the_eight_characters_after_the_scheme() {
        assertThat(ApiKeyFormat.prefixOf("clr_abcdefgh_" + "b".repeat(44))).isEqualTo("abcdefgh");
    }

    @Test
    void only_the_exact_shape_is_a_well_formed_key() {
        assertThat(ApiKeyFormat.isWellFormed(ZERO_KEY)).isTrue();
        assertThat(ApiKeyFormat.isWellFormed(null)).isFalse();
        assertThat(ApiKeyFormat.isWellFormed("")).isFalse();
        assertThat(ApiKeyFormat.isWellFormed("clr_aaaaaaaa")).isFalse();
        assertThat(ApiKeyFormat.isWellFormed(ZERO_KEY + "a")).isFalse();
        assertThat(ApiKeyFormat.isWellFormed(ZERO_KEY.toUpperCase())).isFalse();
        assertThat(ApiKeyFormat.isWellFormed(ZERO_KEY.replace("aaaaaaaa_", "aaaaaaa1_")))
                .isFalse();
        assertThat(ApiKeyFormat.isWellFormed(" " + ZERO_KEY)).isFalse();
    }

    @Test
    void a_malformed_key_is_refused_without_echoing_it() {
        String almostAKey = "clr_aaaaaaaa_" + "s3cret".repeat(7);

        assertThatThrownBy(() -> ApiKeyFormat.prefixOf(almostAKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void an_operator_may_name_a_key_by_its_prefix_with_or_without_the_scheme_or_by_the_whole_key() {
        assertThat(ApiKeyFormat.parsePrefix("abcdefgh")).isEqualTo("abcdefgh");
        assertThat(ApiKeyFormat.parsePrefix("clr_abcdefgh")).isEqualTo("abcdefgh");
        assertThat(ApiKeyFormat.parsePrefix("clr_abcdefgh_" + "b".repeat(44))).isEqualTo("abcdefgh");
    }

    @Test
    void something_that_is_no_prefix_is_refused_naming_the_value() {
        assertThatThrownBy(() -> ApiKeyFormat.parsePrefix("clr_abc"))
                .isInstanceOf(StoreException.NotFound.class)
                .hasMessageContaining("'clr_abc'")
                .hasMessageContaining("8 characters a-z, 2-7");
    }
}
