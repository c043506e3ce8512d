package dev.clearance.gateway.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The shape test that tells a token from an API key is the JWS compact form, read by hand. */
class TokenShapeTest {
    /** Three base64url parts joined by dots, the last possibly empty: the specification the scan follows. */
    private static final Pattern JWS_COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    @Property(tries = 2000)
    void a_credential_is_a_token_exactly_when_it_has_the_compact_form(
            @ForAll
                    @StringLength(max = 12)
                    @Chars({'.', '.', '.', '-', '_', '=', '+', '/', ' ', 'é'})
                    @CharRange(from = 'a', to = 'c')
                    @CharRange(from = 'Y', to = 'Z')
                    @CharRange(from = '8', to = '9')
                    String credential) {
        assertThat(TokenVerifier.isToken(credential))
                .as("'%s'", credential)
                .isEqualTo(JWS_COMPACT.matcher(credential).matches());
    }

    @Test
    void edge_shapes_are_read_as_the_compact_form_says() {
        assertThat(TokenVerifier.isToken("a.b.")).isTrue();
        assertThat(TokenVerifier.isToken("a-_.Z9.c")).isTrue();
        assertThat(TokenVerifier.isToken(".a.b")).isFalse();
        assertThat(TokenVerifier.isToken("a..b")).isFalse();
        assertThat(TokenVerifier.isToken("a.b.c.d")).isFalse();
        assertThat(TokenVerifier.isToken("a.b")).isFalse();
        assertThat(TokenVerifier.isToken("")).isFalse();
        assertThat(TokenVerifier.isToken("a.b.c" + "c".repeat(TokenVerifier.MAX_TOKEN_CHARS)))
                .isFalse();
    }
}
