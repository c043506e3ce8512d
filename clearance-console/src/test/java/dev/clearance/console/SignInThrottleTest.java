package dev.clearance.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    final SessionsTest.Moving clock = new SessionsTest.Moving();
    final SignInThrottle throttle = new SignInThrottle(clock);

    @Test
    void five_failures_from_one_address_lock_it_out_until_the_first_leaves_the_window() {
        for (int i = 0; i < SignInThrottle.FAILURES; i++) {
            assertThat(throttle.wait("203.0.113.9")).isZero();
            throttle.failed("203.0.113.9");
            clock.now = clock.now.plusSeconds(60);
        }
        // The first failure was 5 minutes ago; it leaves the 10-minute window in 5 more.
        assertThat(throttle.wait("203.0.113.9")).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.wait("198.51.100.7")).as("another address").isZero();
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertThat(throttle.wait("203.0.113.9")).isZero();
    }

    @Test
    void failures_spread_wider_than_the_window_never_lock() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("203.0.113.9");
            clock.now = clock.now.plus(Duration.ofMinutes(3));
            assertThat(throttle.wait("203.0.113.9")).isZero();
        }
    }
}
