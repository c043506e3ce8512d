package dev.clearance.gateway.tls;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's TLS: the contexts its listeners serve and its upstream clients connect with, each
 * built from the configured files, checked before anything starts, and reloaded when the files change
 * ({@link Rotation}). TLS 1.3 and 1.2 only, with the JDK's forward-secret AEAD cipher suites.
 *
 * <p>The contexts hold rotating key and trust managers, so a reload needs no new server or client: the
 * next handshake uses what was installed last, and connections already open keep theirs.
 */
public final class TransportSecurity implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransportSecurity.class);

    /** How often the files are looked at; a change is in force within two intervals of being written. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final List<String> CIPHER_SUITES = modernCipherSuites();

    private final Clock clock;
    private final Rotation rotation;
    private final Map<String, Tls> listeners = new LinkedHashMap<>();
    private final Map<UpstreamTls, SSLContext> upstreams = new LinkedHashMap<>();
    private final List<TlsSource> sources = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private TransportSecurity(Clock clock) {
        this.clock = clock;
        this.rotation = new Rotation(clock);
    }

    /**
     * Reads and checks every file the TLS settings name, starting nothing: a missing or unreadable
     * file, a key that does not match its certificate, an expired certificate, a wrong keystore password.
     *
     * @param listeners TLS by listener name ({@code server}, {@code admin})
     * @param upstreams TLS by upstream name
     * @return every problem, each naming its setting and file; empty when all can be used
     */
    public static List<String> check(
            Map<String, ListenerTls> listeners, Map<String, UpstreamTls> upstreams, Instant now) {
        TransportSecurity loaded = new TransportSecurity(Clock.fixed(now, ZoneOffset.UTC));
        loaded.load(listeners, upstreams);
        return List.copyOf(loaded.problems);
    }

    /**
     * Loads every TLS setting and starts watching its files.
     *
     * @param pollInterval how often the files are looked at ({@link #POLL_INTERVAL} in production)
     * @throws TlsException with every problem {@link #check} would report; nothing is started then
     */
    public static TransportSecurity start(
            Map<String, ListenerTls> listeners,
            Map<String, UpstreamTls> upstreams,
            Clock clock,
            Duration pollInterval) {
        TransportSecurity security = new TransportSecurity(clock);
        security.load(listeners, upstreams);
        if (!security.problems.isEmpty()) {
            throw new TlsException(security.problems);
        }
        security.warnings.forEach(w -> LOG.warn("TLS: {}", w));
        security.rotation.start(pollInterval);
        return security;
    }

    /** The TLS a listener serves, when it has some. */
    public Optional<Tls> listener(String name) {
        return Optional.ofNullable(listeners.get(name));
    }

    /** The context upstreams with these settings are called with. */
    public SSLContext upstream(UpstreamTls tls) {
        SSLContext context = upstreams.get(tls);
        if (context == null) {
            throw new IllegalArgumentException("no TLS was loaded for the upstream settings " + tls);
        }
        return context;
    }

    /** The protocols and cipher suites upstream connections may use (the client adds host name verification). */
    public static SSLParameters clientParameters() {
        return new SSLParameters(CIPHER_SUITES.toArray(String[]::new), PROTOCOLS.toArray(String[]::new));
    }

    /** Every listener and upstream with TLS material, for metrics. */
    public List<TlsSource> sources() {
        return List.copyOf(sources);
    }

    @Override
    public void close() {
        rotation.close();
    }

    // ---- loading ----

    private void load(Map<String, ListenerTls> listenerSettings, Map<String, UpstreamTls> upstreamSettings) {
        listenerSettings.forEach(this::loadListener);
        Map<UpstreamTls, List<String>> distinct = new LinkedHashMap<>();
        upstreamSettings.forEach((name, tls) ->
                distinct.computeIfAbsent(tls, t -> new ArrayList<>()).add(name));
        distinct.forEach(this::loadUpstream);
    }

    private void loadListener(String name, ListenerTls tls) {
        String what = "listener " + name;
        // Each is read even when the other failed, so every problem is reported at once.
        Loaded<RotatingKeyManager> keys = served(tls.identity(), what + " certificate");
        Loaded<RotatingTrustManager> clientCas =
                tls.clientCa().map(ca -> trusted(ca, what + " client CA")).orElse(null);
        if (keys == null || (tls.clientCa().isPresent() && clientCas == null)) {
            return;
        }
        TlsSource source = new TlsSource(
                "listener", name, () -> Optional.of(keys.value().current().notAfter()));
        sources.add(source);
        keys.watch(rotation, List.of(source));
        if (clientCas != null) {
            clientCas.watch(rotation, List.of(source));
        }
        SSLContext context = context(keys.value(), clientCas == null ? null : clientCas.value());
        listeners.put(
                name,
                Tls.builder()
                        .sslContext(context)
                        .enabledProtocols(PROTOCOLS)
                        .enabledCipherSuites(CIPHER_SUITES)
                        .clientAuth(clientCas != null ? TlsClientAuth.REQUIRED : TlsClientAuth.NONE)
                        .build());
        LOG.info(
                "TLS on {}: {} (expires {}){}",
                what,
                keys.value().current().leaf().getSubjectX500Principal().getName(),
                keys.value().current().notAfter(),
                tls.clientCa()
                        .map(ca -> ", client certificates from " + ca.path() + " required")
                        .orElse(""));
    }

    private void loadUpstream(UpstreamTls tls, List<String> names) {
        String what = "upstream " + String.join(", ", names);
        Loaded<RotatingKeyManager> keys = tls.identity()
                .map(id -> served(id, what + " client certificate"))
                .orElse(null);
        Loaded<RotatingTrustManager> cas =
                tls.ca().map(ca -> trusted(ca, what + " CA")).orElse(null);
        if ((tls.identity().isPresent() && keys == null) || (tls.ca().isPresent() && cas == null)) {
            return;
        }
        List<TlsSource> named = new ArrayList<>();
        for (String name : names) {
            named.add(new TlsSource(
                    "upstream",
                    name,
                    () -> keys == null
                            ? Optional.empty()
                            : Optional.of(keys.value().current().notAfter())));
        }
        sources.addAll(named);
        if (keys != null) {
            keys.watch(rotation, named);
        }
        if (cas != null) {
            cas.watch(rotation, named);
        }
        upstreams.put(tls, context(keys == null ? null : keys.value(), cas == null ? null : cas.value()));
    }

    /** Material read at start, with what its files held just before (so a change made meanwhile is seen). */
    private record Loaded<T>(T value, Rotation.Material material, String digest) {
        void watch(Rotation rotation, List<TlsSource> sources) {
            rotation.watch(material, sources, digest);
        }
    }

    /** The identity read and checked, or null with its problem noted. */
    private Loaded<RotatingKeyManager> served(TlsIdentity identity, String what) {
        String digest = Rotation.digest(identity.files());
        Instant now = clock.instant();
        try {
            CertifiedKey key = CertifiedKey.load(identity, now);
            key.warnings(now).forEach(w -> warnings.add(what + ": " + w));
            RotatingKeyManager keys = new RotatingKeyManager(key);
            return new Loaded<>(keys, new Served(identity, keys, what), digest);
        } catch (TlsException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    /** The CA certificates read, or null with the problem noted. */
    private Loaded<RotatingTrustManager> trusted(ConfiguredFile ca, String what) {
        String digest = Rotation.digest(List.of(ca));
        try {
            RotatingTrustManager trust = new RotatingTrustManager(CertifiedKey.parse(ca, Pem::certificates));
            return new Loaded<>(trust, new Trusted(ca, trust, what), digest);
        } catch (TlsException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    /** A certificate and key to serve or present. */
    private record Served(TlsIdentity identity, RotatingKeyManager keys, String describe) implements Rotation.Material {
        @Override
        public List<ConfiguredFile> files() {
            return identity.files();
        }

        @Override
        public List<String> reload(Instant now) {
            CertifiedKey key = CertifiedKey.load(identity, now);
            keys.install(key);
            return key.warnings(now);
        }
    }

    /** CA certificates to trust. */
    private record Trusted(ConfiguredFile ca, RotatingTrustManager trust, String describe)
            implements Rotation.Material {
        @Override
        public List<ConfiguredFile> files() {
            return List.of(ca);
        }

        @Override
        public List<String> reload(Instant now) {
            trust.install(CertifiedKey.parse(ca, Pem::certificates));
            return List.of();
        }
    }

    /** A context with these managers; null keeps the JDK's default (no client certificate, the JDK's CAs). */
    private static SSLContext context(RotatingKeyManager keys, RotatingTrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keys == null ? null : new KeyManager[] {keys},
                    trust == null ? null : new TrustManager[] {trust},
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context: " + e, e);
        }
    }

    /**
     * The JDK's default cipher suites, kept to those with forward secrecy and authenticated encryption:
     * the TLS 1.3 suites and the TLS 1.2 ECDHE suites with AES-GCM or ChaCha20-Poly1305.
     */
    private static List<String> modernCipherSuites() {
        try {
            return Arrays.stream(
                            SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites())
                    .filter(s -> s.startsWith("TLS_AES_")
                            || s.startsWith("TLS_CHACHA20_")
                            || (s.startsWith("TLS_ECDHE_")
                                    && (s.endsWith("_GCM_SHA256")
                                            || s.endsWith("_GCM_SHA384")
                                            || s.endsWith("_CHACHA20_POLY1305_SHA256"))))
                    .toList();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }
}
