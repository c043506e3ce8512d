package dev.clearance.gateway;

import dev.clearance.core.ContentClassification;
import dev.clearance.core.Decision;
import dev.clearance.gateway.tls.TlsSource;
import dev.clearance.store.FleetView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The gateway's Prometheus metrics: requests by endpoint and status, decisions by result and
 * directive, shadow-mode hits by directive (what a shadow directive would have denied), upstream
 * latency by upstream, content classification latency (request or answer), calls and streams in
 * flight; the fleet: nodes by status, how long each policy version took to reach this node, and how
 * long ago this node confirmed its policy; and for each listener and upstream with TLS material the
 * time left until its certificate expires and its certificate reloads and refused reloads.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Meter lookups by tag are cached: the hot path must not build meter ids per request.
    private final ConcurrentHashMap<String, ConcurrentHashMap<Integer, Counter>> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>> decisions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> shadowHits = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> upstreamLatency = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ContentClassification.Read, Timer> classificationLatency =
            new ConcurrentHashMap<>();
    private final Timer policyPropagation = Timer.builder("clearance.policy.propagation")
            .description("time from a policy version's activation (on any node) to its application on this node")
            .publishPercentileHistogram()
            .register(registry);

    void request(String endpoint, int status) {
        // Two look-ups without building a key: this runs on every call.
        requests.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        status,
                        st -> Counter.builder("clearance.requests")
                                .description("API calls answered, by endpoint and HTTP status")
                                .tag("endpoint", knownEndpoint(endpoint))
                                .tag("status", Integer.toString(st))
                                .register(registry))
                .increment();
    }

    void decision(Decision decision) {
        String result = decision.outcome().wireName();
        if (decision.directives().isEmpty()) {
            decisionCounter(result, "").increment();
        } else {
            for (String directive : decision.directives()) {
                decisionCounter(result, directive).increment();
            }
        }
        for (String directive : decision.shadow()) {
            shadowHits
                    .computeIfAbsent(
                            directive,
                            d -> Counter.builder("clearance.shadow.hits")
                                    .description("requests a shadow-mode directive would have denied, by directive")
                                    .tag("directive", d)
                                    .register(registry))
                    .increment();
        }
    }

    void upstreamLatency(String upstream, Duration d) {
        upstreamLatency
                .computeIfAbsent(
                        upstream,
                        u -> Timer.builder("clearance.upstream.latency")
                                .description("time from sending a call upstream to its response headers")
                                .tag("upstream", u)
                                .publishPercentileHistogram()
                                .register(registry))
                .record(d);
    }

    /** How long one content classification took: of a request, or of a check of a streamed answer. */
    void classification(ContentClassification.Read read, Duration d) {
        classificationLatency
                .computeIfAbsent(
                        read,
                        r -> Timer.builder("clearance.classification.latency")
                                .description("time to classify a request's content, or to check a piece of an answer")
                                .tag("read", r.wireName())
                                .publishPercentileHistogram()
                                .register(registry))
                .record(d);
    }

    /** Gauges of the allowed calls in flight ({@link LiveCalls}) and of those relaying a stream. */
    void inFlight(IntSupplier calls, IntSupplier streams) {
        Gauge.builder("clearance.calls.in.flight", calls::getAsInt)
                .description("allowed calls whose answer is not yet released, streams included")
                .register(registry);
        Gauge.builder("clearance.active.streams", streams::getAsInt)
                .description("streams in flight")
                .register(registry);
    }

    /**
     * The fleet as this node last read it: {@code clearance_fleet_nodes{status="up|stale|down"}} (absent
     * until the first read), and how long ago this node confirmed its policy with the store
     * ({@code clearance_policy_confirmation_age_seconds}).
     */
    void fleet(Supplier<FleetView> view, Supplier<Duration> confirmationAge) {
        for (FleetView.Status status : FleetView.Status.values()) {
            Gauge.builder("clearance.fleet.nodes", () -> {
                        FleetView v = view.get();
                        return v == null ? Double.NaN : v.count(status);
                    })
                    .description("gateway nodes on this store, by how recently each was seen")
                    .tag("status", status.wireName())
                    .register(registry);
        }
        Gauge.builder(
                        "clearance.policy.confirmation.age",
                        () -> confirmationAge.get().toNanos() / 1e9)
                .description("how long ago this node last confirmed its policy with the store")
                .baseUnit("seconds")
                .register(registry);
    }

    /** A policy version activated (on any node) at some moment was put in force here {@code d} later. */
    void policyPropagation(Duration d) {
        policyPropagation.record(d.isNegative() ? Duration.ZERO : d);
    }

    /**
     * {@code clearance_tls_certificate_expiry_seconds{kind,name}}: seconds from now until the certificate
     * served ({@code kind="listener"}, name {@code server}/{@code admin}) or presented to an upstream
     * ({@code kind="upstream"}) expires, negative once it has; {@code clearance_tls_reloads_total} and
     * {@code clearance_tls_reload_failures_total}: changed files put in force, and refused.
     */
    void tls(List<TlsSource> sources, Clock clock) {
        for (TlsSource s : sources) {
            if (s.notAfter().isPresent()) {
                Gauge.builder(
                                "clearance.tls.certificate.expiry",
                                s,
                                src -> src.notAfter()
                                        .map(t -> (double) Duration.between(clock.instant(), t)
                                                .toSeconds())
                                        .orElse(Double.NaN))
                        .description("seconds until the certificate served or presented expires")
                        .baseUnit("seconds")
                        .tag("kind", s.kind())
                        .tag("name", s.name())
                        .strongReference(true)
                        .register(registry);
            }
            FunctionCounter.builder("clearance.tls.reloads", s, TlsSource::reloads)
                    .description("changed certificate, key or CA files put in force")
                    .tag("kind", s.kind())
                    .tag("name", s.name())
                    .register(registry);
            FunctionCounter.builder("clearance.tls.reload.failures", s, TlsSource::reloadFailures)
                    .description("changed certificate, key or CA files refused; the previous ones stayed in force")
                    .tag("kind", s.kind())
                    .tag("name", s.name())
                    .register(registry);
        }
    }

    /** The metrics in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    private Counter decisionCounter(String result, String directive) {
        return decisions
                .computeIfAbsent(result, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        directive,
                        d -> Counter.builder("clearance.decisions")
                                .description("decisions, by result and determining directive (empty for none)")
                                .tag("result", result)
                                .tag("directive", d)
                                .register(registry));
    }

    // A path outside the routed endpoints cannot reach here, but keep tag cardinality bounded regardless.
    private static String knownEndpoint(String endpoint) {
        return endpoint.length() > 64 ? endpoint.substring(0, 64) : endpoint;
    }
}
