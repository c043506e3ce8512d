package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConfirmationTest {
    private final AtomicLong confirmedAt = new AtomicLong(1_000_000_000L);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private Confirmation confirmation(boolean serveCached) {
        return new Confirmation(confirmedAt::get, now::get, Duration.ofSeconds(5), serveCached);
    }

    @Test
    void a_node_is_confirmed_up_to_max_staleness_after_its_last_read_of_the_store_and_refuses_after() {
        Confirmation c = confirmation(false);

        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(c.confirmed()).isTrue();
        assertThat(c.refusing()).isFalse();

        now.addAndGet(1);
        assertThat(c.confirmed()).isFalse();
        assertThat(c.refusing()).isTrue();
        assertThat(c.age()).isEqualTo(Duration.ofSeconds(5).plusNanos(1));
    }

    @Test
    void a_new_read_of_the_store_confirms_it_again() {
        Confirmation c = confirmation(false);
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(c.refusing()).isTrue();

        confirmedAt.set(now.get() - Duration.ofMillis(30).toNanos());

        assertThat(c.refusing()).isFalse();
        assertThat(c.age()).isEqualTo(Duration.ofMillis(30));
    }

    @Test
    void serve_cached_never_refuses_but_still_knows_it_is_unconfirmed() {
        Confirmation c = confirmation(true);
        now.addAndGet(Duration.ofMinutes(3).toNanos());

        assertThat(c.refusing()).isFalse();
        assertThat(c.confirmed()).isFalse();
    }

    @Test
    void a_confirmation_that_reads_later_than_the_clock_is_not_negative_in_age() {
        confirmedAt.set(now.get() + 10);

        assertThat(confirmation(false).age()).isZero();
    }
}
