package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.clearance.core.Decision;
import dev.clearance.core.Request;
import dev.clearance.gateway.GatewaySettings.Unparseable;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientLocationTest {
    @TempDir
    Path dir;

    Path database() throws Exception {
        Map<String, String> networks = new LinkedHashMap<>();
        networks.put("192.0.2.0/24", "DE");
        networks.put("198.51.100.0/24", "IR");
        networks.put("2a02:d2c0::/32", "IR");
        networks.put("2001:db8::/32", "DE");
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
            assertThat(countries.country(ip("2a02:d2c0::1"))).isEqualTo("IR");
            assertThat(countries.country(ip("2001:db9::1"))).isEmpty();
        }
        assertThat(CountryLocator.NONE.country(ip("192.0.2.77"))).isEmpty();
    }

    @Test
    void a_missing_database_file_is_a_located_startup_error() {
        assertThatThrownBy(() -> CountryLocator.open(Optional.of(dir.resolve("nope.mmdb"))))
                .hasMessageContaining("geoip.database")
                .hasMessageContaining("nope.mmdb");
    }

    static TrustedProxies.ClientAddress known(String address) throws Exception {
        return new TrustedProxies.ClientAddress.Known(ip(address));
    }

    @Test
    void forwarded_for_counts_only_from_a_trusted_proxy_and_only_to_the_first_untrusted_hop() throws Exception {
        TrustedProxies proxies = TrustedProxies.of(List.of("127.0.0.1/32", "10.0.0.0/8"), Unparseable.DENY);
        InetAddress proxy = ip("127.0.0.1");

        assertThat(proxies.locate(proxy, List.of("192.0.2.1"), List.of())).isEqualTo(known("192.0.2.1"));
        // The caller wrote "192.0.2.1" itself; the proxy appended the address it really saw.
        assertThat(proxies.locate(proxy, List.of("192.0.2.1, 198.51.100.7"), List.of()))
                .isEqualTo(known("198.51.100.7"));
        assertThat(proxies.locate(proxy, List.of("198.51.100.7, 10.1.2.3"), List.of()))
                .isEqualTo(known("198.51.100.7"));
        assertThat(proxies.locate(ip("192.0.2.9"), List.of("198.51.100.7"), List.of("for=198.51.100.7")))
                .isEqualTo(known("192.0.2.9"));
        assertThat(proxies.locate(proxy, List.of(), List.of())).isEqualTo(known("127.0.0.1"));
        // Every hop a trusted proxy: the farthest is the client.
        assertThat(proxies.locate(proxy, List.of("10.0.0.9, 10.0.0.8"), List.of()))
                .isEqualTo(known("10.0.0.9"));
    }

    @Test
    void a_hop_that_names_no_address_makes_the_location_unknown_never_the_proxy() throws Exception {
        TrustedProxies proxies = TrustedProxies.of(List.of("127.0.0.1/32", "10.0.0.0/8"), Unparseable.DENY);
        InetAddress proxy = ip("127.0.0.1");

        assertThat(proxies.locate(proxy, List.of("not-an-ip"), List.of()))
                .isEqualTo(new TrustedProxies.ClientAddress.Unknown(new Request.LocationError(
                        "X-Forwarded-For entry 'not-an-ip' from trusted proxy 127.0.0.1"
                                + " is not an IP address (with an optional port)",
                        true)));
        // Past a trusted hop, the unusable entry was written by that hop.
        assertThat(proxies.locate(proxy, List.of("198.51.100.7, ١١١.٢٣٥.١٦٠.٥, 10.0.0.3"), List.of()))
                .isInstanceOfSatisfying(
                        TrustedProxies.ClientAddress.Unknown.class,
                        u -> assertThat(u.error().reason())
                                .contains("from trusted proxy 10.0.0.3")
                                .contains("\\u0661"));
        // An unusable entry farther than the first untrusted hop is the caller's own business.
        assertThat(proxies.locate(proxy, List.of("_hidden, 198.51.100.7"), List.of()))
                .isEqualTo(known("198.51.100.7"));
        assertThat(proxies.locate(proxy, List.of(), List.of("for=_hidden")))
                .isInstanceOfSatisfying(
                        TrustedProxies.ClientAddress.Unknown.class,
                        u -> assertThat(u.error().reason())
                                .startsWith("Forwarded entry '_hidden' from trusted proxy 127.0.0.1 is an obfuscated"));

        TrustedProxies lenient = TrustedProxies.of(List.of("127.0.0.1/32"), Unparseable.UNKNOWN);
        assertThat(lenient.locate(proxy, List.of("unknown"), List.of()))
                .isInstanceOfSatisfying(
                        TrustedProxies.ClientAddress.Unknown.class,
                        u -> assertThat(u.error().failClosed()).isFalse());
    }

    @Test
    void both_headers_count_only_when_they_name_the_same_client() throws Exception {
        TrustedProxies proxies = TrustedProxies.of(List.of("127.0.0.1/32"), Unparseable.DENY);
        InetAddress proxy = ip("127.0.0.1");

        assertThat(proxies.locate(proxy, List.of("198.51.100.7:1"), List.of("for=\"198.51.100.7:2\"")))
                .isEqualTo(known("198.51.100.7"));
        // A proxy that appends to one header passes the other on as the caller wrote it.
        assertThat(proxies.locate(proxy, List.of("198.51.100.7"), List.of("for=192.0.2.1")))
                .isInstanceOfSatisfying(
                        TrustedProxies.ClientAddress.Unknown.class,
                        u -> assertThat(u.error().reason())
                                .isEqualTo("X-Forwarded-For names client 198.51.100.7 but Forwarded names 192.0.2.1"));
        assertThat(proxies.locate(proxy, List.of("198.51.100.7"), List.of("for=unknown")))
                .isInstanceOf(TrustedProxies.ClientAddress.Unknown.class);
        assertThat(proxies.locate(proxy, List.of("unknown"), List.of("for=198.51.100.7")))
                .isInstanceOf(TrustedProxies.ClientAddress.Unknown.class);
    }

    @Test
    void trusted_proxies_accept_ipv6_and_bare_addresses_and_name_a_bad_entry() throws Exception {
        TrustedProxies proxies = TrustedProxies.of(List.of("::1/128", "192.0.2.10", "2001:db8::/32"), Unparseable.DENY);
        assertThat(proxies.trusts(ip("::1"))).isTrue();
        assertThat(proxies.trusts(ip("192.0.2.10"))).isTrue();
        assertThat(proxies.trusts(ip("192.0.2.11"))).isFalse();
        assertThat(proxies.trusts(ip("2001:db8:1::5"))).isTrue();
        assertThat(proxies.trusts(ip("2001:db9::5"))).isFalse();

        assertThatThrownBy(() -> TrustedProxies.of(List.of("127.0.0.1/32", "localhost"), Unparseable.DENY))
                .hasMessageContaining("trusted_proxies[1]");
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33"), Unparseable.DENY))
                .hasMessageContaining("trusted_proxies[0]");
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

    record Recorded(Request request, Decision decision) {}

    /** A gateway behind a trusted proxy on loopback, recording every decision into {@code log}. */
    GatewayFixture behindProxy(Unparseable unparseable, List<Recorded> log) throws Exception {
        GatewaySettings.GeoIp geo =
                new GatewaySettings.GeoIp(Optional.of(database()), List.of("127.0.0.1/32"), unparseable);
        return new GatewayFixture(geo, (request, principal, decision) -> {
            log.add(new Recorded(request, decision));
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Alice (a U.S. citizen, allowed everywhere but from sanctioned locations) chats with these headers. */
    static java.net.http.HttpResponse<String> aliceChats(GatewayFixture f, String... headers) throws Exception {
        return f.post("/v1/chat/completions", f.aliceKey, chat("open-small"), headers);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "X-Forwarded-For | 198.51.100.7:50123                          | 198.51.100.7",
                "X-Forwarded-For | [2a02:d2c0::1]:443                          | 2a02:d2c0:0:0:0:0:0:1",
                "X-Forwarded-For | [2a02:d2c0::1]                              | 2a02:d2c0:0:0:0:0:0:1",
                "X-Forwarded-For | 2a02:d2c0::1                                | 2a02:d2c0:0:0:0:0:0:1",
                "X-Forwarded-For | 192.0.2.1, [::ffff:198.51.100.7]:8080       | 198.51.100.7",
                "Forwarded       | for=198.51.100.7;proto=http;by=203.0.113.43 | 198.51.100.7",
                "Forwarded       | for=\"[2a02:d2c0::1]:4711\"                 | 2a02:d2c0:0:0:0:0:0:1",
                "Forwarded       | for=192.0.2.1, for=\"198.51.100.7:1\"       | 198.51.100.7",
            })
    void a_client_forwarded_in_any_form_is_located_where_it_is_never_at_the_proxy(
            String header, String value, String client) throws Exception {
        List<Recorded> log = new CopyOnWriteArrayList<>();
        try (GatewayFixture f = behindProxy(Unparseable.DENY, log)) {
            var response = aliceChats(f, header, value);

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("ofac-comprehensive-locations");
            assertThat(log).singleElement().satisfies(r -> {
                assertThat(r.request().ip()).isEqualTo(client);
                assertThat(r.request().country()).isEqualTo("IR");
                assertThat(r.decision().directives()).containsExactly("ofac-comprehensive-locations");
            });
        }
    }

    @Test
    void several_header_lines_are_one_list_and_the_nearest_hop_is_read_first() throws Exception {
        List<Recorded> log = new CopyOnWriteArrayList<>();
        try (GatewayFixture f = behindProxy(Unparseable.DENY, log)) {
            var response = aliceChats(f, "X-Forwarded-For", "198.51.100.7", "X-Forwarded-For", "[2001:db8::5]:1234");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(log.get(0).request().ip()).isEqualTo("2001:db8:0:0:0:0:0:5");
            assertThat(log.get(0).request().country()).isEqualTo("DE");
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "X-Forwarded-For | unknown",
                "X-Forwarded-For | _hidden",
                "X-Forwarded-For | proxy.example.invalid",
                "X-Forwarded-For | 198.51.100.7:99999",
                "X-Forwarded-For | 198.51.100.7, 010.0.0.1",
                "Forwarded       | for=_hidden;proto=https",
                "Forwarded       | for=unknown",
                "Forwarded       | proto=https",
                "Forwarded       | for=\"198.51.100.7",
            })
    void an_unreadable_hop_from_a_trusted_proxy_is_denied_and_the_decision_says_why(String header, String value)
            throws Exception {
        List<Recorded> log = new CopyOnWriteArrayList<>();
        int lookups = NameLookups.names().size();
        try (GatewayFixture f = behindProxy(Unparseable.DENY, log)) {
            var response = aliceChats(f, header, value);

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("location could not be determined");
            assertThat(f.upstream.received).isEmpty();
            assertThat(log).singleElement().satisfies(r -> {
                assertThat(r.request().ip()).isEmpty();
                assertThat(r.request().country()).isEmpty();
                assertThat(r.decision().allowed()).isFalse();
                assertThat(r.decision().errors())
                        .singleElement(STRING)
                        .startsWith("client location unknown: " + header + " entry '")
                        .contains("from trusted proxy 127.0.0.1");
            });
        }
        assertThat(NameLookups.names().subList(lookups, NameLookups.names().size()))
                .noneMatch(name -> value.contains(name) && !name.equals("127.0.0.1"));
    }

    @Test
    void set_to_unknown_an_unreadable_hop_leaves_the_country_unknown_for_the_directives_and_is_still_reported()
            throws Exception {
        List<Recorded> log = new CopyOnWriteArrayList<>();
        try (GatewayFixture f = behindProxy(Unparseable.UNKNOWN, log)) {
            var response = aliceChats(f, "Forwarded", "for=_hidden");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(log).singleElement().satisfies(r -> {
                assertThat(r.request().ip()).isEmpty();
                assertThat(r.request().country()).isEmpty();
                assertThat(r.decision().errors())
                        .containsExactly("client location unknown: Forwarded entry '_hidden' from trusted proxy"
                                + " 127.0.0.1 is an obfuscated identifier, not an address");
            });
        }
    }

    @Test
    void two_headers_naming_different_clients_are_denied() throws Exception {
        List<Recorded> log = new CopyOnWriteArrayList<>();
        try (GatewayFixture f = behindProxy(Unparseable.DENY, log)) {
            var response = aliceChats(f, "X-Forwarded-For", "198.51.100.7", "Forwarded", "for=192.0.2.1");
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(log.get(0).decision().errors().get(0))
                    .contains("X-Forwarded-For names client 198.51.100.7 but Forwarded names 192.0.2.1");
        }
    }

    @Test
    void no_header_value_reaches_dns_not_even_unicode_digits_or_over_long_values() throws Exception {
        List<Recorded> log = new CopyOnWriteArrayList<>();
        int lookups = NameLookups.names().size();
        try (GatewayFixture f = behindProxy(Unparseable.DENY, log)) {
            List<byte[]> values = List.of(
                    "١١١.٢٣٥.١٦٠.٥".getBytes(StandardCharsets.UTF_8),
                    "١١١.٢٣٥.١٦٠.٥:443".getBytes(StandardCharsets.UTF_8),
                    "localhost".getBytes(StandardCharsets.US_ASCII),
                    "x".repeat(6_000).getBytes(StandardCharsets.US_ASCII),
                    ("198.51.100.7, " + "10.0.0.1, ".repeat(500) + "nope.invalid").getBytes(StandardCharsets.US_ASCII));
            for (byte[] value : values) {
                int status = rawPost(f, "X-Forwarded-For", value);
                assertThat(status).isEqualTo(403);
                assertThat(rawPost(f, "Forwarded", concat("for=\"".getBytes(StandardCharsets.US_ASCII), value)))
                        .isEqualTo(403);
            }
            assertThat(log).hasSize(2 * values.size()).allSatisfy(r -> {
                assertThat(r.request().ip()).isEmpty();
                assertThat(r.decision().errors().get(0)).startsWith("client location unknown:");
                assertThat(r.decision().errors().get(0).length()).isLessThan(300);
            });
        }
        assertThat(NameLookups.names().subList(lookups, NameLookups.names().size()))
                .doesNotContain("١١١.٢٣٥.١٦٠.٥", "localhost", "nope.invalid");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A request written byte for byte, so a header can carry UTF-8 no HTTP client would send; the status. */
    private static int rawPost(GatewayFixture f, String header, byte[] value) throws Exception {
        byte[] body = chat("open-small").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", f.gateway.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + f.aliceKey
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n" + header + ": ")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(value);
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
