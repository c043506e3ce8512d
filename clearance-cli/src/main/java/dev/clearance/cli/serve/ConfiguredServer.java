package dev.clearance.cli.serve;

import dev.clearance.cli.config.Cidr;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.ConfigException;
import dev.clearance.cli.config.Secret;
import dev.clearance.cli.log.LogLocation;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.gateway.DemoUpstream;
import dev.clearance.gateway.Gateway;
import dev.clearance.gateway.GatewaySettings;
import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import dev.clearance.store.StoredPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** {@code clearance serve --config FILE}: the configured store, start-up imports and gateway. */
final class ConfiguredServer {
    private ConfiguredServer() {}

    /**
     * A started server: the store, the decision log, the content classifier, the gateway and, with
     * {@code --demo-upstream}, the DEMO upstream it forwards to; closed in reverse order.
     */
    record Running(
            Store store,
            Recording recording,
            Gateway gateway,
            StartupImport.Result imported,
            ConfiguredInspection inspection,
            Optional<DemoUpstream> demoUpstream)
            implements AutoCloseable {
        @Override
        public void close() {
            gateway.close();
            demoUpstream.ifPresent(DemoUpstream::close);
            inspection.close();
            recording.close();
            store.close();
        }

        TransparencyLog log() {
            return recording.log;
        }
    }

    static int run(Path file, boolean replaceAdminChanges, boolean demoUpstream, PrintWriter out, PrintWriter err) {
        Running running;
        try {
            // A trial run against the DEMO upstream is not warmed: nothing in it is measured.
            running = start(ClearanceConfig.load(file), replaceAdminChanges, demoUpstream, demoUpstream ? null : err);
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return 1;
        } catch (PolicyException e) {
            e.problems().forEach(err::println);
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("serve: " + e.getMessage());
            return 1;
        }
        Gateway gateway = running.gateway();
        running.imported().report().forEach(out::println);
        running.inspection().report().ifPresent(out::println);
        out.printf(
                "clearance gateway on %s, admin API on %s, policy %s (%d directives)%s, decision log %s%n",
                gateway.url(),
                gateway.adminUrl(),
                gateway.policy().version(),
                gateway.policy().directives().size(),
                running.imported().principals() > 0
                        ? ", " + running.imported().principals() + " principals imported"
                        : "",
                running.log().directory());
        running.demoUpstream()
                .ifPresent(u -> out.printf(
                        "every model goes to the DEMO upstream on %s (canned text, no model runs): --demo-upstream%n",
                        u.baseUrl()));
        out.flush();
        return ServeCommand.serveUntilStopped(running);
    }

    /**
     * Opens the store, loads the configured directives and principals where they changed since their
     * last load ({@link StartupImport}), opens the decision log and starts the gateway; on any failure
     * everything opened so far is closed again. TLS files are read and checked first, so a bad
     * certificate or key stops the start before anything is changed.
     *
     * @param replaceAdminChanges load changed files even over changes made in the store since their last load
     * @param demoUpstream        forward every model to a DEMO upstream instead of the configured upstreams
     * @throws ConfigException naming the setting's position for every TLS file that cannot be used
     */
    static Running start(ClearanceConfig config, boolean replaceAdminChanges, boolean demoUpstream)
            throws PolicyException, IOException {
        return start(config, replaceAdminChanges, demoUpstream, null);
    }

    /**
     * As {@link #start(ClearanceConfig, boolean, boolean)}; with {@code warmups} (what {@code clearance
     * serve} passes), first warms the compiled code on a scratch copy of the node for up to
     * {@code server.warmup} ({@link Warmup}), reporting what it did there.
     */
    static Running start(ClearanceConfig config, boolean replaceAdminChanges, boolean demoUpstream, PrintWriter warmups)
            throws PolicyException, IOException {
        if (!demoUpstream) {
            return start(config, settings(config), replaceAdminChanges, Optional.empty(), warmups);
        }
        config.admin().requireToken().value(); // before anything starts; the upstreams' keys are not used
        Optional<DemoUpstream> demo =
                Optional.of(DemoUpstream.start("127.0.0.1", 0, Demo.MODELS, Duration.ofMillis(150)));
        try {
            return start(
                    config,
                    settings(
                            config,
                            List.of(new GatewaySettings.Upstream(
                                    "demo-upstream", demo.get().baseUrl(), List.of("*"), ""))),
                    replaceAdminChanges,
                    demo,
                    warmups);
        } catch (PolicyException | IOException | RuntimeException e) {
            demo.ifPresent(DemoUpstream::close);
            throw e;
        }
    }

    static Running start(ClearanceConfig config, boolean replaceAdminChanges) throws PolicyException, IOException {
        return start(config, replaceAdminChanges, false);
    }

    private static Running start(
            ClearanceConfig config,
            GatewaySettings settings,
            boolean replaceAdminChanges,
            Optional<DemoUpstream> demo,
            PrintWriter warmups)
            throws PolicyException, IOException {
        // Bad settings (or TLS files) stop the start before the store is touched.
        List<String> tlsProblems = Gateway.checkTls(settings, Clock.systemUTC());
        if (!tlsProblems.isEmpty()) {
            throw new ConfigException(tlsProblems);
        }
        Store store;
        try {
            store = config.store().open();
        } catch (StoreException e) {
            throw new StoreException("store " + config.store().redactedUrl() + ": " + e.getMessage(), e);
        }
        Recording recording = null;
        ConfiguredInspection inspection = null;
        try {
            StartupImport.Result imported =
                    StartupImport.apply(store, config.directives(), config.principals(), "serve", replaceAdminChanges);
            Policy inForce =
                    StoredPolicy.active(store).map(StoredPolicy::policy).orElse(Policy.empty());
            inspection = ConfiguredInspection.of(config.classification(), inForce);
            if (warmups != null && config.warmup().isPositive()) {
                warmups.println("warming up (at most " + ClearanceConfig.written(config.warmup())
                        + ", server.warmup) before listening ...");
                warmups.flush();
                warmups.println(Warmup.run(
                                store, inForce, settings, logOptions(config), inspection.inspection(), config.warmup())
                        .describe());
                warmups.flush();
            }
            recording = Recording.open(
                    store,
                    config.dataDir().resolve("log"),
                    logOptions(config),
                    config.node(),
                    config.lifecycle().twoPersonRule(),
                    config.screening()
                            .map(ClearanceConfig.ScreeningSettings::threshold)
                            .orElse(ClearanceConfig.ScreeningSettings.DEFAULT_THRESHOLD));
            // This node in the fleet view, with its decision log's key and place published for auditors.
            GatewaySettings.Node node = node(
                    config,
                    recording.log.verifier().verifierKey(),
                    recording.logDirectory().toAbsolutePath().toString());
            AtomicReference<Gateway> started = new AtomicReference<>();
            Gateway gateway = Gateway.start(
                    settings.withNode(node),
                    store,
                    recording.recorder,
                    Gateway.Options.DEFAULT
                            .withTiles(recording.tiles())
                            .withScreening(recording.attachScreening())
                            .withIdentity(config.identity())
                            .withAdminMounts(List.of(
                                    recording.console(store, settings.adminToken(), () -> openStreams(started))))
                            .withInspection(inspection.inspection()));
            started.set(gateway);
            return new Running(store, recording, gateway, imported, inspection, demo);
        } catch (PolicyException | IOException | RuntimeException e) {
            if (recording != null) {
                recording.close();
            }
            if (inspection != null) {
                inspection.close();
            }
            store.close();
            throw e;
        }
    }

    /** Streams open on the gateway once it runs (the console may be asked before {@code start} returns). */
    static int openStreams(AtomicReference<Gateway> gateway) {
        Gateway g = gateway.get();
        return g == null ? 0 : g.activeStreams();
    }

    /** The decision log's options from the configuration's {@code log:} section. */
    static LogOptions logOptions(ClearanceConfig config) {
        return LogLocation.options(config);
    }

    /**
     * The gateway's plain settings from the configuration file's.
     *
     * @throws ConfigException when a secret it needs (the admin token, an upstream key) cannot be read
     */
    static GatewaySettings settings(ClearanceConfig config) {
        config.requireSecrets();
        return settings(
                config,
                config.upstreams().stream()
                        .map(u -> new GatewaySettings.Upstream(
                                u.name(),
                                u.baseUrl(),
                                u.models(),
                                u.apiKey().map(Secret::value).orElse(""),
                                u.modelIds(),
                                u.listModels(),
                                u.modelsRefresh(),
                                u.queryAllow(),
                                u.tls()))
                        .toList());
    }

    private static GatewaySettings settings(ClearanceConfig config, List<GatewaySettings.Upstream> upstreams) {
        Secret token = config.admin().requireToken();
        GatewaySettings.GeoIp geoIp = config.geoip()
                .map(g -> new GatewaySettings.GeoIp(
                        Optional.of(g.database()),
                        g.trustedProxies().stream().map(Cidr::toString).toList(),
                        g.unparseable()))
                .orElse(GatewaySettings.GeoIp.NONE);
        return new GatewaySettings(
                new GatewaySettings.Listener(
                        config.server().host(),
                        config.server().port(),
                        config.server().tls()),
                new GatewaySettings.Listener(
                        config.admin().host(),
                        config.admin().port(),
                        config.admin().tls()),
                token.value(),
                upstreams,
                geoIp,
                config.log().map(ClearanceConfig.LogSettings::recordTimeout).orElse(null),
                config.log().map(ClearanceConfig.LogSettings::publicTiles).orElse(false),
                // The node's log key and directory are known once its decision log is open (start).
                node(config, "", ""));
    }

    /** This node in the fleet, from the configuration, with its decision log's key and place for auditors. */
    static GatewaySettings.Node node(ClearanceConfig config, String logKey, String logDirectory) {
        return new GatewaySettings.Node(
                config.node(),
                config.store().maxStaleness(),
                config.store().onUnreachable() == ClearanceConfig.OnUnreachable.SERVE_CACHED,
                config.fleet().thresholds(),
                logKey,
                logDirectory);
    }
}
