package dev.clearance.gateway.oidc;

import dev.clearance.core.Json;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An OpenID Connect issuer whose signed tokens (JWTs) the gateway accepts as callers.
 *
 * @param issuer         the {@code iss} every token must carry, exactly; its keys are discovered from
 *                       {@code <issuer>/.well-known/openid-configuration} unless {@code jwksUri} is given
 * @param audiences      a token must name at least one of them in {@code aud}
 * @param jwksUri        where the issuer publishes its keys, when not discovered
 * @param principalClaim the claim whose value is the principal's id ({@code sub} by default)
 * @param leeway         clock skew allowed for {@code exp}, {@code nbf} and {@code iat}
 * @param keysFor        how long fetched keys may be used; a refresh is tried after half of it, and when
 *                       it has passed without a successful fetch every token of this issuer is refused
 * @param facts          principal facts taken from verified claims, fact name to claim name; empty
 *                       (the default) takes every fact from the store
 */
public record TokenIssuer(
        String issuer,
        List<String> audiences,
        Optional<URI> jwksUri,
        String principalClaim,
        Duration leeway,
        Duration keysFor,
        Map<String, String> facts) {

    public static final String DEFAULT_PRINCIPAL_CLAIM = "sub";
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_KEYS_FOR = Duration.ofMinutes(5);

    /** The facts a claim may carry: every field of a principal line but its id. */
    public static final Set<String> CLAIMABLE_FACTS =
            Json.PRINCIPAL_KEYS.stream().filter(k -> !k.equals("id")).collect(Collectors.toUnmodifiableSet());

    public TokenIssuer {
        Objects.requireNonNull(issuer, "issuer");
        urlProblem(issuer).ifPresent(p -> {
            throw new IllegalArgumentException("issuer: " + p);
        });
        audiences = List.copyOf(audiences);
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("audience: at least one is required");
        }
        jwksUri = jwksUri == null ? Optional.empty() : jwksUri;
        jwksUri.flatMap(u -> urlProblem(u.toString())).ifPresent(p -> {
            throw new IllegalArgumentException("jwks_uri: " + p);
        });
        principalClaim = principalClaim == null || principalClaim.isBlank() ? DEFAULT_PRINCIPAL_CLAIM : principalClaim;
        leeway = leeway == null ? DEFAULT_LEEWAY : leeway;
        keysFor = keysFor == null ? DEFAULT_KEYS_FOR : keysFor;
        if (leeway.isNegative() || !keysFor.isPositive()) {
            throw new IllegalArgumentException("leeway must not be negative and the key cache must be positive");
        }
        facts = Map.copyOf(new LinkedHashMap<>(facts == null ? Map.of() : facts));
        for (String fact : facts.keySet()) {
            if (!CLAIMABLE_FACTS.contains(fact)) {
                throw new IllegalArgumentException("facts: '" + fact + "' is not a principal fact");
            }
        }
    }

    /** An issuer with the defaults for everything optional. */
    public static TokenIssuer of(String issuer, String audience) {
        return new TokenIssuer(issuer, List.of(audience), Optional.empty(), null, null, null, Map.of());
    }

    /**
     * What is wrong with an issuer or key URL, if anything: it must be {@code https}, except on a loopback
     * host (a local identity provider in development and tests), and carry no query or fragment.
     */
    public static Optional<String> urlProblem(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return Optional.of("'" + url + "' is not a URL: " + e.getMessage());
        }
        if (u.getHost() == null || u.getScheme() == null) {
            return Optional.of("'" + url + "' is not an absolute URL with a host");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            return Optional.of("'" + url + "' must have no query or fragment");
        }
        boolean https = "https".equals(u.getScheme());
        if (!https && !("http".equals(u.getScheme()) && loopback(u.getHost()))) {
            return Optional.of("'" + url + "' must use https (plain http only on a loopback host)");
        }
        return Optional.empty();
    }

    private static boolean loopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        // Only literals: a name is never resolved here, so no lookup decides what is trusted.
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Where discovery looks: the issuer without a trailing slash, then the well-known path (OIDC Discovery 4). */
    URI discoveryUri() {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }
}
