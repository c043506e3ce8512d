package dev.clearance.cli.config;

import dev.clearance.gateway.IdentitySettings;
import dev.clearance.gateway.oidc.TokenIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The {@code auth:} and {@code scim:} sections of {@code clearance.yaml} (docs/configuration.md#identity):
 * the OIDC issuers whose tokens are callers ({@code auth.oidc} for one, {@code auth.issuers} for several)
 * and SCIM provisioning. Read as strictly as the rest of the file.
 */
final class IdentityConfig {
    static final Set<String> AUTH_KEYS = ClearanceConfig.keys("oidc", "issuers");
    static final Set<String> ISSUER_KEYS =
            ClearanceConfig.keys("issuer", "audience", "jwks_uri", "principal_claim", "leeway", "jwks_cache", "facts");
    static final Set<String> SCIM_KEYS = ClearanceConfig.keys("token", "client");

    private IdentityConfig() {}

    /** The identity settings; {@link IdentitySettings#NONE} when neither section is there. */
    static IdentitySettings read(ConfigReader.Section top, Optional<Secret> adminToken) {
        List<TokenIssuer> issuers = new ArrayList<>();
        top.section("auth", AUTH_KEYS).ifPresent(auth -> {
            if (auth.has("oidc") && auth.has("issuers")) {
                auth.problem("issuers", "give one issuer as auth.oidc or several as auth.issuers, not both");
            }
            auth.section("oidc", ISSUER_KEYS).flatMap(IdentityConfig::issuer).ifPresent(issuers::add);
            Set<String> seen = new HashSet<>();
            for (ConfigReader.Section s : auth.sections("issuers", ISSUER_KEYS)) {
                issuer(s).ifPresent(i -> {
                    if (seen.add(i.issuer())) {
                        issuers.add(i);
                    } else {
                        s.problem("issuer", "issuer '" + i.issuer() + "' is configured twice");
                    }
                });
            }
        });
        Optional<IdentitySettings.Scim> scim = top.section("scim", SCIM_KEYS).flatMap(s -> {
            String token = s.requiredString("token");
            String client = s.string("client", "idp");
            if (token == null) {
                return Optional.empty();
            }
            if (adminToken.isPresent() && adminToken.get().value().equals(token)) {
                s.problem("token", "must differ from admin.token: the identity provider must not hold the admin API");
                return Optional.empty();
            }
            if (!client.matches("[A-Za-z0-9._-]+")) {
                s.problem("client", "expected a name of letters, digits, '.', '_' or '-', got '" + client + "'");
            }
            return Optional.of(new IdentitySettings.Scim(token, client));
        });
        return new IdentitySettings(issuers, scim);
    }

    private static Optional<TokenIssuer> issuer(ConfigReader.Section s) {
        String issuer = s.requiredString("issuer");
        if (issuer != null) {
            TokenIssuer.urlProblem(issuer).ifPresent(p -> s.problem("issuer", p));
        }
        List<String> audiences = s.nodeOf("audience") instanceof SequenceNode
                ? s.strings("audience", List.of())
                : Optional.ofNullable(s.requiredString("audience"))
                        .map(List::of)
                        .orElse(List.of());
        if (s.has("audience") && audiences.isEmpty()) {
            s.problem("audience", "must name at least one audience");
        }
        Optional<URI> jwksUri = Optional.ofNullable(s.string("jwks_uri", null)).flatMap(u -> {
            Optional<String> problem = TokenIssuer.urlProblem(u);
            problem.ifPresent(p -> s.problem("jwks_uri", p));
            return problem.isPresent() ? Optional.empty() : Optional.of(URI.create(u));
        });
        String claim = s.string("principal_claim", TokenIssuer.DEFAULT_PRINCIPAL_CLAIM);
        Duration leeway = s.duration("leeway", TokenIssuer.DEFAULT_LEEWAY, Duration.ZERO, Duration.ofMinutes(10));
        Duration keysFor = s.duration(
                "jwks_cache", TokenIssuer.DEFAULT_KEYS_FOR, Duration.ofSeconds(10), Duration.ofMinutes(1440));
        Map<String, String> facts = new LinkedHashMap<>();
        s.section(
                        "facts",
                        new LinkedHashSet<>(
                                TokenIssuer.CLAIMABLE_FACTS.stream().sorted().toList()))
                .ifPresent(f -> {
                    for (String fact : TokenIssuer.CLAIMABLE_FACTS) {
                        String c = f.string(fact, null);
                        if (c != null) {
                            facts.put(fact, c);
                        }
                    }
                });
        if (issuer == null
                || audiences.isEmpty()
                || TokenIssuer.urlProblem(issuer).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new TokenIssuer(issuer, audiences, jwksUri, claim, leeway, keysFor, facts));
    }
}
