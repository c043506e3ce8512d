package dev.clearance.cli.serve;

import dev.clearance.cli.config.Cidr;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.ConfigException;
import dev.clearance.cli.config.Secret;
import dev.clearance.cli.log.LogLocation;
import dev.clearance.core.PolicyException;
import dev.clearance.gateway.Gateway;
import dev.clearance.gateway.GatewaySettings;
import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** {@code clearance serve --config FILE}: the configured store, start-up imports and gateway. */
final class ConfiguredServer {
    private ConfiguredServer() {}

    /** A started server: the store, the decision log and the gateway, closed in reverse order. */
    record Running(Store store, Recording recording, Gateway gateway, StartupImport.Result imported)
            implements AutoCloseable {
        @Override
        public void close() {
            gateway.close();
            recording.close();
            store.close();
        }

        TransparencyLog log() {
            return recording.log;
        }
    }

    static int run(Path file, boolean replaceAdminChanges, PrintWriter out, PrintWriter err) {
        Running running;
        try {
            running = start(ClearanceConfig.load(file), replaceAdminChanges);
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
     * @throws ConfigException naming the setting's position for every TLS file that cannot be used
     */
    static Running start(ClearanceConfig config, boolean replaceAdminChanges) throws PolicyException, IOException {
        // Bad settings (or TLS files) stop the start before the store is touched.
        List<String> tlsProblems = Gateway.checkTls(settings(config), Clock.systemUTC());
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
        try {
            StartupImport.Result imported =
                    StartupImport.apply(store, config.directives(), config.principals(), "serve", replaceAdminChanges);
            recording = Recording.open(
                    store,
                    config.dataDir().resolve("log"),
                    logOptions(config),
                    config.node(),
                    config.lifecycle().twoPersonRule(),
                    config.screening()
                            .map(ClearanceConfig.ScreeningSettings::threshold)
                            .orElse(ClearanceConfig.ScreeningSettings.DEFAULT_THRESHOLD));
            GatewaySettings settings = settings(
                    config,
                    recording.log.verifier().verifierKey(),
                    recording.logDirectory().toAbsolutePath().toString());
            Gateway gateway = Gateway.start(
                    settings,
                    store,
                    recording.recorder,
                    recording.tiles(),
                    Clock.systemUTC(),
                    recording.attachScreening());
            return new Running(store, recording, gateway, imported);
        } catch (PolicyException | IOException | RuntimeException e) {
            if (recording != null) {
                recording.close();
            }
            store.close();
            throw e;
        }
    }

    /** The decision log's options from the configuration's {@code log:} section. */
    static LogOptions logOptions(ClearanceConfig config) {
        return LogLocation.options(config);
    }

    /** The gateway's plain settings from the configuration file's, before its decision log is open. */
    static GatewaySettings settings(ClearanceConfig config) {
        return settings(config, "", "");
    }

    /** The gateway's plain settings, with its decision log's verifier key and directory published for auditors. */
    static GatewaySettings settings(ClearanceConfig config, String logKey, String logDirectory) {
        Secret token = config.admin().requireToken();
        List<GatewaySettings.Upstream> upstreams = config.upstreams().stream()
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
                .toList();
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
                node(config, logKey, logDirectory));
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
