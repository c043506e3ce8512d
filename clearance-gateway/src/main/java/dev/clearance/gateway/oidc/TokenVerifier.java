package dev.clearance.gateway.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies the signed tokens (JWS compact JWTs) of the configured OpenID Connect issuers.
 *
 * <p>What is accepted, and nothing else: a JWS signed with RS256, PS256, ES256 or EdDSA, by a key of the
 * token's issuer whose type fits the algorithm (RSA of at least 2048 bits; EC on P-256; Ed25519), found
 * by its {@code kid} in the issuer's published key set. So {@code alg: none}, HMAC (whatever it is keyed
 * with), keys named or embedded by the token itself ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}
 * are never read) and {@code crit} extensions are all refused. After the signature: {@code iss},
 * {@code aud}, {@code exp}, {@code nbf} and {@code iat} ({@link ClaimChecks}).
 */
public final class TokenVerifier {
    private static final Set<JWSAlgorithm> ALGORITHMS =
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);
    /** Larger tokens are refused before parsing; real ones are a few kilobytes. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final Map<String, Issuer> issuers = new LinkedHashMap<>();
    private final Clock clock;

    /** An issuer with its keys. */
    private record Issuer(TokenIssuer settings, IssuerKeys keys) {}

    /**
     * A token that verified.
     *
     * @param principalId the value of the issuer's principal claim
     * @param facts       fact name to claim value, for the facts the issuer maps and the token carries
     */
    public record Verified(String issuer, String principalId, Map<String, Object> facts) {
        public Verified {
            facts = Map.copyOf(facts);
        }
    }

    public TokenVerifier(List<TokenIssuer> issuers, Clock clock) {
        this(
                issuers,
                clock,
                HttpClient.newBuilder()
                        .connectTimeout(IssuerKeys.FETCH_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build());
    }

    TokenVerifier(List<TokenIssuer> issuers, Clock clock, HttpClient http) {
        this.clock = clock;
        for (TokenIssuer i : issuers) {
            if (this.issuers.put(i.issuer(), new Issuer(i, new IssuerKeys(i, http, clock))) != null) {
                throw new IllegalArgumentException("issuer '" + i.issuer() + "' is configured twice");
            }
        }
    }

    /**
     * Whether a presented credential has the shape of a JWS compact token (three base64url parts joined
     * by dots). API keys never do, so the shape alone tells the two apart.
     */
    public static boolean isToken(String credential) {
        // What the pattern [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]* says, read by hand: every call asks,
        // and a regular expression cost more than the rest of authentication.
        int n = credential.length();
        if (n > MAX_TOKEN_CHARS) {
            return false;
        }
        int dots = 0;
        int partStart = 0;
        for (int i = 0; i < n; i++) {
            char c = credential.charAt(i);
            if (c == '.') {
                if (++dots > 2 || i == partStart) {
                    return false; // a fourth part, or an empty header or payload
                }
                partStart = i + 1;
            } else if (!base64url(c)) {
                return false;
            }
        }
        return dots == 2;
    }

    private static boolean base64url(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /**
     * Verifies a token.
     *
     * @throws TokenRejected saying why it is refused; also when its issuer's keys cannot be had (fail closed)
     */
    public Verified verify(String token) throws TokenRejected {
        if (!isToken(token)) {
            throw new TokenRejected("not a signed JWT");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TokenRejected("not a signed JWT: " + e.getMessage());
        }
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw new TokenRejected("algorithm " + alg + " is not accepted (accepted: RS256, PS256, ES256, EdDSA)");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw new TokenRejected("critical header parameters " + header.getCriticalParams() + " are not supported");
        }
        // The issuer named by the unverified token only chooses whose keys to try; every claim is
        // checked again once the signature holds.
        Issuer issuer = issuers.get(claims.getIssuer());
        if (issuer == null) {
            throw new TokenRejected("the token's issuer '" + claims.getIssuer() + "' is not trusted here");
        }
        List<JWK> keys;
        try {
            keys = issuer.keys().keys(header.getKeyID());
        } catch (IssuerKeys.Unavailable e) {
            throw new TokenRejected(e.getMessage());
        }
        List<JWK> fitting = keys.stream().filter(k -> fits(k, alg)).toList();
        if (fitting.isEmpty()) {
            throw new TokenRejected(
                    header.getKeyID() == null
                            ? "the token names no key (kid) and the issuer has no " + alg + " key"
                            : "the issuer has no " + alg + " key '" + header.getKeyID() + "'");
        }
        if (fitting.stream().noneMatch(k -> signedBy(jwt, k))) {
            throw new TokenRejected("the token's signature does not verify");
        }
        String principal = ClaimChecks.check(claims, issuer.settings(), clock.instant());
        Map<String, Object> facts = new LinkedHashMap<>();
        issuer.settings().facts().forEach((fact, claim) -> {
            Object value = claims.getClaim(claim);
            if (value != null) {
                facts.put(fact, value);
            }
        });
        return new Verified(issuer.settings().issuer(), principal, facts);
    }

    /** The algorithm is pinned to the key: its type, size or curve, and its {@code alg} and {@code use} if it states them. */
    private static boolean fits(JWK key, JWSAlgorithm alg) {
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
            return false;
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return false;
        }
        if (JWSAlgorithm.RS256.equals(alg) || JWSAlgorithm.PS256.equals(alg)) {
            return key instanceof RSAKey rsa && rsa.size() >= 2048;
        }
        if (JWSAlgorithm.ES256.equals(alg)) {
            return key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
        }
        return key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve());
    }

    private static boolean signedBy(SignedJWT jwt, JWK key) {
        try {
            return switch (key) {
                case RSAKey rsa -> jwt.verify(new RSASSAVerifier(rsa));
                case ECKey ec -> jwt.verify(new ECDSAVerifier(ec));
                case OctetKeyPair okp ->
                    Ed25519Signatures.verify(
                            okp, jwt.getSigningInput(), jwt.getSignature().decode());
                default -> false;
            };
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }
}
