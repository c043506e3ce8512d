package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.core.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity from the organisation's systems, end to end through {@code serve --config} with the
 * {@code auth.oidc} and {@code scim} sections: an identity provider on loopback (discovery, keys, key
 * rotation) signs the callers' tokens, and provisions their principals over SCIM.
 */
class ServeIdentityTest {
    static final String EXT = "urn:clearance:params:scim:schemas:extension:export-control:2.0:User";
    static final String SCIM_TOKEN = "scim-t0ken";

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();
    final List<JWK> published = new CopyOnWriteArrayList<>();

    @Test
    void tokens_from_the_identity_provider_and_users_it_provisions_are_enforced_through_serve() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        published.addAll(List.of(rsa, ec));
        HttpServer idp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String issuer = "http://127.0.0.1:" + idp.getAddress().getPort();
        idp.createContext(
                "/.well-known/openid-configuration",
                ex -> respond(ex, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}"));
        idp.createContext(
                "/jwks",
                ex -> respond(
                        ex, new JWKSet(List.copyOf(published)).toPublicJWKSet().toString()));
        idp.start();
        Files.writeString(dir.resolve("frontier.yaml"), """
                id: dir-2026-017-frontier-foreign-nationals
                title: Restrict frontier models to U.S. persons
                effective_from: 2026-01-01T00:00:00Z
                scope: {models: ["frontier-*"]}
                applies_to: "!principal.us_person"
                effect: deny
                """);
        try (var upstream =
                        dev.clearance.gateway.DemoUpstream.start("127.0.0.1", 0, List.of("frontier-x"), Duration.ZERO);
                ConfiguredServer.Running running = ConfiguredServer.start(
                        ClearanceConfig.load(
                                Files.writeString(
                                        dir.resolve("clearance.yaml"), """
                                        data_dir: ./data
                                        server: { host: 127.0.0.1, port: 0 }
                                        admin:  { host: 127.0.0.1, port: 0, token: admin-t0ken }
                                        directives: ./frontier.yaml
                                        upstreams:
                                          - { name: demo, base_url: "%s", models: ["*"] }
                                        auth:
                                          oidc:
                                            issuer: %s
                                            audience: clearance-gateway
                                            leeway: 30s
                                        scim:
                                          token: ${SCIM_TOKEN}
                                          client: okta
                                        """.formatted(upstream.baseUrl(), issuer)),
                                Map.of("SCIM_TOKEN", SCIM_TOKEN)),
                        false)) {
            int admin = running.gateway().adminPort();
            int api = running.gateway().port();

            // SCIM refuses a request without its token.
            assertThat(scim(admin, null, "GET", "/Users", null).statusCode()).isEqualTo(401);

            // Users with the extension: 201 with an id, read back, found by userName.
            HttpResponse<String> alice = scim(admin, SCIM_TOKEN, "POST", "/Users", user("alice", "US"));
            HttpResponse<String> chen = scim(admin, SCIM_TOKEN, "POST", "/Users", user("chen", "CN"));
            assertThat(alice.statusCode()).as(alice.body()).isEqualTo(201);
            assertThat(chen.statusCode()).isEqualTo(201);
            String chenId = json(chen).get("id").asText();
            assertThat(json(scim(admin, SCIM_TOKEN, "GET", "/Users/" + chenId, null))
                            .get("userName")
                            .asText())
                    .isEqualTo("chen");
            JsonNode found =
                    json(scim(admin, SCIM_TOKEN, "GET", "/Users?filter=" + enc("userName eq \"alice\""), null));
            assertThat(found.get("totalResults").asInt()).isEqualTo(1);
            HttpResponse<String> malformed = scim(admin, SCIM_TOKEN, "POST", "/Users", user("eve", "Utopia"));
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(json(malformed).get("schemas").get(0).asText())
                    .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");

            // An RS256 token of a U.S. person is allowed; an ES256 token of a foreign person is denied.
            assertThat(call(api, sign(rsa, claims(issuer, "alice")))).isEqualTo(200);
            assertThat(call(api, sign(ec, claims(issuer, "chen")))).isEqualTo(403);

            // Forged, stale and misdirected tokens are refused with 401.
            Instant now = Instant.now();
            String tampered = sign(rsa, claims(issuer, "chen"));
            String[] parts = tampered.split("\\.");
            SignedJWT hs256 = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                    claims(issuer, "alice").build());
            hs256.sign(new MACSigner(rsa.toRSAPublicKey().getEncoded()));
            for (String refused : List.of(
                    sign(rsa, claims(issuer, "alice").expirationTime(Date.from(now.minusSeconds(120)))),
                    sign(rsa, claims(issuer, "alice").audience("another-app")),
                    sign(rsa, claims(issuer, "alice").issuer("https://idp.example.com")),
                    sign(new RSAKeyGenerator(2048).keyID("rsa-9").generate(), claims(issuer, "alice")),
                    Base64URL.encode("{\"alg\":\"none\"}") + "."
                            + Base64URL.encode(claims(issuer, "alice").build().toString()) + ".",
                    hs256.serialize(),
                    parts[0] + "."
                            + Base64URL.encode(claims(issuer, "alice").build().toString()) + "." + parts[2],
                    sign(rsa, claims(issuer, "mallory")))) {
                assertThat(call(api, refused)).as(refused).isEqualTo(401);
            }

            // A rotated key (new kid in the key set) is accepted within 5 s.
            RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
            published.add(rotated);
            String rotatedToken = sign(rotated, claims(issuer, "alice"));
            assertThat(within(Duration.ofSeconds(5), 200, () -> call(api, rotatedToken)))
                    .isEqualTo(200);

            // A SCIM PATCH of citizenships changes the next decision.
            HttpResponse<String> patched = scim(
                    admin,
                    SCIM_TOKEN,
                    "PATCH",
                    "/Users/" + chenId,
                    patch("[{\"op\":\"replace\",\"path\":\"" + EXT + ":citizenships\",\"value\":[\"US\"]}]"));
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            String chenToken = sign(ec, claims(issuer, "chen"));
            assertThat(call(api, chenToken)).isEqualTo(200);

            // PATCH active=false blocks the user within 1 s.
            scim(
                    admin,
                    SCIM_TOKEN,
                    "PATCH",
                    "/Users/" + chenId,
                    patch("[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]"));
            assertThat(within(Duration.ofSeconds(1), 401, () -> call(api, chenToken)))
                    .isEqualTo(401);

            // DELETE removes the user.
            assertThat(scim(admin, SCIM_TOKEN, "DELETE", "/Users/" + chenId, null)
                            .statusCode())
                    .isEqualTo(204);
            assertThat(scim(admin, SCIM_TOKEN, "GET", "/Users/" + chenId, null).statusCode())
                    .isEqualTo(404);

            // The decisions made on provisioned facts are in the decision log, with those facts.
            assertThat(logHas(running, "\"principal\":\"chen\"")).isTrue();
        } finally {
            idp.stop(0);
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, String body) throws java.io.IOException {
        try (ex) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("content-type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
        }
    }

    private static JWTClaimsSet.Builder claims(String issuer, String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience("clearance-gateway")
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static String sign(JWK key, JWTClaimsSet.Builder claims) throws Exception {
        boolean rsa = key instanceof RSAKey;
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(rsa ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256)
                        .keyID(key.getKeyID())
                        .build(),
                claims.build());
        jwt.sign(rsa ? new RSASSASigner((RSAKey) key) : new ECDSASigner((ECKey) key));
        return jwt.serialize();
    }

    private static String user(String userName, String citizenship) {
        return """
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "%s"],
                 "userName": "%s", "displayName": "%s", "active": true,
                 "%s": {"citizenships": ["%s"], "residence_country": "US"}}""".formatted(EXT, userName, userName, EXT, citizenship);
    }

    private static String patch(String operations) {
        return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":" + operations + "}";
    }

    private HttpResponse<String> scim(int port, String token, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/scim/v2" + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/scim+json");
        if (token != null) {
            b.header("authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int call(int port, String token) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                                    .header("authorization", "Bearer " + token)
                                    .header("content-type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"model\":\"frontier-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status {@code call} answers once it answers {@code wanted}, or its last answer at the deadline. */
    private static int within(Duration limit, int wanted, IntSupplier call) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        int status = call.getAsInt();
        while (status != wanted && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            status = call.getAsInt();
        }
        return status;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean logHas(ConfiguredServer.Running running, String text) throws java.io.IOException {
        for (long i = 0; i < running.log().size(); i++) {
            if (new String(running.log().view().entry(i), StandardCharsets.UTF_8).contains(text)) {
                return true;
            }
        }
        return false;
    }
}
