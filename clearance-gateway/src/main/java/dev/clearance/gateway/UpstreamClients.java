package dev.clearance.gateway;

import dev.clearance.gateway.tls.TransportSecurity;
import dev.clearance.gateway.tls.UpstreamTls;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.DefaultDnsResolver;
import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.spi.DnsResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP/1.1 clients that read the upstreams' model lists ({@link UpstreamModels}): Helidon's
 * blocking {@link WebClient}, which runs each exchange on the calling thread. Model calls themselves
 * go through {@link UpstreamExchanges}, which costs less CPU per call.
 *
 * <p>A client's TLS is fixed when it is built, so there is one client per distinct upstream TLS
 * setting (the CA it trusts, the certificate it presents) and one for every upstream without settings
 * of its own (the JDK's default trust store, no client certificate). Each keeps its own pool of
 * kept-alive connections per host. The client verifies each upstream's host name (or IP address)
 * against its certificate; nothing here turns that off.
 */
final class UpstreamClients {
    /** How long connecting (TCP and TLS handshake) may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long an upstream may stay silent while an answer is awaited or streamed: models can think
     * for minutes before their first byte, so only a connection that is surely dead is given up.
     */
    static final Duration READ_TIMEOUT = Duration.ofMinutes(10);

    private final WebClient defaults;
    private final Map<String, WebClient> byUpstream = new HashMap<>();

    private UpstreamClients(List<GatewaySettings.Upstream> upstreams, TransportSecurity security) {
        defaults = client(defaultContext());
        Map<UpstreamTls, WebClient> bySettings = new HashMap<>();
        for (GatewaySettings.Upstream u : upstreams) {
            u.tls()
                    .ifPresent(tls -> byUpstream.put(
                            u.name(), bySettings.computeIfAbsent(tls, t -> client(security.upstream(t)))));
        }
    }

    static UpstreamClients of(List<GatewaySettings.Upstream> upstreams, TransportSecurity security) {
        return new UpstreamClients(upstreams, security);
    }

    /** The client for calls to {@code upstream}. */
    WebClient client(GatewaySettings.Upstream upstream) {
        return byUpstream.getOrDefault(upstream.name(), defaults);
    }

    private static WebClient client(SSLContext context) {
        SSLParameters parameters = TransportSecurity.clientParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return WebClient.builder()
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(READ_TIMEOUT)
                .followRedirects(false)
                .shareConnectionCache(false)
                .tls(Tls.builder().sslContext(context).sslParameters(parameters).build())
                .dnsResolver(new NamedAddresses())
                .build();
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no default TLS context", e);
        }
    }

    /**
     * Resolves as the default resolver does, but keeps the name the upstream was configured with on
     * the address: the TLS handshake verifies the certificate against that name, never against a name
     * found by a reverse lookup of an IP address.
     */
    private static final class NamedAddresses implements DnsResolver {
        private final DnsResolver resolver = DefaultDnsResolver.create();

        @Override
        public InetAddress resolveAddress(String hostname, DnsAddressLookup lookup) {
            InetAddress address = resolver.resolveAddress(hostname, lookup);
            try {
                return InetAddress.getByAddress(hostname, address.getAddress());
            } catch (UnknownHostException e) {
                throw new IllegalStateException("an address resolved for " + hostname + " has an invalid length", e);
            }
        }
    }
}
