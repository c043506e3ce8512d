package dev.clearance.gateway;

import dev.clearance.core.PolicyException;
import dev.clearance.gateway.oidc.TokenRejected;
import dev.clearance.gateway.oidc.TokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OIDC tokens of the configured issuers ({@link TokenVerifier}). The token's principal must be in the
 * store, exactly as a key's must: a principal never provisioned, deactivated or deleted is refused (401)
 * like a revoked key, before anything is decided.
 */
record TokenAuthenticator(TokenVerifier verifier, Callers callers) implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(TokenAuthenticator.class);

    @Override
    public boolean reads(String credential) {
        return TokenVerifier.isToken(credential);
    }

    @Override
    public Identity authenticate(String token) {
        TokenVerifier.Verified verified;
        try {
            verified = verifier.verify(token);
        } catch (TokenRejected e) {
            LOG.debug("token refused: {}", e.getMessage());
            throw invalid(e.getMessage());
        }
        ClaimedFacts claims;
        try {
            claims = ClaimedFacts.of(verified.principalId(), verified.facts());
        } catch (PolicyException e) {
            throw invalid(
                    "the token's facts are invalid: " + e.problems().get(0).message());
        }
        if (callers.resolve(verified.principalId()).principal() == null) {
            throw invalid("the token's principal '" + verified.principalId() + "' is unknown or has been deactivated");
        }
        return new Identity(verified.principalId(), claims);
    }

    /**
     * A verified token's signature and claims cannot change; what can be withdrawn is its principal
     * (deprovisioned, deactivated, deleted). A token expiring during a call does not stop it: expiry
     * bounds when a token may start calls, and access is withdrawn by deprovisioning its principal.
     */
    @Override
    public boolean stillProves(String token, String principalId) {
        return callers.resolve(principalId).principal() != null;
    }

    private static Rejection invalid(String why) {
        return new Rejection(GatewayError.Kind.AUTHENTICATION, "invalid_token", why);
    }
}
