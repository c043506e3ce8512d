package dev.clearance.gateway;

import dev.clearance.gateway.oidc.TokenVerifier;

/** Clearance-issued API keys: looked up by their hash ({@link Callers#authenticate}). */
record ApiKeyAuthenticator(Callers callers) implements Authenticator {
    @Override
    public boolean reads(String credential) {
        return !TokenVerifier.isToken(credential);
    }

    @Override
    public Identity authenticate(String key) {
        return callers.authenticate(key)
                .map(principal -> new Identity(principal, ClaimedFacts.NONE))
                .orElseThrow(ApiKeyAuthenticator::unknown);
    }

    /** A revoked key, or one given to another principal since, no longer proves the call's principal. */
    @Override
    public boolean stillProves(String key, String principalId) {
        return callers.authenticate(key).filter(principalId::equals).isPresent();
    }

    /** The one answer for a credential that proves no principal, so a caller learns nothing from it. */
    static Rejection unknown() {
        return new Rejection(
                GatewayError.Kind.AUTHENTICATION, "invalid_api_key", "the API key is unknown or has been revoked");
    }
}
