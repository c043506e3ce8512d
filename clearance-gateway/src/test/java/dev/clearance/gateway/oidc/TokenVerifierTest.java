package dev.clearance.gateway.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every classic attack on JWT verification, and key rotation, against a local issuer. */
class TokenVerifierTest {
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final RSAKey rsa = LocalIssuer.rsa("rsa-1");
    final ECKey ec = LocalIssuer.ec("ec-1");
    final OctetKeyPair ed = LocalIssuer.ed25519("ed-1");
    LocalIssuer idp;
    TokenVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        idp = new LocalIssuer();
        idp.publish(rsa, ec, ed);
        verifier = new TokenVerifier(List.of(idp.settings()), clock);
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    JWTClaimsSet.Builder claims(String subject) {
        return idp.claims(subject, clock.instant());
    }

    String rejection(String token) {
        try {
            verifier.verify(token);
        } catch (TokenRejected e) {
            return e.getMessage();
        }
        throw new AssertionError("the token was accepted");
    }

    @Test
    void a_token_signed_by_a_published_key_names_its_principal() throws Exception {
        TokenVerifier.Verified v =
                verifier.verify(LocalIssuer.sign(rsa, claims("alice").build()));

        assertThat(v.principalId()).isEqualTo("alice");
        assertThat(v.issuer()).isEqualTo(idp.issuer());
        assertThat(idp.discoveries.get()).as("keys found through discovery").isEqualTo(1);
    }

    @Test
    void rs256_ps256_es256_and_eddsa_are_each_accepted_with_a_key_of_their_type() throws Exception {
        JWTClaimsSet c = claims("chen").build();
        String ps256 = LocalIssuer.sign(
                rsa, new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").build(), c);

        assertThat(verifier.verify(LocalIssuer.sign(rsa, c)).principalId()).isEqualTo("chen");
        assertThat(verifier.verify(ps256).principalId()).isEqualTo("chen");
        assertThat(verifier.verify(LocalIssuer.sign(ec, c)).principalId()).isEqualTo("chen");
        assertThat(verifier.verify(LocalIssuer.sign(ed, c)).principalId()).isEqualTo("chen");
    }

    @Test
    void an_unsigned_token_with_alg_none_is_refused() {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
        String payload = Base64URL.encode(claims("alice").build().toString()).toString();

        assertThat(rejection(header + "." + payload + ".")).contains("not a signed JWT");
        assertThat(rejection(header + "." + payload + "." + Base64URL.encode("x")))
                .contains("not a signed JWT");
    }

    @Test
    void hs256_keyed_with_the_issuers_public_key_is_refused() throws Exception {
        // The classic confusion: an attacker MACs the token with the public key a verifier also holds.
        byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                claims("alice").build());
        forged.sign(new MACSigner(publicKey));
        String pem = new String(java.util.Base64.getMimeEncoder().encode(publicKey), StandardCharsets.US_ASCII);
        SignedJWT forgedWithPem = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                claims("alice").build());
        forgedWithPem.sign(new MACSigner(("-----BEGIN PUBLIC KEY-----\n" + pem + "\n-----END PUBLIC KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII)));

        assertThat(rejection(forged.serialize())).contains("algorithm HS256 is not accepted");
        assertThat(rejection(forgedWithPem.serialize())).contains("algorithm HS256 is not accepted");
    }

    @Test
    void a_key_the_issuer_does_not_publish_is_refused_however_the_token_names_it() {
        RSAKey stranger = LocalIssuer.rsa("rsa-1"); // same kid, other key
        RSAKey unknown = LocalIssuer.rsa("rsa-9");

        assertThat(rejection(LocalIssuer.sign(stranger, claims("alice").build())))
                .contains("signature does not verify");
        assertThat(rejection(LocalIssuer.sign(unknown, claims("alice").build())))
                .contains("no RS256 key 'rsa-9'");
    }

    @Test
    void a_key_id_is_only_ever_looked_up_never_used_as_a_path_or_query() {
        for (String kid : List.of("../../../../etc/passwd", "' OR '1'='1", "/dev/null", "http://attacker/keys", "")) {
            String token = LocalIssuer.sign(
                    ec,
                    new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(),
                    claims("alice").build());

            assertThat(rejection(token)).as(kid).contains("no ES256 key");
        }
    }

    @Test
    void the_algorithm_is_pinned_to_the_type_of_the_key_it_names() {
        // An RS256 header naming the issuer's EC key, and an ES256 header naming its RSA key.
        String rsOnEc = LocalIssuer.sign(
                rsa,
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ec-1").build(),
                claims("alice").build());
        String esOnRsa = LocalIssuer.sign(
                ec,
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rsa-1").build(),
                claims("alice").build());

        assertThat(rejection(rsOnEc)).contains("no RS256 key 'ec-1'");
        assertThat(rejection(esOnRsa)).contains("no ES256 key 'rsa-1'");
    }

    @Test
    void keys_offered_by_the_token_itself_are_never_fetched_or_trusted() throws Exception {
        RSAKey attacker = LocalIssuer.rsa("rsa-1");
        try (LocalIssuer evil = new LocalIssuer()) {
            evil.publish(attacker);
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID("rsa-1")
                    .jwkURL(URI.create(evil.issuer() + "/keys"))
                    .x509CertURL(URI.create(evil.issuer() + "/cert"))
                    .jwk(attacker.toPublicJWK())
                    .build();

            assertThat(rejection(
                            LocalIssuer.sign(attacker, header, claims("alice").build())))
                    .contains("signature does not verify");
            assertThat(evil.keyFetches.get()).isZero();
        }
    }

    @Test
    void a_tampered_payload_breaks_the_signature() {
        String[] parts = LocalIssuer.sign(rsa, claims("chen").build()).split("\\.");
        String elevated = Base64URL.encode(claims("alice").build().toString()).toString();

        assertThat(rejection(parts[0] + "." + elevated + "." + parts[2])).contains("signature does not verify");
    }

    @Test
    void expired_and_not_yet_valid_tokens_are_refused_beyond_the_leeway() throws Exception {
        Instant now = clock.instant();
        String expired = LocalIssuer.sign(
                rsa,
                claims("alice").expirationTime(Date.from(now.minusSeconds(31))).build());
        String justExpired = LocalIssuer.sign(
                rsa,
                claims("alice").expirationTime(Date.from(now.minusSeconds(29))).build());
        String early = LocalIssuer.sign(
                rsa,
                claims("alice").notBeforeTime(Date.from(now.plusSeconds(60))).build());
        String noExpiry =
                LocalIssuer.sign(rsa, claims("alice").expirationTime(null).build());

        assertThat(rejection(expired)).contains("expired at");
        assertThat(verifier.verify(justExpired).principalId())
                .as("within 30 s of leeway")
                .isEqualTo("alice");
        assertThat(rejection(early)).contains("not valid before");
        assertThat(rejection(noExpiry)).contains("no expiry");
    }

    @Test
    void a_token_of_another_issuer_or_for_another_audience_is_refused() {
        assertThat(rejection(LocalIssuer.sign(
                        rsa, claims("alice").issuer("https://idp.example.com").build())))
                .contains("issuer 'https://idp.example.com' is not trusted");
        assertThat(rejection(LocalIssuer.sign(
                        rsa, claims("alice").audience("another-app").build())))
                .contains("audience [another-app]");
    }

    @Test
    void a_token_without_its_principal_claim_is_refused() {
        assertThat(rejection(LocalIssuer.sign(rsa, claims("alice").subject(null).build())))
                .contains("claim 'sub' must be a non-empty string");
    }

    @Test
    void an_rsa_key_under_2048_bits_is_not_trusted() {
        RSAKey weak = LocalIssuer.rsa("weak", 1024);
        idp.publish(rsa, weak);

        assertThat(rejection(LocalIssuer.sign(weak, claims("alice").build()))).contains("no RS256 key 'weak'");
    }

    @Test
    void a_rotated_key_is_fetched_as_soon_as_a_token_names_it() throws Exception {
        assertThat(verifier.verify(LocalIssuer.sign(rsa, claims("alice").build()))
                        .principalId())
                .isEqualTo("alice");
        RSAKey next = LocalIssuer.rsa("rsa-2");
        idp.publish(next);
        clock.advance(IssuerKeys.MIN_FETCH_INTERVAL);

        assertThat(verifier.verify(LocalIssuer.sign(next, claims("alice").build()))
                        .principalId())
                .isEqualTo("alice");
        assertThat(idp.keyFetches.get()).isEqualTo(2);
    }

    @Test
    void tokens_naming_invented_keys_fetch_at_most_once_per_interval() throws Exception {
        verifier.verify(LocalIssuer.sign(rsa, claims("alice").build()));
        clock.advance(IssuerKeys.MIN_FETCH_INTERVAL);
        for (int i = 0; i < 20; i++) {
            JWSHeader invented = new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .keyID("invented-" + i)
                    .build();
            rejection(LocalIssuer.sign(ec, invented, claims("alice").build()));
        }

        assertThat(idp.keyFetches.get()).isEqualTo(2);
    }

    @Test
    void cached_keys_outlive_an_outage_until_they_expire_then_every_token_is_refused() throws Exception {
        String token = LocalIssuer.sign(
                rsa, idp.claims("alice", T0.plus(Duration.ofMinutes(6))).build());
        verifier.verify(LocalIssuer.sign(rsa, claims("alice").build()));
        idp.down(true);

        clock.advance(Duration.ofMinutes(4)); // past half the lifetime: a refresh fails, the keys still serve
        assertThat(verifier.verify(LocalIssuer.sign(rsa, claims("alice").build()))
                        .principalId())
                .isEqualTo("alice");

        clock.advance(Duration.ofMinutes(2)); // past the lifetime
        assertThat(rejection(token)).contains("cannot be fetched").contains("503");

        idp.down(false);
        clock.advance(IssuerKeys.MIN_FETCH_INTERVAL);
        assertThat(verifier.verify(token).principalId()).isEqualTo("alice");
    }

    @Test
    void discovery_naming_another_issuer_is_not_believed() {
        idp.discoveryNames("https://impostor.example.com");

        assertThat(rejection(LocalIssuer.sign(rsa, claims("alice").build())))
                .contains("names issuer \"https://impostor.example.com\"");
    }

    @Test
    void a_configured_jwks_uri_is_used_without_discovery() throws Exception {
        TokenIssuer direct = new TokenIssuer(
                idp.issuer(),
                List.of(LocalIssuer.AUDIENCE),
                Optional.of(URI.create(idp.issuer() + "/keys")),
                "email",
                null,
                null,
                Map.of("citizenships", "nationalities"));
        TokenVerifier v = new TokenVerifier(List.of(direct), clock);

        TokenVerifier.Verified verified = v.verify(LocalIssuer.sign(
                ec,
                claims("u-1")
                        .claim("email", "chen@example.com")
                        .claim("nationalities", List.of("CN"))
                        .build()));

        assertThat(verified.principalId()).isEqualTo("chen@example.com");
        assertThat(verified.facts()).containsEntry("citizenships", List.of("CN"));
        assertThat(idp.discoveries.get()).isZero();
    }

    @Test
    void critical_header_extensions_are_refused() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("rsa-1")
                .type(JOSEObjectType.JWT)
                .customParam("exp-check", true)
                .criticalParams(java.util.Set.of("exp-check"))
                .build();

        assertThat(rejection(LocalIssuer.sign(rsa, header, claims("alice").build())))
                .contains("critical header parameters");
    }

    @Test
    void api_keys_and_tokens_differ_in_shape() {
        assertThat(TokenVerifier.isToken(LocalIssuer.sign(rsa, claims("alice").build())))
                .isTrue();
        assertThat(TokenVerifier.isToken("clr_ab3xk9qz_" + "A".repeat(44))).isFalse();
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
