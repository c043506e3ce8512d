package dev.clearance.gateway;

import dev.clearance.gateway.oidc.TokenIssuer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Identity from the organisation's own systems (docs/identity.md): the OIDC issuers whose tokens are
 * accepted as callers beside API keys, and SCIM provisioning on the admin listener.
 *
 * @param issuers none (the default) accepts API keys only
 * @param scim    empty (the default) serves no SCIM
 */
public record IdentitySettings(List<TokenIssuer> issuers, Optional<Scim> scim) {
    /** API keys only, no SCIM. */
    public static final IdentitySettings NONE = new IdentitySettings(List.of(), Optional.empty());

    public IdentitySettings {
        issuers = List.copyOf(issuers);
        scim = scim == null ? Optional.empty() : scim;
    }

    /**
     * SCIM 2.0 under {@code /scim/v2} on the admin listener.
     *
     * @param token  the bearer token the identity provider presents; never the admin token
     * @param client who the store's history names for the provider's changes ({@code scim:<client>})
     */
    public record Scim(String token, String client) {
        public Scim {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("scim.token must be set: SCIM never runs without a token");
            }
            client = client == null || client.isBlank() ? "idp" : client;
        }

        @Override
        public String toString() {
            return "Scim[token=***, client=" + client + "]";
        }
    }

    /** Checks what only the whole configuration can tell. */
    void requireDistinctFrom(String adminToken) {
        Objects.requireNonNull(adminToken);
        if (scim.isPresent() && scim.get().token().equals(adminToken)) {
            throw new IllegalArgumentException(
                    "scim.token must differ from admin.token: the identity provider must not hold the admin API");
        }
    }
}
