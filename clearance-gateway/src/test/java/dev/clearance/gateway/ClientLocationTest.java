package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientLocationTest {
    @TempDir
    Path dir;

    Path database() throws Exception {
        Map<String, String> networks = new LinkedHashMap<>();
        networks.put("192.0.2.0/24", "DE");
        networks.put("198.51.100.0/24", "IR");
        return MmdbFixture.write(dir.resolve("test-country.mmdb"), networks);
    }

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void the_country_comes_from_the_database_and_an_unplaced_address_is_unknown_not_guessed() throws Exception {
        try (CountryLocator countries = CountryLocator.open(Optional.of(database()))) {
            assertThat(countries.country(ip("192.0.2.77"))).isEqualTo("DE");
            assertThat(countries.country(ip("198.51.100.1"))).isEqualTo("IR");
            assertThat(countries.country(ip("203.0.113.5"))).isEmpty();
            assertThat(countries.country(ip("::1"))).isEmpty();
        }
        assertThat(CountryLocator.NONE.country(ip("192.0.2.77"))).isEmpty();
    }

    @Test
    void a_missing_database_file_is_a_located_startup_error() {
        assertThatThrownBy(() -> CountryLocator.open(Optional.of(dir.resolve("nope.mmdb"))))
                .hasMessageContaining("geoip.database")
                .hasMessageContaining("nope.mmdb");
    }

    @Test
    void forwarded_for_counts_only_from_a_trusted_proxy_and_only_to_the_first_untrusted_hop() throws Exception {
        TrustedProxies proxies = TrustedProxies.of(List.of("127.0.0.1/32", "10.0.0.0/8"));
        InetAddress proxy = ip("127.0.0.1");

        assertThat(proxies.clientAddress(proxy, List.of("192.0.2.1"))).isEqualTo(ip("192.0.2.1"));
        // The caller wrote "192.0.2.1" itself; the proxy appended the address it really saw.
        assertThat(proxies.clientAddress(proxy, List.of("192.0.2.1, 198.51.100.7")))
                .isEqualTo(ip("198.51.100.7"));
        assertThat(proxies.clientAddress(proxy, List.of("198.51.100.7, 10.1.2.3")))
                .isEqualTo(ip("198.51.100.7"));
        assertThat(proxies.clientAddress(ip("192.0.2.9"), List.of("198.51.100.7")))
                .isEqualTo(ip("192.0.2.9"));
        assertThat(proxies.clientAddress(proxy, List.of("not-an-ip"))).isEqualTo(proxy);
        assertThat(proxies.clientAddress(proxy, List.of())).isEqualTo(proxy);
    }

    @Test
    void trusted_proxies_accept_ipv6_and_bare_addresses_and_name_a_bad_entry() throws Exception {
        TrustedProxies proxies = TrustedProxies.of(List.of("::1/128", "192.0.2.10", "2001:db8::/32"));
        assertThat(proxies.trusts(ip("::1"))).isTrue();
        assertThat(proxies.trusts(ip("192.0.2.10"))).isTrue();
        assertThat(proxies.trusts(ip("192.0.2.11"))).isFalse();
        assertThat(proxies.trusts(ip("2001:db8:1::5"))).isTrue();
        assertThat(proxies.trusts(ip("2001:db9::5"))).isFalse();

        assertThatThrownBy(() -> TrustedProxies.of(List.of("127.0.0.1/32", "localhost")))
                .hasMessageContaining("trusted_proxies[1]");
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33"))).hasMessageContaining("trusted_proxies[0]");
    }

    @Test
    void a_request_through_a_trusted_proxy_from_a_sanctioned_location_is_denied_and_spoofing_does_not_help()
            throws Exception {
        GatewaySettings.GeoIp geo = new GatewaySettings.GeoIp(Optional.of(database()), List.of("127.0.0.1/32"));
        try (GatewayFixture f = new GatewayFixture(geo)) {
            var fromIran = f.post(
                    "/v1/chat/completions",
                    f.aliceKey,
                    chat("open-small"),
                    "X-Forwarded-For",
                    "192.0.2.1, 198.51.100.7");
            assertThat(fromIran.statusCode()).isEqualTo(403);
            assertThat(fromIran.body()).contains("ofac-comprehensive-locations");
            assertThat(f.post("/v1/chat/completions", f.aliceKey, chat("open-small"), "X-Forwarded-For", "192.0.2.1")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void forwarded_for_from_an_untrusted_peer_is_ignored() throws Exception {
        GatewaySettings.GeoIp geo = new GatewaySettings.GeoIp(Optional.of(database()), List.of());
        try (GatewayFixture f = new GatewayFixture(geo)) {
            assertThat(f.post("/v1/chat/completions", f.aliceKey, chat("open-small"), "X-Forwarded-For", "198.51.100.7")
                            .statusCode())
                    .isEqualTo(200);
        }
    }
}
