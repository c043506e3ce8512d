package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecisionIdsTest {
    static final Instant T = Instant.parse("2026-11-27T12:00:00.250Z");

    @Test
    void an_id_is_a_uuid_v7_whose_first_48_bits_are_the_clocks_milliseconds() {
        String id = new DecisionIds(Clock.fixed(T, ZoneOffset.UTC), () -> new Random(7)).next();

        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(Long.parseLong(id.substring(0, 8) + id.substring(9, 13), 16)).isEqualTo(T.toEpochMilli());
    }

    @Test
    void the_same_clock_and_random_source_give_the_same_id_and_a_different_random_source_another() {
        Clock clock = Clock.fixed(T, ZoneOffset.UTC);

        assertThat(new DecisionIds(clock, () -> new Random(7)).next())
                .isEqualTo(new DecisionIds(clock, () -> new Random(7)).next())
                .isNotEqualTo(new DecisionIds(clock, () -> new Random(8)).next());
    }

    @Test
    void an_id_is_the_random_bytes_with_the_clock_and_the_version_bits_in_hex() {
        byte[] b = new byte[16];
        new Random(7).nextBytes(b);
        long ms = T.toEpochMilli();
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            int v = i < 6 ? (int) (ms >>> (40 - 8 * i)) & 0xff : b[i] & 0xff;
            v = i == 6 ? (v & 0x0f) | 0x70 : i == 8 ? (v & 0x3f) | 0x80 : v;
            hex.append(String.format("%02x", v));
            if (i == 3 || i == 5 || i == 7 || i == 9) {
                hex.append('-');
            }
        }

        assertThat(new DecisionIds(Clock.fixed(T, ZoneOffset.UTC), () -> new Random(7)).next())
                .isEqualTo(hex.toString());
    }
}
