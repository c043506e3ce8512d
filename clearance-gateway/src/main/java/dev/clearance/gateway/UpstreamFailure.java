package dev.clearance.gateway;

import javax.net.ssl.SSLException;

/**
 * An allowed call its upstream never answered: the connection failed, or the upstream's certificate
 * was refused (untrusted CA, wrong host name), in which case not a byte of the request was sent. The
 * caller gets a provider-shaped 502; the decide stage records the failure with its reason
 * ({@link Enforcement#upstreamFailed}).
 */
final class UpstreamFailure extends Rejection {
    private static final long serialVersionUID = 1L;
    private final String reason;

    UpstreamFailure(String upstream, Throwable cause) {
        super(
                GatewayError.Kind.BAD_GATEWAY,
                "upstream_unreachable",
                "upstream '" + upstream + "' could not be reached"
                        + (tlsFailure(cause) != null ? ": its TLS handshake failed" : ""));
        SSLException tls = tlsFailure(cause);
        this.reason = "upstream '" + upstream + "' unreachable: "
                + (tls != null ? "TLS handshake failed: " + tls.getMessage() : cause.toString());
    }

    /** What went wrong, for the log and the decision log (the caller gets only the message). */
    String reason() {
        return reason;
    }

    private static SSLException tlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }
}
