package dev.clearance.gateway.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** The registered claims a verified token must satisfy (RFC 7519 section 4.1), as a pure function of the time. */
final class ClaimChecks {
    private ClaimChecks() {}

    /**
     * Checks issuer, audience and validity window and returns the principal's id.
     *
     * @throws TokenRejected naming the first claim that fails
     */
    static String check(JWTClaimsSet claims, TokenIssuer issuer, Instant now) throws TokenRejected {
        if (!issuer.issuer().equals(claims.getIssuer())) {
            throw new TokenRejected(
                    "the token's issuer is '" + claims.getIssuer() + "', not '" + issuer.issuer() + "'");
        }
        List<String> aud = claims.getAudience();
        if (aud.stream().noneMatch(issuer.audiences()::contains)) {
            throw new TokenRejected("the token is for audience " + aud + ", not " + issuer.audiences());
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new TokenRejected("the token has no expiry (exp)");
        }
        if (!now.isBefore(exp.toInstant().plus(issuer.leeway()))) {
            throw new TokenRejected("the token expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(issuer.leeway()).isBefore(nbf.toInstant())) {
            throw new TokenRejected("the token is not valid before " + nbf.toInstant());
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.plus(issuer.leeway()).isBefore(iat.toInstant())) {
            throw new TokenRejected("the token was issued in the future (" + iat.toInstant() + ")");
        }
        Object principal = claims.getClaim(issuer.principalClaim());
        if (!(principal instanceof String id) || id.isBlank()) {
            throw new TokenRejected(
                    "the token has no principal: claim '" + issuer.principalClaim() + "' must be a non-empty string");
        }
        return id;
    }
}
