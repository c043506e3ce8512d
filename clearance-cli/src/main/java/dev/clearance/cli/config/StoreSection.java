package dev.clearance.cli.config;

import dev.clearance.gateway.GatewaySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The {@code store:} and {@code fleet:} sections of {@code clearance.yaml}, each problem located. */
final class StoreSection {
    private StoreSection() {}

    /** {@code store:}: where the store is, and what a node does when it cannot confirm its policy with it. */
    static ClearanceConfig.StoreSettings store(Optional<ConfigReader.Section> st, Path dataDir, Path base) {
        String storeUrl = "jdbc:sqlite:" + dataDir.resolve("clearance.db");
        Duration maxStaleness = GatewaySettings.Node.DEFAULT_MAX_STALENESS;
        ClearanceConfig.OnUnreachable onUnreachable = ClearanceConfig.OnUnreachable.FAIL_CLOSED;
        if (st.isPresent()) {
            maxStaleness =
                    st.get().duration("max_staleness", maxStaleness, Duration.ofMillis(100), Duration.ofMinutes(10));
            onUnreachable = switch (st.get().string("on_unreachable", "fail-closed")) {
                case "fail-closed" -> ClearanceConfig.OnUnreachable.FAIL_CLOSED;
                case "serve-cached" -> ClearanceConfig.OnUnreachable.SERVE_CACHED;
                case String other -> {
                    st.get().problem("on_unreachable", "expected fail-closed or serve-cached, got '" + other + "'");
                    yield ClearanceConfig.OnUnreachable.FAIL_CLOSED;
                }
            };
            String url = st.get().string("url", null);
            if (url != null) {
                if (url.startsWith("jdbc:sqlite:")) {
                    String f = url.substring("jdbc:sqlite:".length());
                    storeUrl = f.isEmpty() || f.startsWith(":") || f.contains("?")
                            ? url
                            : "jdbc:sqlite:" + base.resolve(f).normalize();
                    if (f.isEmpty() || f.startsWith(":") || f.contains("?")) {
                        st.get()
                                .problem(
                                        "url",
                                        "expected jdbc:sqlite:<file> (a file path, no parameters), got '" + url + "'");
                    }
                } else if (url.startsWith("jdbc:postgresql://")) {
                    storeUrl = url;
                } else {
                    st.get()
                            .problem(
                                    "url",
                                    "expected jdbc:sqlite:<file> or jdbc:postgresql://host[:port]/database, got '"
                                            + new ClearanceConfig.StoreSettings(url).redactedUrl() + "'");
                }
            }
        }

        return new ClearanceConfig.StoreSettings(storeUrl, maxStaleness, onUnreachable);
    }

    /** {@code fleet:}: when a node not seen counts as stale and as down. */
    static ClearanceConfig.FleetSettings fleet(ConfigReader.Section f) {
        Duration stale = f.duration(
                "stale_after",
                ClearanceConfig.FleetSettings.DEFAULTS.staleAfter(),
                Duration.ofMillis(100),
                Duration.ofHours(1));
        Duration down = f.duration(
                "down_after",
                ClearanceConfig.FleetSettings.DEFAULTS.downAfter(),
                Duration.ofMillis(100),
                Duration.ofHours(1));
        if (down.compareTo(stale) <= 0) {
            f.problem(
                    "down_after",
                    "must be longer than stale_after (" + ConfigReader.written(stale) + "), got "
                            + ConfigReader.written(down));
            return ClearanceConfig.FleetSettings.DEFAULTS;
        }
        return new ClearanceConfig.FleetSettings(stale, down);
    }
}
