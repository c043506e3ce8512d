package dev.clearance.gateway;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The JDK {@link HttpClient}s that call the upstreams. One client funnels every connection's events
 * through its single selector thread and lock, which profiling showed as the gateway's main
 * bottleneck under load; a few clients, picked at random per call, spread that work.
 */
final class UpstreamClients {
    private final HttpClient[] clients;

    UpstreamClients(int count) {
        clients = new HttpClient[count];
        for (int i = 0; i < count; i++) {
            clients[i] = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    // Response bodies are handed over on virtual threads: no platform-thread pool to hop through.
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
        }
    }

    /** As many clients as cores, at least two. */
    static UpstreamClients forThisMachine() {
        return new UpstreamClients(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    HttpClient next() {
        return clients[ThreadLocalRandom.current().nextInt(clients.length)];
    }
}
