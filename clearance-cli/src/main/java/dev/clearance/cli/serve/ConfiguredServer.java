package dev.clearance.cli.serve;

import dev.clearance.cli.config.Cidr;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.ConfigException;
import dev.clearance.cli.config.Secret;
import dev.clearance.core.PolicyException;
import dev.clearance.gateway.Gateway;
import dev.clearance.gateway.GatewaySettings;
import dev.clearance.log.DecisionLog;
import dev.clearance.log.LogOptions;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code clearance serve --config FILE}: the configured store, start-up imports and gateway. */
final class ConfiguredServer {
    private ConfiguredServer() {}

    static int run(Path file, PrintWriter out, PrintWriter err) {
        ClearanceConfig config;
        GatewaySettings settings;
        try {
            config = ClearanceConfig.load(file);
            settings = settings(config);
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return 1;
        }
        Store store;
        try {
            store = config.store().open();
        } catch (StoreException e) {
            err.println(file + ": store: " + e.getMessage());
            return 1;
        }
        DecisionLog log = null;
        try {
            StartupImport.Result imported = StartupImport.apply(store, config.directives(), config.principals(), "serve");
            log = DecisionLog.open(config.dataDir().resolve("log"), logOptions(config));
            DecisionLog openLog = log;
            Gateway gateway = Gateway.start(settings, store, new LoggedDecisions(log, config.node()));
            out.printf("clearance gateway on http://%s:%d, admin API on http://%s:%d, policy %s (%d directives)%s, decision log %s%n",
                    settings.server().host(), gateway.port(), settings.admin().host(), gateway.adminPort(),
                    gateway.policy().version(), gateway.policy().directives().size(),
                    imported.principals() > 0 ? ", " + imported.principals() + " principals imported" : "",
                    log.directory());
            out.flush();
            return ServeCommand.serveUntilStopped(() -> {
                gateway.close();
                openLog.close();
                store.close();
            });
        } catch (PolicyException e) {
            e.problems().forEach(err::println);
            closeQuietly(log);
            store.close();
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("serve: " + e.getMessage());
            closeQuietly(log);
            store.close();
            return 1;
        }
    }

    /** The decision log's options from the configuration's {@code log:} section. */
    static LogOptions logOptions(ClearanceConfig config) {
        LogOptions options = LogOptions.defaults();
        if (config.log().isPresent()) {
            ClearanceConfig.LogSettings l = config.log().get();
            if (l.origin().isPresent()) {
                options = options.withOrigin(l.origin().get());
            }
            if (l.signingKey().isPresent()) {
                options = options.withSignerKeyFile(l.signingKey().get());
            }
        }
        return options;
    }

    private static void closeQuietly(DecisionLog log) {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                // Already failing; the start error is what the operator needs.
            }
        }
    }

    /** The gateway's plain settings from the configuration file's. */
    static GatewaySettings settings(ClearanceConfig config) {
        Secret token = config.admin().requireToken();
        List<GatewaySettings.Upstream> upstreams = config.upstreams().stream()
                .map(u -> new GatewaySettings.Upstream(u.name(), u.baseUrl(), u.models(), u.apiKey().map(Secret::value).orElse("")))
                .toList();
        GatewaySettings.GeoIp geoIp = config.geoip()
                .map(g -> new GatewaySettings.GeoIp(Optional.of(g.database()), g.trustedProxies().stream().map(Cidr::toString).toList()))
                .orElse(GatewaySettings.GeoIp.NONE);
        return new GatewaySettings(
                new GatewaySettings.Listener(config.server().host(), config.server().port()),
                new GatewaySettings.Listener(config.admin().host(), config.admin().port()),
                token.value(), upstreams, geoIp);
    }
}
