package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static dev.clearance.gateway.GatewayFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.clearance.core.Principal;
import dev.clearance.gateway.oidc.LocalIssuer;
import dev.clearance.gateway.oidc.TokenIssuer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Callers with OIDC tokens, through the whole pipeline, beside API keys. */
class TokenCallersTest {
    final RSAKey rsa = LocalIssuer.rsa("rsa-1");
    final ECKey ec = LocalIssuer.ec("ec-1");
    final List<Principal> recorded = new CopyOnWriteArrayList<>();
    LocalIssuer idp;
    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        idp = new LocalIssuer();
        idp.publish(rsa, ec);
        TokenIssuer issuer = new TokenIssuer(
                idp.issuer(),
                List.of(LocalIssuer.AUDIENCE),
                Optional.empty(),
                null,
                null,
                null,
                Map.of("citizenships", "verified_citizenships"));
        f = new GatewayFixture(new IdentitySettings(List.of(issuer), Optional.empty()), (request, principal, d) -> {
            recorded.add(principal);
            return CompletableFuture.completedFuture(null);
        });
    }

    @AfterEach
    void stop() {
        f.close();
        idp.close();
    }

    String token(com.nimbusds.jose.jwk.JWK key, String subject) {
        return LocalIssuer.sign(key, idp.claims(subject, Instant.now()).build());
    }

    /** An ES256 token of {@code subject} stating the citizenships this issuer is trusted with. */
    String claimingCitizenships(String subject, String... countries) {
        return LocalIssuer.sign(
                ec,
                idp.claims(subject, Instant.now())
                        .claim("verified_citizenships", List.of(countries))
                        .build());
    }

    @Test
    void an_rs256_token_of_a_us_person_is_allowed_and_an_es256_token_of_a_foreign_person_is_denied() throws Exception {
        HttpResponse<String> alice = f.post("/v1/chat/completions", token(rsa, "alice"), chat("frontier-x"));
        HttpResponse<String> chen = f.post("/v1/chat/completions", token(ec, "chen"), chat("frontier-x"));

        assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
        assertThat(chen.statusCode()).isEqualTo(403);
        assertThat(chen.body()).contains("dir-2026-017-frontier-foreign-nationals");
    }

    @Test
    void a_token_is_read_from_x_api_key_too_and_api_keys_keep_working() throws Exception {
        HttpResponse<String> anthropic = f.post(
                "/v1/messages",
                null,
                message("frontier-x", false),
                "x-api-key",
                token(rsa, "alice"),
                "anthropic-version",
                "2023-06-01");
        HttpResponse<String> key = f.post("/v1/chat/completions", f.aliceKey, chat("frontier-x"));

        assertThat(anthropic.statusCode()).as(anthropic.body()).isEqualTo(200);
        assertThat(key.statusCode()).isEqualTo(200);
    }

    @Test
    void a_refused_token_is_a_401_in_the_callers_shape_that_says_why() throws Exception {
        String expired = LocalIssuer.sign(
                rsa,
                idp.claims("alice", Instant.now())
                        .expirationTime(Date.from(Instant.now().minusSeconds(120)))
                        .build());

        HttpResponse<String> openai = f.post("/v1/chat/completions", expired, chat("frontier-x"));
        HttpResponse<String> anthropic = f.post(
                "/v1/messages",
                null,
                message("frontier-x", false),
                "x-api-key",
                expired,
                "anthropic-version",
                "2023-06-01");

        assertThat(openai.statusCode()).isEqualTo(401);
        assertThat(openai.body()).contains("\"code\":\"invalid_token\"").contains("expired at");
        assertThat(anthropic.statusCode()).isEqualTo(401);
        assertThat(anthropic.body()).contains("\"type\":\"authentication_error\"");
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void a_token_for_a_principal_never_provisioned_is_refused_like_an_unknown_key() throws Exception {
        HttpResponse<String> r = f.post("/v1/chat/completions", token(rsa, "mallory"), chat("open-small"));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("'mallory' is unknown or has been deactivated");
        assertThat(recorded).as("nothing was decided").isEmpty();
    }

    @Test
    void a_deleted_principals_token_is_refused_from_the_next_request() throws Exception {
        String token = token(rsa, "alice");
        assertThat(f.post("/v1/chat/completions", token, chat("open-small")).statusCode())
                .isEqualTo(200);

        f.admin("DELETE", "/admin/v1/principals/alice", null, null);

        assertThat(f.post("/v1/chat/completions", token, chat("open-small")).statusCode())
                .isEqualTo(401);
    }

    @Test
    void mapped_claims_take_precedence_over_stored_facts_and_are_what_the_log_records() throws Exception {
        // chen is a Chinese citizen in the store; this issuer is trusted to state citizenships.
        String claimsUs = claimingCitizenships("chen", "US");
        String noClaim = token(ec, "chen");

        assertThat(f.post("/v1/chat/completions", claimsUs, chat("frontier-x")).statusCode())
                .isEqualTo(200);
        assertThat(recorded.getLast().citizenships()).containsExactly("US");
        assertThat(f.post("/v1/chat/completions", noClaim, chat("frontier-x")).statusCode())
                .isEqualTo(403);
        assertThat(recorded.getLast().citizenships()).containsExactly("CN");
    }

    /** Sends a call the upstream receives but does not answer yet; returns once the upstream has it. */
    CompletableFuture<HttpResponse<String>> heldCall(String token, String body) throws Exception {
        f.upstream.holdHead();
        CompletableFuture<HttpResponse<String>> response = f.http.sendAsync(
                f.postRequest("/v1/chat/completions", token, body), HttpResponse.BodyHandlers.ofString());
        f.upstream.next();
        return response;
    }

    @Test
    void a_call_in_flight_is_decided_again_on_the_facts_its_token_claimed() throws Exception {
        // chen is a Chinese citizen in the store; his token states U.S. citizenship, which this issuer may.
        String claimsUs = claimingCitizenships("chen", "US");
        CompletableFuture<HttpResponse<String>> call = heldCall(claimsUs, chat("frontier-x"));

        // A change to chen re-decides the call: on the stored facts alone it would now be denied.
        HttpResponse<String> put = f.admin(
                "POST",
                "/admin/v1/principals",
                "{\"id\": \"chen\", \"kind\": \"person\", \"name\": \"Chen Wei (renamed)\","
                        + " \"citizenships\": [\"CN\"], \"residence_country\": \"US\"}",
                "application/json");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        f.upstream.sendHead();

        HttpResponse<String> r = call.get(5, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("hello from the test upstream");
    }

    @Test
    void a_call_in_flight_is_cut_when_its_tokens_principal_is_deleted() throws Exception {
        CompletableFuture<HttpResponse<String>> call = heldCall(token(rsa, "alice"), chat("frontier-x"));

        assertThat(f.admin("DELETE", "/admin/v1/principals/alice", null, null).statusCode())
                .isEqualTo(204);

        HttpResponse<String> r = call.get(5, TimeUnit.SECONDS); // before the upstream sent anything
        f.upstream.sendHead();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("not a known principal").doesNotContain("hello from the test upstream");
    }

    @Test
    void a_claim_a_principal_could_not_hold_refuses_the_token() throws Exception {
        String bad = claimingCitizenships("chen", "USA");

        HttpResponse<String> r = f.post("/v1/chat/completions", bad, chat("frontier-x"));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("field 'citizenships'").contains("'USA' is not an ISO 3166 alpha-2 code");
    }
}
