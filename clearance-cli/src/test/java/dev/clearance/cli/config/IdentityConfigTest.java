package dev.clearance.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.gateway.IdentitySettings;
import dev.clearance.gateway.oidc.TokenIssuer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code auth:} and {@code scim:} sections, read as strictly as the rest of the file. */
class IdentityConfigTest {
    @TempDir
    Path dir;

    private ClearanceConfig load(String yaml) throws Exception {
        return ClearanceConfig.load(Files.writeString(dir.resolve("clearance.yaml"), yaml), Map.of("SCIM", "s3cret"));
    }

    private List<String> problems(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("clearance.yaml"), yaml);
        try {
            ClearanceConfig.load(file, Map.of());
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the configuration to be rejected");
    }

    private String at(int line, int column) {
        return dir.resolve("clearance.yaml") + ":" + line + ":" + column + ": ";
    }

    @Test
    void one_issuer_as_auth_oidc_takes_the_defaults_for_what_it_leaves_out() throws Exception {
        ClearanceConfig c = load("""
                auth:
                  oidc:
                    issuer: https://idp.example.com/
                    audience: clearance-gateway
                scim:
                  token: ${SCIM}
                """);

        assertThat(c.identity().issuers())
                .containsExactly(TokenIssuer.of("https://idp.example.com/", "clearance-gateway"));
        assertThat(c.identity().scim()).hasValueSatisfying(s -> {
            assertThat(s.token()).isEqualTo("s3cret");
            assertThat(s.client()).isEqualTo("idp");
        });
        assertThat(c.identity().toString()).doesNotContain("s3cret");
    }

    @Test
    void several_issuers_with_every_key() throws Exception {
        ClearanceConfig c = load("""
                auth:
                  issuers:
                    - issuer: https://login.microsoftonline.com/tenant/v2.0
                      audience: [api://clearance, clearance]
                      jwks_uri: https://login.microsoftonline.com/tenant/discovery/v2.0/keys
                      principal_claim: preferred_username
                      leeway: 10s
                      jwks_cache: 15m
                      facts:
                        citizenships: citizenships
                        residence_country: ctry
                    - issuer: http://127.0.0.1:8180/realms/lab
                      audience: clearance
                """);

        TokenIssuer entra = c.identity().issuers().get(0);
        assertThat(entra.audiences()).containsExactly("api://clearance", "clearance");
        assertThat(entra.jwksUri())
                .contains(URI.create("https://login.microsoftonline.com/tenant/discovery/v2.0/keys"));
        assertThat(entra.principalClaim()).isEqualTo("preferred_username");
        assertThat(entra.leeway()).isEqualTo(Duration.ofSeconds(10));
        assertThat(entra.keysFor()).isEqualTo(Duration.ofMinutes(15));
        assertThat(entra.facts()).isEqualTo(Map.of("citizenships", "citizenships", "residence_country", "ctry"));
        assertThat(c.identity().issuers().get(1).issuer()).isEqualTo("http://127.0.0.1:8180/realms/lab");
        assertThat(c.identity().scim()).isEmpty();
    }

    @Test
    void without_the_sections_there_are_api_keys_only_and_no_scim() throws Exception {
        assertThat(load("node: n1\n").identity()).isEqualTo(IdentitySettings.NONE);
    }

    @Test
    void mistakes_are_located_at_their_key() throws Exception {
        List<String> problems = problems("""
                admin:
                  token: same
                auth:
                  oidc:
                    issuer: http://idp.example.com
                    audiences: x
                    leeway: forever
                    facts:
                      us_person: usp
                scim:
                  token: same
                  client: "okta prod"
                """);

        assertThat(problems)
                .contains(
                        at(5, 13)
                                + "auth.oidc.issuer: 'http://idp.example.com' must use https (plain http only on a loopback host)",
                        at(6, 5)
                                + "auth.oidc: unknown key 'audiences' (valid keys in auth.oidc: issuer, audience,"
                                + " jwks_uri, principal_claim, leeway, jwks_cache, facts)",
                        at(5, 5) + "auth.oidc: missing required key 'audience'",
                        at(7, 13)
                                + "auth.oidc.leeway: expected a duration from 0ms to 10m (e.g. 10s, 500ms, 1m), got 'forever'",
                        at(11, 10)
                                + "scim.token: must differ from admin.token: the identity provider must not hold the admin API");
        assertThat(String.join("\n", problems)).contains("unknown key 'us_person'");
    }

    @Test
    void one_issuer_or_a_list_not_both_and_no_issuer_twice() throws Exception {
        assertThat(problems("""
                        auth:
                          oidc: {issuer: "https://a.example.com", audience: x}
                          issuers:
                            - {issuer: "https://b.example.com", audience: x}
                            - {issuer: "https://b.example.com", audience: y}
                        """))
                .anySatisfy(p -> assertThat(p).contains("auth.issuers: give one issuer as auth.oidc or several"))
                .anySatisfy(p -> assertThat(p).contains("issuer 'https://b.example.com' is configured twice"));
    }

    @Test
    void scim_needs_its_token() throws Exception {
        assertThat(problems("scim:\n  client: okta\n"))
                .anySatisfy(p -> assertThat(p).contains("scim: missing required key 'token'"));
        assertThatThrownBy(() -> new IdentitySettings.Scim("", "okta")).isInstanceOf(IllegalArgumentException.class);
    }
}
