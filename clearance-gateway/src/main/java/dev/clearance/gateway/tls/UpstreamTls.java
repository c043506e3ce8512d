package dev.clearance.gateway.tls;

import java.util.Optional;

/**
 * TLS to an upstream beyond the JDK defaults: the CA to trust instead of the JDK's trust store, and a
 * client certificate to present (mutual TLS). The host name is always verified against the upstream's
 * certificate. Upstreams with equal settings share their connections.
 *
 * @param ca       when present, the only CA certificates the upstream's chain may lead to
 * @param identity when present, the client certificate and key presented to the upstream
 */
public record UpstreamTls(Optional<ConfiguredFile> ca, Optional<TlsIdentity> identity) {
    public UpstreamTls {
        ca = ca == null ? Optional.empty() : ca;
        identity = identity == null ? Optional.empty() : identity;
        if (ca.isEmpty() && identity.isEmpty()) {
            throw new IllegalArgumentException("upstream TLS settings need a CA, a client certificate, or both");
        }
    }
}
