package dev.clearance.gateway.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.clearance.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issuer's signing keys (its JWKS), fetched over HTTP and kept for {@link TokenIssuer#keysFor}.
 *
 * <ul>
 *   <li>The JWKS address is the issuer's {@code jwks_uri}, configured or discovered once from its
 *       OpenID configuration (whose {@code issuer} must be the configured one).
 *   <li>Keys older than half their lifetime are refreshed on the next use; if that fails they are used
 *       until their lifetime ends, and after that every token of the issuer is refused (fail closed).
 *   <li>A token naming a key the set does not hold ({@code kid}) makes it fetch again at once: that is
 *       how a rotated key is accepted within seconds.
 *   <li>Fetches are at most one per {@link #MIN_FETCH_INTERVAL}, whatever callers present, so tokens
 *       with invented key ids cannot turn the gateway against the identity provider.
 * </ul>
 */
final class IssuerKeys {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);
    /** The least time between two fetches from one issuer. */
    static final Duration MIN_FETCH_INTERVAL = Duration.ofSeconds(1);
    /** How long a fetch may take. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    /** The largest document read from an issuer. */
    static final int MAX_DOCUMENT_BYTES = 1 << 20;

    private final TokenIssuer issuer;
    private final HttpClient http;
    private final Clock clock;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Fetched fetched;
    // Guarded by fetching.
    private URI jwksUri;
    private Instant lastAttempt = Instant.MIN;
    private String lastFailure = "";

    IssuerKeys(TokenIssuer issuer, HttpClient http, Clock clock) {
        this.issuer = issuer;
        this.http = http;
        this.clock = clock;
        this.jwksUri = issuer.jwksUri().orElse(null);
    }

    /** The keys as fetched, and when. */
    private record Fetched(JWKSet keys, Instant at) {}

    /** The keys' lifetime has ended and none could be fetched since. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The issuer's keys with this id ({@code kid}), or every key when the token names none.
     *
     * @throws Unavailable when the keys have expired and cannot be fetched
     */
    List<JWK> keys(String kid) throws Unavailable {
        Instant now = clock.instant();
        Fetched f = fetched;
        if (f == null || !now.isBefore(f.at().plus(issuer.keysFor()))) {
            f = fetch(f, now);
        } else if (!now.isBefore(f.at().plus(issuer.keysFor().dividedBy(2)))) {
            f = fetch(f, now);
        }
        List<JWK> found = select(f, kid);
        if (found.isEmpty() && kid != null) {
            found = select(fetch(f, clock.instant()), kid);
        }
        return found;
    }

    private static List<JWK> select(Fetched f, String kid) {
        if (kid == null) {
            return f.keys().getKeys();
        }
        JWK key = f.keys().getKeyByKeyId(kid);
        return key == null ? List.of() : List.of(key);
    }

    /**
     * Fetches the keys unless another caller just did or the last attempt was too recent; on failure
     * falls back to {@code known} while its lifetime lasts.
     */
    private Fetched fetch(Fetched known, Instant now) throws Unavailable {
        fetching.lock();
        try {
            Fetched current = fetched;
            if (current != known && current != null) {
                return current; // fetched by another caller meanwhile
            }
            if (now.isBefore(lastAttempt.plus(MIN_FETCH_INTERVAL))) {
                return usable(known, now);
            }
            lastAttempt = now;
            try {
                if (jwksUri == null) {
                    jwksUri = discover();
                }
                JWKSet keys = JWKSet.parse(get(jwksUri));
                Fetched f = new Fetched(keys.toPublicJWKSet(), clock.instant());
                if (!lastFailure.isEmpty()) {
                    LOG.info("keys of issuer {} fetched again from {}", issuer.issuer(), jwksUri);
                }
                lastFailure = "";
                fetched = f;
                return f;
            } catch (IOException | java.text.ParseException | RuntimeException e) {
                String failure = e.getMessage() == null ? e.toString() : e.getMessage();
                if (!failure.equals(lastFailure)) {
                    LOG.warn("cannot fetch the keys of issuer {}: {}", issuer.issuer(), failure);
                }
                lastFailure = failure;
                if (issuer.jwksUri().isEmpty()) {
                    jwksUri = null; // discover again next time: the issuer may have moved its keys
                }
                return usable(known, now);
            }
        } finally {
            fetching.unlock();
        }
    }

    private Fetched usable(Fetched known, Instant now) throws Unavailable {
        if (known != null && now.isBefore(known.at().plus(issuer.keysFor()))) {
            return known;
        }
        throw new Unavailable("the keys of issuer " + issuer.issuer() + " cannot be fetched"
                + (lastFailure.isEmpty() ? "" : " (" + lastFailure + ")"));
    }

    /** The {@code jwks_uri} of the issuer's OpenID configuration, which must name the configured issuer. */
    private URI discover() throws IOException {
        URI where = issuer.discoveryUri();
        JsonNode config = Json.mapper().readTree(get(where));
        JsonNode iss = config.path("issuer");
        if (!iss.isTextual() || !iss.asText().equals(issuer.issuer())) {
            throw new IOException(where + " names issuer " + iss + ", not '" + issuer.issuer() + "'");
        }
        JsonNode keys = config.path("jwks_uri");
        if (!keys.isTextual()) {
            throw new IOException(where + " has no jwks_uri");
        }
        String problem = TokenIssuer.urlProblem(keys.asText()).orElse(null);
        if (problem != null) {
            throw new IOException(where + ": jwks_uri " + problem);
        }
        return URI.create(keys.asText());
    }

    private String get(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(FETCH_TIMEOUT)
                .header("accept", "application/json")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while fetching " + uri);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (bytes.length > MAX_DOCUMENT_BYTES) {
                throw new IOException(uri + " answered more than " + MAX_DOCUMENT_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
