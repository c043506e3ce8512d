package dev.clearance.gateway.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenID Connect issuer on a loopback port: its discovery document, its published keys (which a
 * test replaces to rotate them, or withdraws to make the issuer unreachable), and tokens signed with
 * RSA, EC and Ed25519 keys it made. Counts what was fetched from it.
 */
public final class LocalIssuer implements AutoCloseable {
    public static final String AUDIENCE = "clearance-gateway";

    private final HttpServer server;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    public final AtomicInteger keyFetches = new AtomicInteger();
    public final AtomicInteger discoveries = new AtomicInteger();
    private volatile boolean down;
    private volatile String discoveredIssuer;

    public LocalIssuer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/openid-configuration", ex -> {
            discoveries.incrementAndGet();
            String iss = discoveredIssuer == null ? issuer() : discoveredIssuer;
            answer(ex, "{\"issuer\":\"" + iss + "\",\"jwks_uri\":\"" + issuer() + "/keys\"}");
        });
        server.createContext("/keys", ex -> {
            keyFetches.incrementAndGet();
            answer(ex, new JWKSet(new ArrayList<>(published)).toPublicJWKSet().toString());
        });
        server.start();
    }

    private void answer(HttpExchange ex, String json) throws IOException {
        try (ex) {
            if (down) {
                ex.sendResponseHeaders(503, -1);
                return;
            }
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("content-type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The issuer's settings as the gateway is configured with them (discovery, default claims and leeway). */
    public TokenIssuer settings() {
        return TokenIssuer.of(issuer(), AUDIENCE);
    }

    /** Publishes these keys (public parts only), replacing those published before. */
    public void publish(JWK... keys) {
        published.clear();
        published.addAll(Arrays.asList(keys));
    }

    /** Whether every request is answered 503 from now on. */
    public void down(boolean down) {
        this.down = down;
    }

    /** Makes discovery name another issuer than the one asked. */
    public void discoveryNames(String issuer) {
        this.discoveredIssuer = issuer;
    }

    public static RSAKey rsa(String kid) {
        return rsa(kid, 2048);
    }

    /** An RSA key of any size (the JOSE library's generator refuses the weak ones a test needs). */
    public static RSAKey rsa(String kid, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            KeyPair pair = g.generateKeyPair();
            return new RSAKey.Builder((java.security.interfaces.RSAPublicKey) pair.getPublic())
                    .privateKey(pair.getPrivate())
                    .keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Ed25519 key made by the JDK, as a JWK with its private part. */
    public static OctetKeyPair ed25519(String kid) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            return new OctetKeyPair.Builder(
                            Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))
                    .d(Base64URL.encode(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)))
                    .keyID(kid)
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims of a valid token for {@code subject}, five minutes long from {@code now}. */
    public JWTClaimsSet.Builder claims(String subject, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    /** A token signed with {@code key}, with the algorithm its type calls for (RS256, ES256, EdDSA). */
    public static String sign(JWK key, JWTClaimsSet claims) {
        JWSAlgorithm alg = switch (key) {
            case RSAKey r -> JWSAlgorithm.RS256;
            case ECKey e -> JWSAlgorithm.ES256;
            default -> JWSAlgorithm.EdDSA;
        };
        return sign(
                key,
                new JWSHeader.Builder(alg)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
    }

    /** A token with this header, signed with {@code key}. */
    public static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
        try {
            if (key instanceof OctetKeyPair okp) {
                String input = header.toBase64URL() + "." + Base64URL.encode(claims.toString());
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(java.security.KeyFactory.getInstance("Ed25519")
                        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8(okp.getDecodedD()))));
                s.update(input.getBytes(StandardCharsets.US_ASCII));
                return input + "." + Base64URL.encode(s.sign());
            }
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(
                    key instanceof RSAKey r
                            ? new RSASSASigner(r.toPrivateKey(), java.util.Set.of(AllowWeakRSAKey.getInstance()))
                            : new ECDSASigner((ECKey) key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pkcs8(byte[] d) {
        byte[] prefix = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
        };
        byte[] out = Arrays.copyOf(prefix, prefix.length + 32);
        System.arraycopy(d, 0, out, prefix.length, 32);
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
