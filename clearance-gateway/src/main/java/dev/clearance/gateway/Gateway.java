package dev.clearance.gateway;

import dev.clearance.core.Policy;
import dev.clearance.core.Principal;
import dev.clearance.gateway.oidc.TokenVerifier;
import dev.clearance.gateway.scim.ScimApi;
import dev.clearance.gateway.tls.TransportSecurity;
import dev.clearance.store.ChangeFollower;
import dev.clearance.store.Store;
import dev.clearance.store.StoredPolicy;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the model API on one listener, the admin API on another. Everything is wired by
 * hand here, so a reader can follow what calls what.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** The largest request body accepted on the model API: 32 MiB, room for long contexts and images. */
    static final long MAX_BODY_BYTES = 32L * 1024 * 1024;

    private final ApiServer api;
    private final EventLoopGroup loops;
    private final WebServer admin;
    private final ActivePolicy policy;
    private final LiveCalls live;
    private final ModelCatalogue catalogue;
    private final UpstreamExchanges exchanges;
    private final CountryLocator countries;
    private final ChangeFollower follower;
    private final FleetMember fleet;
    private final GatewaySettings settings;
    private final TransportSecurity security;
    private final Enforcement enforcement;

    private Gateway(
            ApiServer api,
            EventLoopGroup loops,
            WebServer admin,
            ActivePolicy policy,
            LiveCalls live,
            ModelCatalogue catalogue,
            UpstreamExchanges exchanges,
            CountryLocator countries,
            ChangeFollower follower,
            FleetMember fleet,
            GatewaySettings settings,
            TransportSecurity security,
            Enforcement enforcement) {
        this.enforcement = enforcement;
        this.follower = follower;
        this.fleet = fleet;
        this.security = security;
        this.settings = settings;
        this.api = api;
        this.loops = loops;
        this.admin = admin;
        this.policy = policy;
        this.live = live;
        this.catalogue = catalogue;
        this.exchanges = exchanges;
        this.countries = countries;
    }

    /**
     * Reads and checks every TLS file the settings name (certificates, keys, keystores, CAs), starting
     * nothing. A caller runs this before it changes anything, so bad TLS settings stop a start early.
     *
     * @return every problem, each naming its setting and file; empty when all can be used
     */
    public static List<String> checkTls(GatewaySettings settings, Clock clock) {
        return TransportSecurity.check(settings.listenerTls(), settings.upstreamTls(), clock.instant());
    }

    /**
     * Compiles the store's active policy and starts both listeners and the change-feed follower.
     *
     * @throws dev.clearance.store.StoreException when the store cannot be read or its active policy no
     *         longer compiles (nothing is started: the gateway never enforces a partial policy)
     * @throws dev.clearance.gateway.tls.TlsException when a TLS file cannot be used (nothing is started)
     */
    public static Gateway start(GatewaySettings settings, Store store, DecisionRecorder recorder) {
        return start(settings, store, recorder, Clock.systemUTC());
    }

    /** As {@link #start(GatewaySettings, Store, DecisionRecorder)}, with the clock that stamps request times and ids. */
    public static Gateway start(GatewaySettings settings, Store store, DecisionRecorder recorder, Clock clock) {
        return start(settings, store, recorder, Options.DEFAULT.withClock(clock));
    }

    /** As {@link #start(GatewaySettings, Store, DecisionRecorder)}, with what {@code options} plug in. */
    public static Gateway start(GatewaySettings settings, Store store, DecisionRecorder recorder, Options options) {
        return start(settings, store, recorder, options, TransportSecurity.POLL_INTERVAL);
    }

    /** As above; {@code tlsPoll} is how often TLS files are looked at for changes (tests shorten it). */
    static Gateway start(
            GatewaySettings settings, Store store, DecisionRecorder recorder, Options options, Duration tlsPoll) {
        options.identity().requireDistinctFrom(settings.adminToken());
        AdminApi.checkMounts(options.adminMounts());
        TransportSecurity security =
                TransportSecurity.start(settings.listenerTls(), settings.upstreamTls(), options.clock(), tlsPoll);
        try {
            return start(settings, store, recorder, options, security);
        } catch (RuntimeException e) {
            security.close();
            throw e;
        }
    }

    private static Gateway start(
            GatewaySettings settings,
            Store store,
            DecisionRecorder recorder,
            Options options,
            TransportSecurity security) {
        Clock clock = options.clock();
        IdentitySettings identity = options.identity();
        // Read the feed position before the state it follows, so no change falls between the two.
        long feedStart = store.changes().lastSequence();
        ActivePolicy policy = new ActivePolicy(ActivePolicy.Applied.of(StoredPolicy.active(store)));
        TrustedProxies proxies = TrustedProxies.of(
                settings.geoIp().trustedProxies(), settings.geoIp().unparseable());
        CountryLocator countries = CountryLocator.open(settings.geoIp().database());
        GatewayMetrics metrics = new GatewayMetrics();
        DecisionIds ids = new DecisionIds(clock, ThreadLocalRandom::current);
        Enforcement enforcement = new Enforcement(recorder, metrics, settings.recordTimeout());
        Callers callers = new Callers(store, options.attachScreening());
        List<Authenticator> authenticators = new ArrayList<>(List.of(new ApiKeyAuthenticator(callers)));
        if (!identity.issuers().isEmpty()) {
            authenticators.add(new TokenAuthenticator(new TokenVerifier(identity.issuers(), clock), callers));
        }
        LiveCalls live = new LiveCalls(policy, callers, authenticators, enforcement, ids, clock);
        StoreChanges changes = new StoreChanges(store, policy, callers, live, enforcement, clock);
        metrics.inFlight(live::size, live::streams);
        metrics.tls(security.sources(), clock);
        UpstreamClients clients = UpstreamClients.of(settings.upstreams(), security);
        ModelCatalogue catalogue = ModelCatalogue.start(settings.upstreams(), clients);
        EventLoopGroup loops = ApiServer.loops();
        UpstreamExchanges exchanges = UpstreamExchanges.start(settings.upstreams(), security, loops);

        ChangeFollower follower = ChangeFollower.start(store, feedStart, changes);
        Confirmation confirmation = new Confirmation(
                follower::currentAsOf,
                System::nanoTime,
                settings.node().maxStaleness(),
                settings.node().serveCached());
        FleetMember fleet = new FleetMember(store, settings.node(), enforcement, metrics, confirmation, clock);
        ApiServer api = null;
        try {
            fleet.start(policy);

            ProxyApi proxyApi = new ProxyApi(
                    callers,
                    policy,
                    enforcement,
                    live,
                    catalogue,
                    proxies,
                    countries,
                    clock,
                    ids,
                    exchanges,
                    metrics,
                    confirmation,
                    authenticators,
                    options.inspection());
            HttpRouting.Builder adminRouting = HttpRouting.builder();
            new AdminApi(
                            settings,
                            options.tiles(),
                            store,
                            callers,
                            policy,
                            live,
                            enforcement,
                            ids,
                            clock,
                            confirmation,
                            new NodeService(policy, metrics, changes::healthy, confirmation),
                            fleet,
                            identity.scim()
                                    .map(scim -> new ScimApi(store.provisioning(), scim.token(), scim.client(), () -> {
                                        callers.forget();
                                        live.redecideAll();
                                    })),
                            options.adminMounts(),
                            options.inspection())
                    .route(adminRouting);

            // With TLS a listener speaks nothing else: a plain HTTP request fails the handshake and gets no answer.
            api = ApiServer.start(
                    settings.server().host(),
                    settings.server().port(),
                    security.listener(GatewaySettings.SERVER),
                    loops,
                    proxyApi.endpoints(),
                    proxyApi::unknown,
                    proxyApi::oversized);
            var adminServer = WebServer.builder()
                    .host(settings.admin().host())
                    .port(settings.admin().port())
                    .routing(adminRouting);
            security.listener(GatewaySettings.ADMIN).ifPresent(adminServer::tls);
            WebServer admin = adminServer.build().start();
            LOG.info(
                    "gateway node {} listening on {}://{}:{} (admin on {}://{}:{}), policy version {} ({})",
                    settings.node().name(),
                    settings.server().scheme(),
                    settings.server().host(),
                    api.port(),
                    settings.admin().scheme(),
                    settings.admin().host(),
                    admin.port(),
                    policy.number(),
                    policy.current().version());
            return new Gateway(
                    api,
                    loops,
                    admin,
                    policy,
                    live,
                    catalogue,
                    exchanges,
                    countries,
                    follower,
                    fleet,
                    settings,
                    security,
                    enforcement);
        } catch (RuntimeException e) {
            if (api != null) {
                api.close();
            }
            fleet.close();
            follower.close();
            catalogue.close();
            exchanges.close();
            loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            enforcement.close();
            throw e;
        }
    }

    /** The model API's port (useful when started on port 0). */
    public int port() {
        return api.port();
    }

    public int adminPort() {
        return admin.port();
    }

    public String host() {
        return settings.server().host();
    }

    /** The model API's base URL, e.g. {@code https://127.0.0.1:8443}. */
    public String url() {
        return settings.server().scheme() + "://" + settings.server().host() + ":" + port();
    }

    /** The admin API's base URL. */
    public String adminUrl() {
        return settings.admin().scheme() + "://" + settings.admin().host() + ":" + adminPort();
    }

    public String adminHost() {
        return settings.admin().host();
    }

    public Policy policy() {
        return policy.current();
    }

    /** Streams in flight right now. */
    public int activeStreams() {
        return live.streams();
    }

    /**
     * What a program plugs into a gateway beside its settings, store and decision recorder. Each has a
     * default ({@link #DEFAULT}) that leaves its feature off.
     *
     * @param tiles           the decision log's tlog-tiles resources, served under {@code /log/} on the
     *     admin listener
     * @param clock           stamps request times and decision ids
     * @param attachScreening adds each principal's stored screening results before its facts are built
     *     (see {@link Callers})
     * @param identity        the OIDC issuers whose tokens are accepted beside API keys, and SCIM
     *     provisioning on the admin listener
     * @param inspection      how the content of calls is read: requests (and answers) of callers a
     *     capability directive could restrict are classified ({@link ContentInspection})
     * @param adminMounts     services added to the admin listener beside the admin API (the console),
     *     never to the model API's; one may not take or enclose a path of the admin API's own or another
     *     mount's ({@link AdminMount})
     */
    public record Options(
            LogTiles tiles,
            Clock clock,
            UnaryOperator<Principal> attachScreening,
            IdentitySettings identity,
            List<AdminMount> adminMounts,
            ContentInspection inspection) {
        /** No log tiles, the system clock, no screening, API keys only, nothing mounted, no content read. */
        public static final Options DEFAULT = new Options(
                LogTiles.NONE,
                Clock.systemUTC(),
                UnaryOperator.identity(),
                IdentitySettings.NONE,
                List.of(),
                ContentInspection.OFF);

        public Options {
            Objects.requireNonNull(tiles, "tiles");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(attachScreening, "attachScreening");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(inspection, "inspection");
            adminMounts = List.copyOf(adminMounts);
        }

        public Options withTiles(LogTiles t) {
            return new Options(t, clock, attachScreening, identity, adminMounts, inspection);
        }

        public Options withClock(Clock c) {
            return new Options(tiles, c, attachScreening, identity, adminMounts, inspection);
        }

        public Options withScreening(UnaryOperator<Principal> attach) {
            return new Options(tiles, clock, attach, identity, adminMounts, inspection);
        }

        public Options withIdentity(IdentitySettings i) {
            return new Options(tiles, clock, attachScreening, i, adminMounts, inspection);
        }

        public Options withAdminMounts(List<AdminMount> mounts) {
            return new Options(tiles, clock, attachScreening, identity, mounts, inspection);
        }

        public Options withInspection(ContentInspection c) {
            return new Options(tiles, clock, attachScreening, identity, adminMounts, c);
        }
    }

    @Override
    public void close() {
        fleet.close();
        follower.close();
        catalogue.close();
        api.close();
        admin.stop();
        exchanges.close(); // after the model API's listener: no call is left to send
        enforcement.close(); // after the listeners: a call still answering may wait for its record
        // Last: calls waiting for their records are woken on these loops.
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        security.close();
        try {
            countries.close();
        } catch (IOException e) {
            LOG.debug("closing the geoip database", e);
        }
    }
}
