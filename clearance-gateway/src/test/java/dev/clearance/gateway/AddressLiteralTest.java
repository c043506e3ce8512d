package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressLiteralTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "111.235.160.5,                          6feba005",
        "0.0.0.0,                                00000000",
        "255.255.255.255,                        ffffffff",
        "2a02:d2c0::1,                           2a02d2c0000000000000000000000001",
        "::,                                     00000000000000000000000000000000",
        "::1,                                    00000000000000000000000000000001",
        "1::,                                    00010000000000000000000000000000",
        "2001:DB8:0:0:0:0:0:1,                   20010db8000000000000000000000001",
        "1:2:3:4:5:6:7::,                        00010002000300040005000600070000",
        "::2:3:4:5:6:7:8,                        00000002000300040005000600070008",
        "2001:db8::192.0.2.60,                   20010db80000000000000000c000023c",
        "1:2:3:4:5:6:192.0.2.60,                 000100020003000400050006c000023c",
    })
    void reads_each_ipv4_and_ipv6_literal_form_into_its_bytes(String text, String hex) {
        InetAddress a = AddressLiteral.parse(text);
        assertThat(a).isNotNull();
        assertThat(HexFormat.of().formatHex(a.getAddress())).isEqualTo(hex);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(
            strings = {
                "",
                "١١١.٢٣٥.١٦٠.٥", // Arabic-Indic digits: Character.isDigit says yes, DNS would be asked
                "１１１.２３５.１６０.５", // fullwidth digits
                "111.235.160.５",
                "２a02:d2c0::1",
                "localhost",
                "example.com",
                "111.235.160.5.nip.io",
                "1.2.3",
                "1.2.3.4.5",
                "1..2.3",
                ".1.2.3",
                "01.2.3.4",
                "256.1.1.1",
                "1.2.3.4 ",
                " 1.2.3.4",
                "0x7f.0.0.1",
                "2130706433",
                "fe80::1%eth0",
                ":::1",
                "1::2::3",
                ":1::",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7",
                "::1:2:3:4:5:6:7:8",
                "12345::",
                "g::1",
                "1.2.3.4::",
                "::1.2.3",
                "[::1]",
                "111.235.160.5:50123",
                "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2555",
            })
    void refuses_anything_that_is_not_exactly_an_ascii_literal(String text) {
        assertThat(AddressLiteral.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {46, 1_000, 1_000_000})
    void refuses_an_over_long_value_without_reading_it(int length) {
        assertThat(AddressLiteral.parse("1".repeat(length))).isNull();
        assertThat(AddressLiteral.parse(":".repeat(length))).isNull();
    }

    @Test
    void the_tests_see_every_dns_lookup_so_their_absence_means_something() throws Exception {
        InetAddress.getByName("localhost");
        assertThat(NameLookups.names()).contains("localhost");
    }

    @Test
    void never_asks_dns_whatever_the_text() {
        int before = NameLookups.names().size();
        for (String s : new String[] {"١١١.٢٣٥.١٦٠.٥", "localhost", "example.invalid", "2a02:d2c0::1", "1.2.3.4"}) {
            AddressLiteral.parse(s);
        }
        assertThat(NameLookups.names().subList(before, NameLookups.names().size()))
                .doesNotContain("١١١.٢٣٥.١٦٠.٥", "localhost", "example.invalid");
    }
}
