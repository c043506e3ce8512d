package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.gateway.ForwardedHops.Address;
import dev.clearance.gateway.ForwardedHops.Hop;
import dev.clearance.gateway.ForwardedHops.Unusable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardedHopsTest {

    /** Each hop as the address it names, or "?" for an unusable one. */
    static List<String> shown(List<Hop> hops) {
        return hops.stream()
                .map(h -> switch (h) {
                    case Address a -> a.address().getHostAddress();
                    case Unusable u -> "?";
                })
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "111.235.160.5                | 111.235.160.5",
                "111.235.160.5:50123          | 111.235.160.5",
                "111.235.160.5:0              | 111.235.160.5",
                "2a02:d2c0::1                 | 2a02:d2c0:0:0:0:0:0:1",
                "[2a02:d2c0::1]               | 2a02:d2c0:0:0:0:0:0:1",
                "[2a02:d2c0::1]:443           | 2a02:d2c0:0:0:0:0:0:1",
                "[::ffff:198.51.100.7]:443    | 198.51.100.7",
            })
    void an_x_forwarded_for_node_is_an_address_with_or_without_a_port(String node, String address) {
        assertThat(shown(ForwardedHops.xForwardedFor(List.of(node)))).containsExactly(address);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(
            strings = {
                "unknown",
                "UNKNOWN",
                "_hidden",
                "proxy.example.com",
                "localhost:8080",
                "١١١.٢٣٥.١٦٠.٥",
                "111.235.160.5:65536",
                "111.235.160.5:",
                "111.235.160.5:port",
                "111.235.160.5:123456",
                "[111.235.160.5]",
                "[2a02:d2c0::1",
                "[2a02:d2c0::1]443",
                "[2a02:d2c0::1]:",
                "2a02:d2c0::1:443:",
                "2a02:d2c0::1%eth0",
                "111.235.160.5 198.51.100.7",
                "\"111.235.160.5\"",
            })
    void anything_else_is_an_unusable_hop_never_skipped(String node) {
        assertThat(shown(ForwardedHops.xForwardedFor(List.of("198.51.100.7, " + node + ", 10.0.0.1"))))
                .containsExactly("198.51.100.7", "?", "10.0.0.1");
    }

    @Test
    void entries_of_several_lines_follow_each_other_and_empty_elements_mean_nothing() {
        assertThat(shown(ForwardedHops.xForwardedFor(List.of("192.0.2.1,  198.51.100.7:1", ",", "[::1]:2, ,10.0.0.1"))))
                .containsExactly("192.0.2.1", "198.51.100.7", "0:0:0:0:0:0:0:1", "10.0.0.1");
        assertThat(ForwardedHops.xForwardedFor(List.of())).isEmpty();
        assertThat(ForwardedHops.xForwardedFor(List.of("", " "))).isEmpty();
    }

    @Test
    void forwarded_reads_the_for_parameter_of_each_element_in_every_rfc_7239_form() {
        assertThat(shown(ForwardedHops.forwarded(List.of(
                        "for=192.0.2.60;proto=http;by=203.0.113.43",
                        "For=\"[2001:db8:cafe::17]:4711\", for=198.51.100.7:80 ;host=example.com",
                        "by=10.0.0.2; for=\"10.0.0.1\"; proto=\"h\\\"t\\\\tp\", for=\"[2001:db8::1]\"",
                        "for=192.0.2.1:_abc"))))
                .containsExactly(
                        "192.0.2.60",
                        "2001:db8:cafe:0:0:0:0:17",
                        "198.51.100.7",
                        "10.0.0.1",
                        "2001:db8:0:0:0:0:0:1",
                        "192.0.2.1");
    }

    @Test
    void a_quoted_value_may_hold_commas_and_semicolons_without_ending_the_element() {
        List<Hop> hops = ForwardedHops.forwarded(List.of("for=192.0.2.1;ext=\"a,b;c\", for=198.51.100.7"));
        assertThat(shown(hops)).containsExactly("192.0.2.1", "198.51.100.7");
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "for=_hidden                          | obfuscated",
                "for=\"_SEVKISEK\"                    | obfuscated",
                "for=unknown                          | did not know",
                "for=\"unknown:80\"                   | not an IP address",
                "proto=https;by=10.0.0.2              | has no",
                "for=192.0.2.1;for=198.51.100.7       | twice",
                "for=proxy.example                    | not an IP address",
                "for=\"192.0.2.1                      | not RFC 7239",
                "for                                  | not RFC 7239",
                "=192.0.2.1                           | not RFC 7239",
                "for=192.0.2.1 proto=http             | not RFC 7239",
                "for=\"١١١.٢٣٥.١٦٠.٥\"                | not an IP address",
            })
    void an_element_that_names_no_address_is_unusable_and_says_why(String line, String why) {
        List<Hop> hops = ForwardedHops.forwarded(List.of(line));
        assertThat(hops).hasSize(1);
        assertThat(hops.get(0))
                .isInstanceOfSatisfying(Unusable.class, u -> assertThat(u.why()).contains(why));
    }

    @Test
    void broken_syntax_makes_the_rest_of_the_line_one_unusable_hop_nearest_to_the_gateway() {
        List<Hop> hops =
                ForwardedHops.forwarded(List.of("for=192.0.2.1, for=\"198.51.100.7, for=10.0.0.1", "for=10.0.0.2"));
        assertThat(shown(hops)).containsExactly("192.0.2.1", "?", "10.0.0.2");
    }

    @Test
    void an_error_quotes_the_value_shortened_and_escaped() {
        String longValue = "a".repeat(5_000);
        Unusable u = (Unusable) ForwardedHops.xForwardedFor(List.of(longValue)).get(0);
        assertThat(u.text()).hasSizeLessThan(120).contains("5000 characters");
        Unusable digits =
                (Unusable) ForwardedHops.xForwardedFor(List.of("١١١.٢٣٥.١٦٠.٥")).get(0);
        assertThat(digits.text())
                .isEqualTo("'\\u0661\\u0661\\u0661.\\u0662\\u0663\\u0665.\\u0661\\u0666\\u0660.\\u0665'");
    }
}
