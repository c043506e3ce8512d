package dev.clearance.gateway;

import dev.clearance.gateway.tls.TransportSecurity;
import dev.clearance.gateway.tls.UpstreamTls;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;

/**
 * The JDK {@link HttpClient}s that call the upstreams. One client funnels every connection's events
 * through its single selector thread and lock, which profiling showed as the gateway's main
 * bottleneck under load; a few clients, picked at random per call, spread that work.
 *
 * <p>A client's TLS is fixed when it is built, so there is one set of clients per distinct upstream
 * TLS setting (the CA it trusts, the certificate it presents), and one set for every upstream without
 * settings of its own (the JDK's trust store, no client certificate). The client verifies each
 * upstream's host name against its certificate; nothing here turns that off.
 */
final class UpstreamClients {
    private final HttpClient[] defaults;
    private final Map<String, HttpClient[]> byUpstream = new HashMap<>();

    UpstreamClients(int count, List<GatewaySettings.Upstream> upstreams, TransportSecurity security) {
        defaults = clients(count, null);
        Map<UpstreamTls, HttpClient[]> bySettings = new HashMap<>();
        for (GatewaySettings.Upstream u : upstreams) {
            u.tls()
                    .ifPresent(tls -> byUpstream.put(
                            u.name(), bySettings.computeIfAbsent(tls, t -> clients(count, security.upstream(t)))));
        }
    }

    /** As many clients per set as cores, at least two. */
    static UpstreamClients forThisMachine(List<GatewaySettings.Upstream> upstreams, TransportSecurity security) {
        return new UpstreamClients(Math.max(2, Runtime.getRuntime().availableProcessors()), upstreams, security);
    }

    /** A client for calls to {@code upstream}. */
    HttpClient next(GatewaySettings.Upstream upstream) {
        HttpClient[] set = byUpstream.getOrDefault(upstream.name(), defaults);
        return set[ThreadLocalRandom.current().nextInt(set.length)];
    }

    private static HttpClient[] clients(int count, SSLContext tls) {
        HttpClient[] clients = new HttpClient[count];
        for (int i = 0; i < count; i++) {
            HttpClient.Builder b = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    // Response bodies are handed over on virtual threads: no platform-thread pool to hop through.
                    .executor(Executors.newVirtualThreadPerTaskExecutor());
            if (tls != null) {
                b.sslContext(tls).sslParameters(TransportSecurity.clientParameters());
            }
            clients[i] = b.build();
        }
        return clients;
    }
}
