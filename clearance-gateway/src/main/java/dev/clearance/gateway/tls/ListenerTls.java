package dev.clearance.gateway.tls;

import java.util.Objects;
import java.util.Optional;

/**
 * TLS on a listener: the certificate it serves and, optionally, the CA a client certificate must chain
 * to (mutual TLS: a client without one is refused during the handshake).
 */
public record ListenerTls(TlsIdentity identity, Optional<ConfiguredFile> clientCa) {
    public ListenerTls {
        Objects.requireNonNull(identity, "identity");
        clientCa = clientCa == null ? Optional.empty() : clientCa;
    }

    /** TLS without client certificates. */
    public ListenerTls(TlsIdentity identity) {
        this(identity, Optional.empty());
    }
}
