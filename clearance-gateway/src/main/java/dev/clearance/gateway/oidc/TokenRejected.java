package dev.clearance.gateway.oidc;

/**
 * A token was refused. The message says why in words a caller can act on (expired, wrong audience, an
 * unknown key) without revealing anything about the keys; refusals are expected, so no stack trace.
 */
public final class TokenRejected extends Exception {
    private static final long serialVersionUID = 1L;

    TokenRejected(String message) {
        super(message, null, false, false);
    }
}
